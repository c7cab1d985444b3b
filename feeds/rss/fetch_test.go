package rss

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A server that knows only Last-Modified gets If-Modified-Since back, and
// nothing else.
func TestLastModifiedOnly(t *testing.T) {
	lastMod := time.Date(2025, 10, 1, 8, 0, 0, 0, time.UTC).Format(http.TimeFormat)
	var notModified atomic.Int32
	s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if inm := r.Header.Get("If-None-Match"); inm != "" {
			t.Errorf("If-None-Match %q sent to a server that gave no ETag", inm)
		}
		if r.Header.Get("If-Modified-Since") == lastMod {
			notModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Last-Modified", lastMod)
		static(rssItems("LM", "<guid>https://x.example/1</guid>"), "application/rss+xml")(w, r)
	}))
	f := newFixture()
	if got := f.fetch(t, s.URL); len(got) != 1 {
		t.Fatalf("first fetch = %q", ids(got))
	}
	if got := f.fetch(t, s.URL); len(got) != 0 || notModified.Load() != 1 {
		t.Fatalf("second fetch = %q, 304s = %d", ids(got), notModified.Load())
	}
}

// The feeds of an account are fetched at once, but at most Parallel at a time.
func TestFetchesAFewFeedsAtOnce(t *testing.T) {
	var inFlight, most atomic.Int32
	// Each request is held until two were in flight at once, so that a
	// busy machine cannot make parallel fetches look sequential.
	twoAtOnce := make(chan struct{})
	seen := sync.OnceFunc(func() { close(twoAtOnce) })
	s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		if n >= 2 {
			seen()
		}
		select {
		case <-twoAtOnce:
		case <-r.Context().Done():
		case <-time.After(time.Minute):
		}
		static(rssItems("F", "<guid>https://x.example"+r.URL.Path+"</guid>"), "application/rss+xml")(w, r)
	}))
	addrs := make([]string, 3*Parallel)
	for i := range addrs {
		addrs[i] = fmt.Sprintf("%s/%d", s.URL, i)
	}
	posts := newFixture().fetch(t, addrs...)
	if len(posts) != len(addrs) {
		t.Errorf("%d posts from %d feeds", len(posts), len(addrs))
	}
	if m := most.Load(); m < 2 || m > Parallel {
		t.Errorf("%d fetches at once, want 2..%d", m, Parallel)
	}
}
