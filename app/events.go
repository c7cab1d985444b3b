package app

import (
	"os"
	"os/signal"
	"sync"
	"syscall"

	"chancery/feeds"
)

// eventQueue gathers refresh events for the UI goroutine: one callback
// drains all that arrived since the last, so that a burst of refreshes on
// a slow or busy machine never queues thousands of callbacks in front of
// the user's clicks, or of quitting.
type eventQueue struct {
	mu        sync.Mutex
	pending   []feeds.Event
	scheduled bool
}

// queueEvent hands e to the UI goroutine, with whatever else waits.
func (u *ui) queueEvent(e feeds.Event) {
	q := &u.events
	q.mu.Lock()
	q.pending = append(q.pending, e)
	schedule := !q.scheduled
	q.scheduled = true
	q.mu.Unlock()
	if schedule {
		uiDo(u.drainEvents)
	}
}

// drainEvents shows, in order, the events that arrived; none once the
// window is closing.
func (u *ui) drainEvents() {
	q := &u.events
	q.mu.Lock()
	events := q.pending
	q.pending, q.scheduled = nil, false
	q.mu.Unlock()
	for _, e := range events {
		if u.ctx.Err() != nil {
			return
		}
		u.onRefresh(e)
	}
}

// stopOnSignal cancels the window's work as soon as SIGTERM or an
// interrupt arrives. Fyne quits on them through the UI goroutine's queue;
// with the work cancelled, what waits in that queue returns at once
// instead of being shown, so quitting does not wait for it.
func (u *ui) stopOnSignal() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
	go func() {
		defer signal.Stop(sig)
		select {
		case <-sig:
			trace.event("quit-signal")
			u.stop()
		case <-u.ctx.Done():
		}
	}()
}
