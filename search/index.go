package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"

	"chancery/feeds"
	"chancery/storage"
	"chancery/translations"
)

// FormatVersion is the version of how posts are indexed; an index of
// another version is built again. Raise it when the mapping or the
// analyzers change.
const FormatVersion = 1

// File names inside the index folder.
const (
	bleveDir   = "bleve"       // the engine's own files
	formatFile = "format.json" // formatInfo, written once a build is complete
	openFile   = "open"        // present while a process uses the index
)

// maxPendingUnstarted bounds the changes kept for an index not started yet,
// so that a window open for hours without a search holds no growing queue.
const maxPendingUnstarted = 10_000

// maxAppliedAtClose bounds the changes an index never started applies when
// it is closed (a command that refreshed a few timelines); past it, closing
// marks the index to be built again rather than make the program slow to quit.
const maxAppliedAtClose = 1000

// ErrClosed reports a search on an index that was closed.
var ErrClosed = translations.NewProblem("search.error_closed", "search index is closed")

// formatInfo is what format.json records.
type formatInfo struct {
	Format  int       `json:"format"`
	BuiltAt time.Time `json:"built_at"`
}

// Source is the cache the index is built from.
type Source interface {
	Timelines() ([]feeds.TimelineKey, error)
	Posts(key feeds.TimelineKey, limit int) ([]feeds.Post, error)
	CountPosts(key feeds.TimelineKey) (int, error)
}

// Progress says how far the index is.
type Progress struct {
	// Building is true while the index is built from the cache.
	Building bool
	// Done and Total count the cached posts read so far, and all of them.
	Done, Total int
	// Ready is true once searches can be answered.
	Ready bool
	// Err is why the index could not be opened nor built.
	Err error
}

// Index is the full-text index of a profile's cached posts. Its methods are
// safe for concurrent use; none of them waits for a build but Search and
// Wait.
type Index struct {
	dir     string
	src     Source
	mapping *mapping.IndexMappingImpl

	// life is held for reading while bleve is used, and for writing while
	// it is swapped or closed.
	life sync.RWMutex
	idx  bleve.Index

	mu        sync.Mutex
	progress  Progress
	listeners map[int]func(Progress)
	nextID    int
	pending   []storage.PostsChange
	started   bool
	// stale is set when a change could not be applied: the index is then
	// left marked open, so that the next start builds it again.
	stale bool
	// pendingPosts counts the posts in pending; overflow is set when more
	// than maxPendingUnstarted changed before Start, and pending dropped:
	// the index must then be built again.
	pendingPosts int
	overflow     bool

	ready chan struct{} // closed once Ready or Err is set
	wake  chan struct{} // has an element when pending has changes
	stop  chan struct{} // closed by Close
	done  chan struct{} // closed when the worker has finished
}

// New returns the index kept in dir (e.g. <profile>/search-index), built
// from src. Nothing happens before Start.
func New(dir string, src Source) (*Index, error) {
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("search mapping: %w", err)
	}
	return &Index{
		dir: dir, src: src, mapping: m,
		listeners: map[int]func(Progress){},
		ready:     make(chan struct{}),
		wake:      make(chan struct{}, 1),
		stop:      make(chan struct{}),
		done:      make(chan struct{}),
	}, nil
}

// Start opens the index, or builds it from the cache, on a goroutine of its
// own, then follows the changes given to Observe. It returns at once.
func (x *Index) Start() {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.started {
		return
	}
	x.started = true
	go x.run()
}

// OnProgress calls fn with the progress now and at each change, on the
// index's goroutine (fn must not block). It returns a function that stops
// the calls.
func (x *Index) OnProgress(fn func(Progress)) (cancel func()) {
	x.mu.Lock()
	id := x.nextID
	x.nextID++
	x.listeners[id] = fn
	p := x.progress
	x.mu.Unlock()
	fn(p)
	return func() {
		x.mu.Lock()
		delete(x.listeners, id)
		x.mu.Unlock()
	}
}

// Progress returns how far the index is.
func (x *Index) Progress() Progress {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.progress
}

func (x *Index) report(p Progress) {
	x.mu.Lock()
	x.progress = p
	fns := make([]func(Progress), 0, len(x.listeners))
	for _, fn := range x.listeners {
		fns = append(fns, fn)
	}
	x.mu.Unlock()
	for _, fn := range fns {
		fn(p)
	}
}

// Wait waits until the index can answer searches, or could not be built.
func (x *Index) Wait(ctx context.Context) error {
	select {
	case <-x.ready:
		return x.Progress().Err
	case <-x.stop:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Observe queues changes of the cache for the index; it never blocks. It
// fits storage.DB.ObservePosts.
func (x *Index) Observe(changes ...storage.PostsChange) {
	x.mu.Lock()
	switch {
	case x.overflow:
		// Too much changed before the index was started: it is built
		// again from the cache anyway.
	case !x.started && x.pendingPosts > maxPendingUnstarted:
		x.pending, x.overflow = nil, true
	default:
		x.pending = append(x.pending, changes...)
		for _, c := range changes {
			x.pendingPosts += len(c.Put) + len(c.Removed)
		}
	}
	x.mu.Unlock()
	select {
	case x.wake <- struct{}{}:
	default:
	}
}

// Close stops following the cache, applies the changes already queued and
// closes the index. A build in progress is abandoned (the next start builds
// again).
func (x *Index) Close() error {
	x.mu.Lock()
	started := x.started
	x.started = true // no Start after Close
	x.mu.Unlock()
	select {
	case <-x.stop:
		return nil
	default:
	}
	close(x.stop)
	if started {
		<-x.done
		return nil
	}
	return x.applyUnstarted()
}

// applyUnstarted brings an index that was never started up to date with the
// changes queued meanwhile (a command that cached posts without searching):
// a whole index gets them; one that cannot be opened is left to be built
// at its next start.
func (x *Index) applyUnstarted() error {
	x.mu.Lock()
	changes, overflow, posts := x.pending, x.overflow, x.pendingPosts
	x.pending, x.pendingPosts = nil, 0
	x.mu.Unlock()
	if overflow || posts > maxAppliedAtClose {
		// Too much to follow, or to apply while the program quits: the
		// next start builds the index again.
		if err := os.Remove(filepath.Join(x.dir, formatFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("mark the search index for a new build: %w", err)
		}
		return nil
	}
	if len(changes) == 0 {
		return nil
	}
	idx, err := x.openExisting()
	if err != nil {
		return nil // missing or stale: built from the cache next time
	}
	if err := applyChanges(idx, changes); err != nil {
		_ = idx.Close()
		return fmt.Errorf("update search index: %w", err)
	}
	if err := idx.Close(); err != nil {
		return fmt.Errorf("close search index: %w", err)
	}
	return os.Remove(filepath.Join(x.dir, openFile))
}

// run is the index's goroutine.
func (x *Index) run() {
	defer close(x.done)
	idx, err := x.openOrBuild()
	if err != nil {
		if !errors.Is(err, errStopped) {
			x.report(Progress{Err: err})
		}
		close(x.ready)
		return
	}
	x.life.Lock()
	x.idx = idx
	x.life.Unlock()
	x.report(Progress{Ready: true})
	close(x.ready)
	x.applyPending() // what was cached before the start and during the build
	for {
		select {
		case <-x.wake:
			x.applyPending()
		case <-x.stop:
			x.applyPending()
			x.closeIndex()
			return
		}
	}
}

// closeIndex closes bleve and marks the index as closed cleanly.
func (x *Index) closeIndex() {
	x.life.Lock()
	defer x.life.Unlock()
	if x.idx == nil {
		return
	}
	x.mu.Lock()
	stale := x.stale
	x.mu.Unlock()
	if err := x.idx.Close(); err == nil && !stale {
		_ = os.Remove(filepath.Join(x.dir, openFile))
	}
	x.idx = nil
}

// openOrBuild opens the index in dir if it is whole and of this format,
// else builds it again from the cache.
func (x *Index) openOrBuild() (bleve.Index, error) {
	x.mu.Lock()
	overflow := x.overflow
	x.overflow = false
	x.mu.Unlock()
	if !overflow {
		if idx, err := x.openExisting(); err == nil {
			return idx, nil
		}
	}
	if err := x.build(); err != nil {
		return nil, err
	}
	idx, err := x.openExisting()
	if err != nil {
		return nil, fmt.Errorf("open the new search index: %w", err)
	}
	return idx, nil
}

// errStale reports an index that must be built again.
var errStale = errors.New("search index is missing, incomplete, left open or of another format")

// openExisting opens the index in dir and marks it open, or reports why it
// cannot be used as it is.
func (x *Index) openExisting() (bleve.Index, error) {
	raw, err := os.ReadFile(filepath.Join(x.dir, formatFile))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errStale, err)
	}
	var info formatInfo
	if err := json.Unmarshal(raw, &info); err != nil || info.Format != FormatVersion {
		return nil, fmt.Errorf("%w: format %d", errStale, info.Format)
	}
	if _, err := os.Stat(filepath.Join(x.dir, openFile)); err == nil {
		return nil, fmt.Errorf("%w: not closed cleanly", errStale)
	}
	idx, err := bleve.Open(filepath.Join(x.dir, bleveDir))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errStale, err)
	}
	if err := writeFileSync(filepath.Join(x.dir, openFile), nil); err != nil {
		_ = idx.Close()
		return nil, fmt.Errorf("mark the search index open: %w", err)
	}
	return idx, nil
}

// writeFileSync writes a small file and flushes it to the disk.
func writeFileSync(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	return errors.Join(werr, serr, cerr)
}
