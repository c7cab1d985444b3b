package rss

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"chancery/feeds"
)

func TestHTTPErrors(t *testing.T) {
	tests := []struct {
		name   string
		status int
		header map[string]string
		want   error
		after  time.Duration
	}{
		{name: "not found", status: http.StatusNotFound, want: feeds.ErrRejected},
		{name: "gone", status: http.StatusGone, want: feeds.ErrRejected},
		{name: "forbidden", status: http.StatusForbidden, want: feeds.ErrRejected},
		{name: "unauthorized", status: http.StatusUnauthorized, want: feeds.ErrRejected},
		{name: "server error", status: http.StatusInternalServerError, want: feeds.ErrServer},
		{name: "unavailable", status: http.StatusServiceUnavailable, header: map[string]string{"Retry-After": "30"}, want: feeds.ErrServer, after: 30 * time.Second},
		{name: "rate limited", status: http.StatusTooManyRequests, header: map[string]string{"Retry-After": "120"}, want: feeds.ErrRateLimited, after: 2 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				http.Error(w, "no feed here", tt.status)
			}))
			f := newFixture()
			_, err := f.net.Fetch(t.Context(), account(s.URL), feeds.Feed)
			wantErr(t, err, tt.want)
			if errors.Is(err, feeds.ErrUnauthorized) {
				t.Errorf("a feed asks for a sign-in: %v", err)
			}
			var ra *feeds.RetryAfterError
			if errors.As(err, &ra) && ra.After != tt.after {
				t.Errorf("retry after %v, want %v", ra.After, tt.after)
			}
			if !strings.Contains(err.Error(), s.URL) {
				t.Errorf("error %q does not name the feed", err)
			}
			if msg, _ := LastError(f.state, "acct-1", s.URL); msg != err.Error() {
				t.Errorf("LastError = %q, want %q", msg, err)
			}
		})
	}
}

// After a 429 with Retry-After, the feed is not asked again until then.
func TestRetryAfterIsRespected(t *testing.T) {
	h := &counter{h: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "600")
		w.WriteHeader(http.StatusTooManyRequests)
	})}
	s := serve(t, h)
	f := newFixture()
	for range 2 {
		_, err := f.net.Fetch(t.Context(), account(s.URL), feeds.Feed)
		wantErr(t, err, feeds.ErrRateLimited)
	}
	f.clock.Advance(9 * time.Minute)
	_, err := f.net.Fetch(t.Context(), account(s.URL), feeds.Feed)
	var ra *feeds.RetryAfterError
	if !errors.As(err, &ra) || ra.After != time.Minute {
		t.Errorf("while waiting: %v, want a retry after 1m", err)
	}
	if h.n.Load() != 1 {
		t.Fatalf("server asked %d times while it said to wait", h.n.Load())
	}
	f.clock.Advance(time.Minute)
	_, _ = f.net.Fetch(t.Context(), account(s.URL), feeds.Feed)
	if h.n.Load() != 2 {
		t.Errorf("server asked %d times after the wait, want 2", h.n.Load())
	}
}

func TestBadBodies(t *testing.T) {
	bodies := map[string]string{
		"truncated": `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>a</title><descr`,
		"html page": `<!DOCTYPE html><html><head><title>Embassy</title></head><body><p>Welcome</p></body></html>`,
		"empty":     ``,
		"json junk": `{"not": "a feed"`,
		"too deep":  `<rss version="2.0"><channel>` + strings.Repeat("<x>", MaxDepth) + strings.Repeat("</x>", MaxDepth) + `</channel></rss>`,
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			s := serve(t, static(body, "text/html; charset=utf-8"))
			_, err := New(nil).Fetch(t.Context(), account(s.URL), feeds.Feed)
			wantErr(t, err, feeds.ErrBadResponse)
			_, err = Probe(t.Context(), nil, s.URL)
			wantErr(t, err, feeds.ErrBadResponse)
		})
	}
}

func TestHugeBodyIsCapped(t *testing.T) {
	s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write([]byte(`<rss version="2.0"><channel><title>`))
		chunk := []byte(strings.Repeat("a", 1<<20))
		for range 20 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	_, err := New(nil).Fetch(t.Context(), account(s.URL), feeds.Feed)
	wantErr(t, err, feeds.ErrTooLarge)
}

func TestEntityBombStaysSmall(t *testing.T) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	feed, err := parseFeed([]byte(billionLaughs), "")
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 16<<20 {
		t.Errorf("parsing the bomb allocated %d MiB", grown>>20)
	}
	posts, _ := toPosts(source{address: mustURL(t, "https://bomb.example/feed"), base: mustURL(t, "https://bomb.example/feed")}, feed.Items, nil, t0)
	if len(posts) != 1 || len(posts[0].Text) > 100 || !strings.Contains(posts[0].Text, "&lol9;") {
		t.Errorf("bomb became %+v", posts)
	}
}

func TestContextDeadline(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	f := newFixture()
	start := time.Now()
	_, err := f.net.Fetch(deadline(t, 100*time.Millisecond), account(s.URL), feeds.Feed)
	wantErr(t, err, context.DeadlineExceeded)
	if time.Since(start) > 5*time.Second {
		t.Errorf("deadline ignored: took %v", time.Since(start))
	}
	if msg, _ := LastError(f.state, "acct-1", s.URL); msg != "" {
		t.Errorf("the caller's deadline was recorded as the feed's error: %q", msg)
	}

	// The feed's own time-out is the feed's fault, and recorded; the request
	// left, so its outcome is unknown (a read retries it after a back-off).
	f = newFixture(WithTimeout(500 * time.Millisecond))
	_, err = f.net.Fetch(t.Context(), account(s.URL), feeds.Feed)
	wantErr(t, err, feeds.ErrOutcomeUnknown)
	wantErr(t, err, context.DeadlineExceeded)
	if msg, _ := LastError(f.state, "acct-1", s.URL); !strings.Contains(msg, "timed out") {
		t.Errorf("LastError = %q", msg)
	}
}

func TestUnreachable(t *testing.T) {
	s := serve(t, http.NotFoundHandler())
	s.Close()
	_, err := New(nil).Fetch(t.Context(), account(s.URL), feeds.Feed)
	wantErr(t, err, feeds.ErrOffline)
}

func TestOneBrokenFeedAmongSeveral(t *testing.T) {
	good := serve(t, static(rssItems("Good", "<guid>https://x.example/1</guid><title>Hello</title>"), "application/rss+xml"))
	var fixed atomic.Bool
	bad := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !fixed.Load() {
			http.Error(w, "oops", http.StatusInternalServerError)
			return
		}
		static(rssItems("Fixed"), "application/rss+xml")(w, r)
	}))
	f := newFixture()
	posts := f.fetch(t, bad.URL, good.URL)
	if got := ids(posts); len(got) != 1 || got[0] != "https://x.example/1" {
		t.Fatalf("posts = %q", got)
	}
	if msg, _ := LastError(f.state, "acct-1", bad.URL); !strings.Contains(msg, "500") {
		t.Errorf("broken feed's error = %q", msg)
	}
	if msg, _ := LastError(f.state, "acct-1", good.URL); msg != "" {
		t.Errorf("good feed's error = %q", msg)
	}

	fixed.Store(true)
	f.fetch(t, bad.URL, good.URL)
	if msg, _ := LastError(f.state, "acct-1", bad.URL); msg != "" {
		t.Errorf("error kept after the feed recovered: %q", msg)
	}
}

func TestAllFeedsBrokenReturnsTheFirstError(t *testing.T) {
	a := serve(t, http.NotFoundHandler())
	b := serve(t, static("<html></html>", "text/html"))
	_, err := New(nil).Fetch(t.Context(), account(a.URL, b.URL), feeds.Feed)
	wantErr(t, err, feeds.ErrRejected)
	if !strings.Contains(err.Error(), a.URL) {
		t.Errorf("error %q does not name the first feed", err)
	}
}

// A StateStore that fails costs conditional requests, not the timeline.
func TestFailingStateStore(t *testing.T) {
	s := serve(t, static(rss2, "application/rss+xml"))
	posts, err := New(failingState{}).Fetch(t.Context(), account(s.URL), feeds.Feed)
	if err != nil || len(posts) != 3 {
		t.Fatalf("Fetch = %d posts, %v", len(posts), err)
	}
}
