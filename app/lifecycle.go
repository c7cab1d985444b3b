package app

import (
	"log/slog"
	"sync"
)

// startup orders the window's first moments: every column shows what the
// cache holds before any network request is made.
type startup struct {
	cacheShown chan struct{} // closed once every column read the cache
	awaiting   int           // columns of the first build still reading
	closed     bool
	probe      *paintProbe // traces when the window is first painted
}

func newStartup() startup {
	return startup{cacheShown: make(chan struct{}), probe: newPaintProbe()}
}

// built notes the first build's columns; later builds change nothing.
func (s *startup) built(columns int) {
	if s.closed || s.awaiting > 0 {
		return
	}
	if trace != nil {
		s.probe.arm(func() { trace.event("window-shown") })
	}
	s.awaiting = columns
	if columns == 0 {
		s.close()
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
