package app

import (
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// startup orders the window's first moments: every column shows what the
// cache holds before any network request is made.
type startup struct {
	cacheShown chan struct{} // closed once every column read the cache
	awaiting   int           // columns of the first build still reading
	closed     bool
	probe      *paintProbe // traces when the window is first painted
	builds     int         // how many times the window's content was built
	beforeLoop bool        // the first build runs before the event loop
	// painted is closed when the window's first frame is drawn and every
	// column painted its cached posts; the network waits for it (see
	// firstFrame), so that fetching and parsing feeds does not compete with
	// those frames for the processor.
	painted     chan struct{}
	shown       bool // the window's first frame was drawn
	unpainted   int  // columns of the first build yet to paint their cached posts
	paintedOnce sync.Once
	released    atomic.Int64 // when memory was last given back, Unix ns
}

// releaseMemory gives back to the system the memory a burst of work (the
// start, a refresh of every account) used and no longer needs, instead of
// letting the runtime keep it for later: a window left open all day should
// hold what it shows, not its busiest moment. Only the real window does
// this (tests build theirs inside their own event loop). Giving memory
// back costs a collection and a pass over every free page, so it is done
// at most once per releaseGap, however often the user refreshes. The C
// heap, where the OpenGL driver keeps textures, is trimmed too.
func (s *startup) releaseMemory() {
	if !s.beforeLoop {
		return
	}
	now := time.Now().UnixNano()
	last := s.released.Load()
	if now-last < int64(releaseGap) || !s.released.CompareAndSwap(last, now) {
		return
	}
	debug.FreeOSMemory()
	trimCHeap()
}

// releaseGap is the least time between two releases of memory.
const releaseGap = 30 * time.Second

// firstFrameWait bounds how long the network waits for the first frame.
const firstFrameWait = 2 * time.Second

func newStartup() startup {
	return startup{cacheShown: make(chan struct{}), probe: newPaintProbe(), painted: make(chan struct{})}
}

// firstFrame waits until the window's first frame is drawn, at most
// firstFrameWait, when the window was built before its event loop (tests
// build it inside theirs: nothing waits there).
func (s *startup) firstFrame(done <-chan struct{}) {
	if !s.beforeLoop {
		return
	}
	t := time.NewTimer(firstFrameWait)
	defer t.Stop()
	select {
	case <-s.painted:
	case <-t.C:
	case <-done:
	}
}

// built notes the first build's columns, and reports whether this was the
// first build; later builds change nothing.
func (s *startup) built(columns int) bool {
	s.builds++
	if s.closed || s.awaiting > 0 {
		return s.builds == 1
	}
	s.unpainted = columns
	s.probe.arm(func() {
		trace.event("window-shown")
		s.shown = true
		s.checkPainted()
	})
	s.awaiting = columns
	if columns == 0 {
		s.close()
	}
	return s.builds == 1
}

// columnPainted is called on the UI goroutine once a column of the first
// build painted its cached posts, or found none to paint.
func (s *startup) columnPainted() {
	if s.unpainted > 0 {
		s.unpainted--
		s.checkPainted()
	}
}

// checkPainted lets the network start once the window and every column's
// cached posts are on screen.
func (s *startup) checkPainted() {
	if s.shown && s.unpainted == 0 {
		s.paintedOnce.Do(func() { close(s.painted) })
	}
}

func (s *startup) close() {
	if !s.closed {
		s.closed = true
		close(s.cacheShown)
	}
}

// columnLoaded is called on the UI goroutine when a column first read the
// cache, successfully or not.
func (u *ui) columnLoaded() {
	if u.start.awaiting > 0 {
		u.start.awaiting--
		if u.start.awaiting == 0 {
			u.start.close()
		}
	}
}

// shutdown runs once the window's event loop has ended, however it ended
// (the window closed, the app quit or was sent SIGTERM): it cancels what
// is in flight, saves what the composers hold and the settings, and waits
// for those writes only, so that quitting takes well under a second.
func (u *ui) shutdown() {
	trace.event("event-loop-ended")
	if !u.quitting {
		u.quitting = true
		u.saveSettings()
	}
	u.stop()
	for _, c := range u.composers {
		c.saver.flush()
	}
	u.prefsOut.wait()
	trace.event("quit-done")
	trace.summary()
}

// latestWriter writes values in a goroutine, one at a time and in order;
// a value put while another is being written replaces any older one that
// still waits.
type latestWriter struct {
	write func([]byte) error

	mu      sync.Mutex
	pending []byte
	running bool
	idle    sync.WaitGroup
}

func newLatestWriter(write func([]byte) error) *latestWriter {
	return &latestWriter{write: write}
}

// put schedules v to be written.
func (w *latestWriter) put(v []byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.pending = v
	if !w.running {
		w.running = true
		w.idle.Add(1)
		go w.loop()
	}
}

func (w *latestWriter) loop() {
	defer w.idle.Done()
	for {
		w.mu.Lock()
		v := w.pending
		w.pending = nil
		if v == nil {
			w.running = false
			w.mu.Unlock()
			return
		}
		w.mu.Unlock()
		if err := w.write(v); err != nil {
			slog.Warn("save gui settings", "err", err)
		}
	}
}

// wait returns once everything put has been written.
func (w *latestWriter) wait() { w.idle.Wait() }
