package feeds_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/translations"
)

// memCache is an in-memory feeds.Cache.
type memCache struct {
	mu    sync.Mutex
	posts map[feeds.TimelineKey][]feeds.Post
	at    map[feeds.TimelineKey]time.Time
}

func newMemCache() *memCache {
	return &memCache{posts: map[feeds.TimelineKey][]feeds.Post{}, at: map[feeds.TimelineKey]time.Time{}}
}

func (c *memCache) PutPosts(k feeds.TimelineKey, ps []feeds.Post, at time.Time) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.posts[k], c.at[k] = append(c.posts[k], ps...), at
	return len(ps), nil
}

func (c *memCache) Posts(k feeds.TimelineKey, limit int) ([]feeds.Post, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.posts[k], nil
}

func (c *memCache) LastRefreshed(k feeds.TimelineKey) (time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.at[k], nil
}

// httpNet fetches one post per account from the account's server over HTTP:
// a real round trip to a test server, as the real networks do.
type httpNet struct{ client *http.Client }

func (n httpNet) ID() accounts.Network { return accounts.RSS }

func (n httpNet) Capabilities() feeds.Capabilities {
	return feeds.Capabilities{Kinds: []feeds.Kind{feeds.Feed}}
}

func (n httpNet) Fetch(ctx context.Context, a accounts.Account, _ feeds.Kind) ([]feeds.Post, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.Server+"/"+a.ID, nil)
	if err != nil {
		return nil, err
	}
	body, _, err := feeds.Do(n.client, req, 1<<20)
	if err != nil {
		return nil, err
	}
	return []feeds.Post{{ID: string(body), Text: string(body)}}, nil
}

// slowServer answers after delay, counting requests in flight at once.
type slowServer struct {
	*httptest.Server
	inFlight, peak atomic.Int32
	status         atomic.Int32
}

func newSlowServer(t testing.TB, delay time.Duration) *slowServer {
	return newWaitingServer(t, func(*http.Request) { time.Sleep(delay) })
}

// newHeldServer returns a slowServer that holds every request until
// release is called or the client gives up, so that tests can see requests
// in flight at once however slow the machine is.
func newHeldServer(t testing.TB) (s *slowServer, release func()) {
	hold := make(chan struct{})
	s = newWaitingServer(t, func(r *http.Request) {
		select {
		case <-hold:
		case <-r.Context().Done():
		}
	})
	release = sync.OnceFunc(func() { close(hold) })
	t.Cleanup(release) // before the server closes, which waits for its handlers
	return s, release
}

func newWaitingServer(t testing.TB, wait func(*http.Request)) *slowServer {
	s := &slowServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := s.inFlight.Add(1)
		defer s.inFlight.Add(-1)
		for p := s.peak.Load(); n > p && !s.peak.CompareAndSwap(p, n); p = s.peak.Load() {
		}
		wait(r)
		if code := s.status.Load(); code != 0 {
			w.Header().Set("Retry-After", "60")
			w.WriteHeader(int(code))
			return
		}
		fmt.Fprint(w, r.URL.Path)
	}))
	t.Cleanup(s.Close)
	return s
}

func accountsOn(server string, n int, prefix string) []accounts.Account {
	var out []accounts.Account
	for i := range n {
		out = append(out, accounts.Account{ID: fmt.Sprintf("%s%d", prefix, i), Network: accounts.RSS, Server: server})
	}
	return out
}

func TestRefreshRunsAccountsInParallelButFewPerHost(t *testing.T) {
	busy, releaseBusy := newHeldServer(t)
	other, releaseOther := newHeldServer(t)
	r := feeds.NewRefresher(feeds.Registry{accounts.RSS: httpNet{http.DefaultClient}}, newMemCache(), nil)
	accts := append(accountsOn(busy.URL, 10, "b"), accountsOn(other.URL, 3, "o")...)
	done := make(chan []feeds.Result, 1)
	go func() { done <- r.Refresh(context.Background(), accts, false) }()
	// Both hosts are asked at once: 4 requests to the busy one (its
	// limit), all 3 to the other, while none is answered.
	waitUntil(t, "4 + 3 requests in flight", func() bool {
		return busy.inFlight.Load() == 4 && other.inFlight.Load() == 3
	})
	releaseBusy()
	releaseOther()
	for _, res := range <-done {
		if res.Err != nil || res.Added != 1 {
			t.Errorf("%s: %+v", res.Key, res)
		}
	}
	if p := busy.peak.Load(); p != 4 {
		t.Errorf("peak requests to one host %d, want 4", p)
	}
	if p := other.peak.Load(); p != 3 {
		t.Errorf("the other host saw a peak of %d, want all 3 at once", p)
	}
}

// waitUntil polls cond until it holds, failing the test after a deadline
// generous enough for a busy machine.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !cond(); time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func TestRefreshReportsOfflineOnceAndBack(t *testing.T) {
	srv := newSlowServer(t, 0)
	url := srv.URL
	var online atomic.Bool // until set, no route leads anywhere
	r := feeds.NewRefresher(feeds.Registry{accounts.RSS: httpNet{noRouteUntil(&online)}}, newMemCache(), nil)
	var mu sync.Mutex
	var conn []bool
	r.Subscribe(func(e feeds.Event) {
		if e.Phase == feeds.Connectivity {
			mu.Lock()
			conn = append(conn, e.Offline)
			mu.Unlock()
		}
	})
	states := map[string]accounts.State{}
	r.OnAccountState = func(id string, s accounts.State) { mu.Lock(); states[id] = s; mu.Unlock() }
	results := r.Refresh(context.Background(), accountsOn(url, 5, "a"), false)
	for _, res := range results {
		if !errors.Is(res.Err, feeds.ErrOffline) {
			t.Errorf("%s: %v", res.Key, res.Err)
		}
	}
	if !r.Offline() || fmt.Sprint(conn) != "[true]" || states["a0"] != accounts.StateOffline {
		t.Errorf("offline %v, connectivity events %v, state %q", r.Offline(), conn, states["a0"])
	}
	// Offline accounts are not put on back-off: they are tried again at once.
	online.Store(true)
	r.Refresh(context.Background(), accountsOn(url, 1, "a"), false)
	if r.Offline() || fmt.Sprint(conn) != "[true false]" || states["a0"] != accounts.StateOK {
		t.Errorf("after reconnecting: offline %v, events %v, state %q", r.Offline(), conn, states["a0"])
	}
}

func TestRefreshBacksOffFailingAccountsAndHosts(t *testing.T) {
	srv := newSlowServer(t, 0)
	srv.status.Store(http.StatusServiceUnavailable)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	var clock sync.Mutex
	r := feeds.NewRefresher(feeds.Registry{accounts.RSS: httpNet{http.DefaultClient}}, newMemCache(),
		func() time.Time { clock.Lock(); defer clock.Unlock(); return now })
	a := accountsOn(srv.URL, 1, "a")
	if res := r.Refresh(context.Background(), a, false)[0]; !errors.Is(res.Err, feeds.ErrServer) || res.Skipped {
		t.Fatalf("first: %+v", res)
	}
	srv.status.Store(0)
	if res := r.Refresh(context.Background(), a, false)[0]; !res.Skipped {
		t.Errorf("a failing account was fetched again at once: %+v", res)
	}
	// The host asked for 60 s: even a forced refresh waits for it.
	if res := r.Refresh(context.Background(), a, true)[0]; !errors.Is(res.Err, feeds.ErrRateLimited) {
		t.Errorf("forced refresh before Retry-After: %+v", res)
	}
	clock.Lock()
	now = now.Add(3 * time.Minute)
	clock.Unlock()
	if res := r.Refresh(context.Background(), a, false)[0]; res.Err != nil || res.Skipped {
		t.Errorf("after the back-off: %+v", res)
	}
}

func TestRefreshStopsWhenCancelled(t *testing.T) {
	srv, _ := newHeldServer(t) // never answers: only the cancellation can end the refresh
	r := feeds.NewRefresher(feeds.Registry{accounts.RSS: httpNet{http.DefaultClient}}, newMemCache(), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	res := r.Refresh(ctx, accountsOn(srv.URL, 6, "a"), false)
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("cancellation took %v", took)
	}
	for _, x := range res {
		if x.Err == nil {
			t.Errorf("%s finished despite cancellation", x.Key)
		}
	}
}

func TestCapabilitiesSupports(t *testing.T) {
	c := feeds.Capabilities{Kinds: []feeds.Kind{feeds.Home, feeds.Mentions, "tag:", "search:"}}
	for k, want := range map[feeds.Kind]bool{
		feeds.Home: true, feeds.Mentions: true, feeds.Own: false, "tag:OSCE": true, "tag:": false,
		"search:visa fraud": true, "list:42": false, "tagged:x": false,
	} {
		if got := c.Supports(k); got != want {
			t.Errorf("Supports(%q) = %v, want %v", k, got, want)
		}
	}
}

// pagedNet serves a timeline of 25 posts in pages of 10, newest first.
type pagedNet struct{ httpNet }

func (pagedNet) FetchPage(_ context.Context, _ accounts.Account, _ feeds.Kind, cursor string) (feeds.Page, error) {
	start := 0
	if cursor != "" {
		fmt.Sscan(cursor, &start)
	}
	var page feeds.Page
	for i := start; i < min(start+10, 25); i++ {
		page.Posts = append(page.Posts, feeds.Post{ID: fmt.Sprint("p", i), CreatedAt: time.Unix(int64(1000-i), 0)})
	}
	if start+10 < 25 {
		page.Older = fmt.Sprint(start + 10)
	}
	return page, nil
}

func TestFetchOlderPagesIntoTheCacheUntilTheEnd(t *testing.T) {
	cache := newMemCache()
	r := feeds.NewRefresher(feeds.Registry{accounts.RSS: pagedNet{}}, cache, nil)
	a := accounts.Account{ID: "a", Network: accounts.RSS}
	cursor, total := "", 0
	for range 5 {
		next, added, err := r.FetchOlder(context.Background(), a, feeds.Feed, cursor)
		if err != nil {
			t.Fatal(err)
		}
		total += added
		if cursor = next; cursor == "" {
			break
		}
	}
	if total != 25 || cursor != "" {
		t.Errorf("paged %d posts, cursor %q", total, cursor)
	}
	_, _, err := feeds.NewRefresher(feeds.Registry{accounts.RSS: httpNet{}}, cache, nil).FetchOlder(context.Background(), a, feeds.Feed, "")
	if !errors.Is(err, feeds.ErrUnsupported) {
		t.Errorf("a network without paging: %v", err)
	}
}

func TestRefreshCatchesUpAGapAfterBeingOffline(t *testing.T) {
	cache := newMemCache()
	r := feeds.NewRefresher(feeds.Registry{accounts.RSS: pagedNet{}}, cache, nil)
	a := accounts.Account{ID: "a", Network: accounts.RSS}
	key := feeds.TimelineKey{Account: "a", Kind: feeds.Feed}
	// The cache knows p22 and older: pages 0-9 and 10-19 are new, page
	// 20-24 reaches p22.
	if _, err := cache.PutPosts(key, []feeds.Post{{ID: "p22", CreatedAt: time.Unix(1000-22, 0)}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	res := r.RefreshOne(context.Background(), a, feeds.Feed, true)
	if res.Err != nil || res.Added != 25 {
		t.Errorf("refresh after a gap: %+v", res)
	}
	fresh := newMemCache()
	r = feeds.NewRefresher(feeds.Registry{accounts.RSS: pagedNet{}}, fresh, nil)
	if res := r.RefreshOne(context.Background(), a, feeds.Feed, true); res.Added != 10 {
		t.Errorf("a first refresh reads one page, got %d posts", res.Added)
	}
}

// TestRefreshTreatsALostAnswerAsTransient checks a read whose answer was
// lost after it left: the account backs off and shows as unreachable, the
// app is not offline, and the column's message speaks of a server that did
// not answer, not of a post whose outcome is unknown.
func TestRefreshTreatsALostAnswerAsTransient(t *testing.T) {
	url := rawServer(t, func(net.Conn) {}) // reads the request, then hangs up
	r := feeds.NewRefresher(feeds.Registry{accounts.RSS: httpNet{&http.Client{}}}, newMemCache(), nil)
	var mu sync.Mutex
	var events []bool
	states := map[string]accounts.State{}
	r.Subscribe(func(e feeds.Event) {
		if e.Phase == feeds.Connectivity {
			mu.Lock()
			events = append(events, e.Offline)
			mu.Unlock()
		}
	})
	r.OnAccountState = func(id string, s accounts.State) { mu.Lock(); states[id] = s; mu.Unlock() }
	a := accountsOn(url, 1, "a")
	res := r.Refresh(t.Context(), a, false)[0]
	var p *translations.Problem
	if feeds.Classify(res.Err) != feeds.OutcomeUnknown || !errors.As(res.Err, &p) || p.MessageID() != "error.no_answer" {
		t.Fatalf("Err = %v, want an unknown outcome explained as no answer", res.Err)
	}
	mu.Lock()
	if r.Offline() || len(events) != 0 || states["a0"] != accounts.StateOffline {
		t.Errorf("offline %v, connectivity events %v, state %q", r.Offline(), events, states["a0"])
	}
	mu.Unlock()
	if again := r.Refresh(t.Context(), a, false)[0]; !again.Skipped || !errors.Is(again.Err, feeds.ErrNoAnswer) {
		t.Errorf("a server that did not answer was asked again at once: %+v", again)
	}
}
