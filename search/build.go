package search

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2"

	"chancery/feeds"
)

// buildBatch is how many posts make one segment while the index is built.
const buildBatch = 5000

// errStopped reports a build abandoned because the index was closed.
var errStopped = errors.New("search index closed during its build")

// build makes a new index from every cached post, beside the old one, then
// puts it in the old one's place. Progress is reported as it goes.
func (x *Index) build() error {
	tmp := x.dir + ".new"
	if err := os.RemoveAll(tmp); err != nil {
		return fmt.Errorf("clear %s: %w", tmp, err)
	}
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", tmp, err)
	}
	err := x.fill(tmp)
	if err == nil {
		err = x.swapIn(tmp)
	}
	if err != nil {
		_ = os.RemoveAll(tmp)
		return err
	}
	return nil
}

// fill builds the index in dir and records its format once it is complete.
func (x *Index) fill(dir string) error {
	// The offline builder writes few, large segments, much faster than
	// batches into a live index.
	idx, err := bleve.NewBuilder(filepath.Join(dir, bleveDir), x.mapping, map[string]any{"batchSize": buildBatch})
	if err != nil {
		return fmt.Errorf("create search index: %w", err)
	}
	n, err := x.load(idx)
	switch {
	case err != nil && n > 0:
		_ = idx.Close()
		return err
	case err != nil:
		return err
	case n == 0:
		// The builder cannot finish an empty index: make one the usual way.
		if err := emptyIndex(filepath.Join(dir, bleveDir), x); err != nil {
			return err
		}
	default:
		if err := idx.Close(); err != nil {
			return fmt.Errorf("close new search index: %w", err)
		}
	}
	raw, err := json.Marshal(formatInfo{Format: FormatVersion, BuiltAt: time.Now().UTC()})
	if err != nil {
		return err
	}
	return writeFileSync(filepath.Join(dir, formatFile), raw)
}

// emptyIndex creates an index with no posts at path.
func emptyIndex(path string, x *Index) error {
	if err := os.RemoveAll(path); err != nil {
		return err
	}
	idx, err := bleve.New(path, x.mapping)
	if err != nil {
		return fmt.Errorf("create search index: %w", err)
	}
	return idx.Close()
}

// swapIn replaces the index folder by the one built in tmp.
func (x *Index) swapIn(tmp string) error {
	old := x.dir + ".old"
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("clear %s: %w", old, err)
	}
	if err := os.Rename(x.dir, old); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("set aside the old search index: %w", err)
	}
	if err := os.Rename(tmp, x.dir); err != nil {
		return fmt.Errorf("put the new search index in place: %w", err)
	}
	return os.RemoveAll(old)
}

// load reads every cached timeline, account by account, into idx, and
// returns how many posts it indexed.
func (x *Index) load(idx bleve.Builder) (int, error) {
	keys, err := x.src.Timelines()
	if err != nil {
		return 0, fmt.Errorf("list cached timelines: %w", err)
	}
	slices.SortStableFunc(keys, func(a, b feeds.TimelineKey) int {
		switch {
		case a.Account < b.Account:
			return -1
		case a.Account > b.Account:
			return 1
		}
		return 0
	})
	total := 0
	for _, k := range keys {
		n, err := x.src.CountPosts(k)
		if err != nil {
			return 0, fmt.Errorf("count cached posts: %w", err)
		}
		total += n
	}
	l := loader{x: x, idx: idx, total: total}
	l.x.report(Progress{Building: true, Total: total})
	for start := 0; start < len(keys); {
		end := start + 1
		for end < len(keys) && keys[end].Account == keys[start].Account {
			end++
		}
		if err := l.account(keys[start:end]); err != nil {
			return l.indexed, err
		}
		start = end
	}
	l.report(true)
	return l.indexed, nil
}

// loader feeds the posts of a build to the builder.
type loader struct {
	x            *Index
	idx          bleve.Builder
	done, total  int
	indexed      int
	lastReported time.Time
}

// account indexes the posts of one account's timelines, each post once
// with the kinds of the timelines that hold it.
func (l *loader) account(keys []feeds.TimelineKey) error {
	entries := map[string]*entry{}
	var order []string
	for _, k := range keys {
		select {
		case <-l.x.stop:
			return errStopped
		default:
		}
		posts, err := l.x.src.Posts(k, 0)
		if err != nil {
			return fmt.Errorf("read cached posts: %w", err)
		}
		for _, p := range posts {
			p.Account = k.Account
			id := docID(k.Account, p.ID)
			e, ok := entries[id]
			if !ok {
				e = &entry{}
				entries[id] = e
				order = append(order, id)
			}
			e.post = p
			e.addKind(string(k.Kind))
		}
		l.done += len(posts)
	}
	for _, id := range order {
		d, err := entries[id].document()
		if err != nil {
			return fmt.Errorf("post %q: %w", id, err)
		}
		if err := l.idx.Index(id, d); err != nil {
			return fmt.Errorf("index post %q: %w", id, err)
		}
		l.indexed++
	}
	l.report(false)
	return nil
}

// report says how far the build is, at most a few times a second.
func (l *loader) report(last bool) {
	if now := time.Now(); last || now.Sub(l.lastReported) > 100*time.Millisecond {
		l.lastReported = now
		l.x.report(Progress{Building: true, Done: min(l.done, l.total), Total: l.total})
	}
}
