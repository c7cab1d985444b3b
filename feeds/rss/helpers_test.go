package rss

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// t0 is the test clock's start.
var t0 = time.Date(2025, 10, 23, 12, 0, 0, 0, time.UTC)

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: t0} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// failingState is a StateStore whose every call fails.
type failingState struct{}

func (failingState) NetState(string, string) ([]byte, error)  { return nil, errors.New("disk on fire") }
func (failingState) SetNetState(string, string, []byte) error { return errors.New("disk on fire") }

// fixture is a Network over an in-memory state, with a test clock.
type fixture struct {
	net   *Network
	state *memState
	clock *clock
}

func newFixture(opts ...Option) *fixture {
	f := &fixture{state: newMemState(), clock: newClock()}
	f.net = New(f.state, append([]Option{WithClock(f.clock.Now)}, opts...)...)
	return f
}

// fetch fetches the feed timeline of an account over addrs, failing the test
// on error.
func (f *fixture) fetch(t *testing.T, addrs ...string) []feeds.Post {
	t.Helper()
	posts, err := f.net.Fetch(t.Context(), account(addrs...), feeds.Feed)
	if err != nil {
		t.Fatalf("Fetch(%v): %v", addrs, err)
	}
	return posts
}

func account(addrs ...string) accounts.Account {
	a := accounts.Account{ID: "acct-1", Mission: "vienna", Network: accounts.RSS, Feeds: addrs}
	if len(addrs) > 0 {
		a.Server = addrs[0]
	}
	return a
}

// serve starts a test server on 127.0.0.1, closed with the test.
func serve(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

// counter counts the requests a handler serves.
type counter struct {
	n atomic.Int32
	h http.Handler
}

func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.n.Add(1)
	c.h.ServeHTTP(w, r)
}

// static serves body with the given Content-Type.
func static(body, contentType string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write([]byte(body))
	}
}

func ids(posts []feeds.Post) []string {
	out := make([]string, len(posts))
	for i, p := range posts {
		out[i] = p.ID
	}
	return out
}

func byID(t *testing.T, posts []feeds.Post, id string) feeds.Post {
	t.Helper()
	for _, p := range posts {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("no post %q among %q", id, ids(posts))
	return feeds.Post{}
}

// wantErr fails the test unless err wraps target.
func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want one wrapping %v", err, target)
	}
}

// deadline returns a context that ends after d.
func deadline(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
