package contract

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"

	"chancery/feeds"
)

// Fault is what a fake server answers instead of the network's normal
// answer, while it is set.
type Fault int

// The faults the suite flips on a fake server.
const (
	NoFault Fault = iota
	// Unauthorized answers 401 with the network's error body.
	Unauthorized
	// RateLimited answers 429 with Retry-After: 120.
	RateLimited
	// RateLimitHeaders answers 429 with the network's own rate-limit
	// headers (nothing remains until a reset 90 seconds ahead) and no
	// Retry-After.
	RateLimitHeaders
	// ServerError answers 500 with the network's error body.
	ServerError
	// Malformed answers 200 with a body cut in the middle.
	Malformed
	// Huge answers 200 with HugeSize bytes: the malformed body followed by
	// white space.
	Huge
	// Hang reads the request and never answers, until the client gives up.
	Hang
	// DropAnswer lets a request that changes something (not GET or HEAD)
	// reach the server, which acts, then closes the connection instead of
	// answering; reads are answered normally.
	DropAnswer
)

// RetryAfterSeconds is the Retry-After of the RateLimited fault, and
// ResetAfter the distance to the reset of the RateLimitHeaders fault.
const (
	RetryAfterSeconds = 120
	ResetAfter        = 90 * time.Second
)

// HugeSize is the length of the Huge fault's body: four times what any
// network may read.
const HugeSize = 4 * feeds.MaxBody

// Style is how a network's server writes what the faults answer, as the
// network documents it.
type Style struct {
	// ContentType of bodies ("application/json; charset=utf-8").
	ContentType string
	// Error is the body of an error answer with status code.
	Error func(code int) string
	// Malformed is a 2xx body the network cannot read: its normal answer
	// cut in the middle.
	Malformed string
	// RateLimit returns the headers saying that no request remains until
	// reset (X-RateLimit-*, RateLimit-*, …).
	RateLimit func(reset time.Time) http.Header
	// RateLimitStatus is the status of a rate-limit refusal, whose body is
	// Error(429); 0 means 429. (The Graph API answers 400 with code 4.)
	RateLimitStatus int
	// NoRetryAfter is set when the network's API never sends Retry-After:
	// the RateLimited fault is then not tried.
	NoRetryAfter bool
}

// Faults are the switches of one fake server, whose handler goes behind
// Wrap. Safe for concurrent use.
type Faults struct {
	style Style

	mu      sync.Mutex
	fault   Fault
	hits    int   // requests answered with a fault
	written int64 // bytes of huge bodies written
	huge    int   // huge bodies whose writing ended
	arrived chan struct{}
	release chan struct{}
	once    sync.Once
}

// NewFaults returns switches answering in style, all off.
func NewFaults(style Style) *Faults {
	return &Faults{style: style, arrived: make(chan struct{}), release: make(chan struct{})}
}

// Set makes every following request get fault (NoFault: the normal answer).
func (f *Faults) Set(fault Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fault = fault
}

// Hits returns how many requests were answered with a fault.
func (f *Faults) Hits() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits
}

// Arrived is closed when the first request reached a Hang fault.
func (f *Faults) Arrived() <-chan struct{} { return f.arrived }

// Close lets requests held by Hang end; call it when the server closes.
func (f *Faults) Close() { f.once.Do(func() { close(f.release) }) }

// hugeState returns the bytes of huge bodies written and how many huge
// answers ended.
func (f *Faults) hugeState() (int64, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.written, f.huge
}

// Wrap returns next behind the switches.
func (f *Faults) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !f.intercept(w, r, next) {
			next.ServeHTTP(w, r)
		}
	})
}

// current returns the fault that applies to r, counting it as a hit.
func (f *Faults) current(r *http.Request) Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	fault := f.fault
	if fault == DropAnswer && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		fault = NoFault
	}
	if fault != NoFault {
		f.hits++
	}
	return fault
}

// intercept answers r with the fault that is set, and reports whether it
// did; with no fault set it writes nothing and returns false.
func (f *Faults) intercept(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
	switch f.current(r) {
	case NoFault:
		return false
	case DropAnswer:
		next.ServeHTTP(httptest.NewRecorder(), r)
		panic(http.ErrAbortHandler) // the server closes the connection unanswered
	case Unauthorized:
		f.write(w, http.StatusUnauthorized, nil, f.style.Error(http.StatusUnauthorized))
	case RateLimited:
		h := http.Header{"Retry-After": {strconv.Itoa(RetryAfterSeconds)}}
		f.write(w, f.rateLimitStatus(), h, f.style.Error(http.StatusTooManyRequests))
	case RateLimitHeaders:
		f.write(w, f.rateLimitStatus(), f.style.RateLimit(time.Now().Add(ResetAfter)), f.style.Error(http.StatusTooManyRequests))
	case ServerError:
		f.write(w, http.StatusInternalServerError, nil, f.style.Error(http.StatusInternalServerError))
	case Malformed:
		f.write(w, http.StatusOK, nil, f.style.Malformed)
	case Huge:
		f.writeHuge(w)
	case Hang:
		f.hang(r)
	}
	return true
}

func (f *Faults) rateLimitStatus() int {
	if f.style.RateLimitStatus != 0 {
		return f.style.RateLimitStatus
	}
	return http.StatusTooManyRequests
}

func (f *Faults) write(w http.ResponseWriter, code int, h http.Header, body string) {
	for k, v := range h {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", f.style.ContentType)
	w.WriteHeader(code)
	_, _ = w.Write([]byte(body))
}

// writeHuge writes HugeSize bytes, or as many as the client takes before it
// closes the connection, and counts them.
func (f *Faults) writeHuge(w http.ResponseWriter) {
	w.Header().Set("Content-Type", f.style.ContentType)
	w.Header().Set("Content-Length", strconv.Itoa(HugeSize))
	w.WriteHeader(http.StatusOK)
	chunk := bytes.Repeat([]byte(" "), 64<<10)
	n, _ := w.Write([]byte(f.style.Malformed))
	total := int64(n)
	for total < HugeSize {
		part := chunk[:min(int64(len(chunk)), HugeSize-total)]
		n, err := w.Write(part)
		total += int64(n)
		if err != nil {
			break
		}
	}
	f.mu.Lock()
	f.written += total
	f.huge++
	f.mu.Unlock()
}

// hang holds the request until the client gives up or Close is called.
func (f *Faults) hang(r *http.Request) {
	f.mu.Lock()
	select {
	case <-f.arrived:
	default:
		close(f.arrived)
	}
	f.mu.Unlock()
	select {
	case <-r.Context().Done():
	case <-f.release:
	}
}
