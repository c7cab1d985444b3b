// Package feedstest holds helpers for the networks' tests.
package feedstest

import (
	"context"
	"sync"
	"testing"
	"time"
)

// Expiring is a context whose deadline passes when Expire is called, so a
// test, not a timer, decides when a time-out strikes.
type Expiring struct {
	context.Context
	done chan struct{}
	once sync.Once
}

// NewExpiring returns a context that expires at Expire, or when t ends.
func NewExpiring(t *testing.T) *Expiring {
	e := &Expiring{Context: context.Background(), done: make(chan struct{})}
	t.Cleanup(e.Expire)
	return e
}

func (e *Expiring) Done() <-chan struct{}       { return e.done }
func (e *Expiring) Deadline() (time.Time, bool) { return time.Time{}, false }

// Expire makes the deadline pass.
func (e *Expiring) Expire() { e.once.Do(func() { close(e.done) }) }

func (e *Expiring) Err() error {
	select {
	case <-e.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}
