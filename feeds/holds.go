package feeds

import (
	"fmt"
	"sync"
	"time"
)

// Holds remembers, per key (a server host, an account, an endpoint), until
// when a network must not send: the end of a rate-limit window the server
// said is exhausted. A network asks Gate before each call instead of
// spending a request on a sure refusal, and extends a hold with Hold when
// an answer says to wait. The zero value is ready to use and safe for
// concurrent use.
type Holds struct {
	mu    sync.Mutex
	until map[string]time.Time
}

// Hold keeps key held until until; a hold is only ever extended.
func (h *Holds) Hold(key string, until time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.until == nil {
		h.until = map[string]time.Time{}
	}
	if until.After(h.until[key]) {
		h.until[key] = until
	}
}

// Gate returns, while key is held at now, an error wrapping ErrRateLimited
// that carries the time left (a RetryAfterError) and names network; nil
// once the hold has passed.
func (h *Holds) Gate(network, key string, now time.Time) error {
	h.mu.Lock()
	until := h.until[key]
	h.mu.Unlock()
	if wait := until.Sub(now); wait > 0 {
		return &RetryAfterError{Err: fmt.Errorf("%s: %w", network, ErrRateLimited), After: wait}
	}
	return nil
}
