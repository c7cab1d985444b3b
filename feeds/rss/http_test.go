package rss

import (
	"errors"
	"net/http"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"chancery/feeds"
)

// validatorServer answers with an ETag and a Last-Modified date, and with
// 304 when the client sends both back; the body changes when bump is called.
type validatorServer struct {
	mu         sync.Mutex
	version    int
	conditions []string // the If-None-Match of each request
	t          *testing.T
}

func (v *validatorServer) bump() {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.version++
}

func (v *validatorServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	v.mu.Lock()
	defer v.mu.Unlock()
	etag := `"v` + string(rune('0'+v.version)) + `"`
	lastMod := time.Date(2025, 10, 1+v.version, 8, 0, 0, 0, time.UTC).Format(http.TimeFormat)
	v.conditions = append(v.conditions, r.Header.Get("If-None-Match"))
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		if ims := r.Header.Get("If-Modified-Since"); inm == etag && ims == lastMod {
			w.WriteHeader(http.StatusNotModified)
			return
		} else if ims == "" {
			v.t.Errorf("If-None-Match %s sent without If-Modified-Since", inm)
		}
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Last-Modified", lastMod)
	items := []string{"<guid>https://x.example/1</guid><title>One</title><pubDate>Mon, 20 Oct 2025 10:00:00 GMT</pubDate>"}
	if v.version > 0 {
		items = append(items, "<guid>https://x.example/2</guid><title>Two</title><pubDate>Tue, 21 Oct 2025 10:00:00 GMT</pubDate>")
	}
	static(rssItems("Validators", items...), "application/rss+xml")(w, r)
}

func TestConditionalRequests(t *testing.T) {
	f := newFixture()
	v := &validatorServer{t: t}
	s := serve(t, v)

	if got := ids(f.fetch(t, s.URL)); !reflect.DeepEqual(got, []string{"https://x.example/1"}) {
		t.Fatalf("first fetch = %q", got)
	}
	if got := f.fetch(t, s.URL); len(got) != 0 {
		t.Fatalf("304 gave posts %q", ids(got))
	}
	v.bump()
	if got := ids(f.fetch(t, s.URL)); !reflect.DeepEqual(got, []string{"https://x.example/2", "https://x.example/1"}) {
		t.Fatalf("after change = %q", got)
	}
	if got := f.fetch(t, s.URL); len(got) != 0 {
		t.Fatalf("second 304 gave posts %q", ids(got))
	}
	if want := []string{"", `"v0"`, `"v0"`, `"v1"`}; !reflect.DeepEqual(v.conditions, want) {
		t.Errorf("If-None-Match sent = %q, want %q", v.conditions, want)
	}
	if msg, _ := LastError(f.state, "acct-1", s.URL); msg != "" {
		t.Errorf("LastError after 304 = %q", msg)
	}
}

// A body that does not parse must not earn its validators: the next fetch
// asks for the whole feed again.
func TestBrokenBodyKeepsNoValidators(t *testing.T) {
	f := newFixture()
	var mu sync.Mutex
	body := "<rss version='2.0'><channel><title>Broken"
	s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.Header.Get("If-None-Match") != "" {
			t.Errorf("conditional request after a broken body")
		}
		w.Header().Set("ETag", `"e"`)
		_, _ = w.Write([]byte(body))
	}))
	if _, err := f.net.Fetch(t.Context(), account(s.URL), "feed"); err == nil {
		t.Fatal("broken body accepted")
	}
	mu.Lock()
	body = rssItems("Fixed", "<guid>https://x.example/1</guid>")
	mu.Unlock()
	if got := f.fetch(t, s.URL); len(got) != 1 {
		t.Fatalf("after fix: %q", ids(got))
	}
}

func TestRedirects(t *testing.T) {
	feed := &counter{h: static(rssItems("Moved", "<guid>https://x.example/1</guid>"), "application/rss+xml")}
	mux := http.NewServeMux()
	mux.Handle("/new", feed)
	temp := &counter{h: http.RedirectHandler("/new", http.StatusFound)}
	perm := &counter{h: http.RedirectHandler("/new", http.StatusMovedPermanently)}
	perm308 := &counter{h: http.RedirectHandler("/perm", http.StatusPermanentRedirect)}
	mux.Handle("/temp", temp)
	mux.Handle("/perm", perm)
	mux.Handle("/perm308", perm308)
	s := serve(t, mux)

	f := newFixture()
	for range 2 {
		f.fetch(t, s.URL+"/temp", s.URL+"/perm308")
	}
	if temp.n.Load() != 2 {
		t.Errorf("302: old address asked %d times, want 2 (a temporary move is not remembered)", temp.n.Load())
	}
	if perm308.n.Load() != 1 || perm.n.Load() != 1 {
		t.Errorf("308 then 301: old addresses asked %d and %d times, want 1 and 1", perm308.n.Load(), perm.n.Load())
	}
	if feed.n.Load() != 4 {
		t.Errorf("new address asked %d times, want 4", feed.n.Load())
	}
	if st := f.net.loadState("acct-1", s.URL+"/perm308"); st.Moved != s.URL+"/new" {
		t.Errorf("remembered move = %q", st.Moved)
	}
}

func TestRedirectLimits(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/loop", http.RedirectHandler("/loop", http.StatusFound))
	mux.Handle("/away", http.RedirectHandler("http://feeds.example/rss", http.StatusMovedPermanently))
	s := serve(t, mux)
	f := newFixture()
	for path, target := range map[string]error{"/loop": feeds.ErrBadResponse, "/away": feeds.ErrInsecureURL} {
		_, err := f.net.Fetch(t.Context(), account(s.URL+path), "feed")
		wantErr(t, err, target)
		if errors.Is(err, feeds.ErrOffline) {
			t.Errorf("%s: a refused redirect reads as offline: %v", path, err)
		}
	}
}

func TestDedupeAcrossFeedsAndRefreshes(t *testing.T) {
	shared := "<guid>https://ministry.example/joint-statement</guid><title>Joint statement</title><pubDate>Wed, 22 Oct 2025 10:00:00 GMT</pubDate>"
	opaque := "<guid isPermaLink='false'>1</guid><title>Local news</title><pubDate>Wed, 22 Oct 2025 09:00:00 GMT</pubDate>"
	a := serve(t, static(rssItems("A", shared, opaque), "application/rss+xml"))
	b := serve(t, static(rssItems("B", opaque, shared), "application/rss+xml"))
	f := newFixture()
	first := f.fetch(t, a.URL, b.URL)
	want := []string{"https://ministry.example/joint-statement", a.URL + "#1", b.URL + "#1"}
	if got := ids(first); !slices.Equal(sorted(got), sorted(want)) {
		t.Fatalf("ids = %q, want %q", got, want)
	}
	if p := byID(t, first, "https://ministry.example/joint-statement"); p.Author != "A" {
		t.Errorf("shared item taken from %q, want the first feed", p.Author)
	}
	f.clock.Advance(time.Hour)
	if again := f.fetch(t, a.URL, b.URL); !reflect.DeepEqual(again, first) {
		t.Errorf("refresh changed posts:\n%+v\n%+v", again, first)
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestUndatedItemsKeepTheirIDAndTime(t *testing.T) {
	var mu sync.Mutex
	items := []string{"<title>First</title>", "<title>Second</title>"}
	s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		static(rssItems("Undated", items...), "application/rss+xml")(w, r)
	}))
	f := newFixture()
	first := f.fetch(t, s.URL)
	if len(first) != 2 || !first[0].CreatedAt.Equal(t0) || !first[1].CreatedAt.Equal(t0.Add(-time.Second)) {
		t.Fatalf("first fetch = %+v", first)
	}
	if first[0].Text != "First" {
		t.Errorf("feed order lost: %q first", first[0].Text)
	}

	f.clock.Advance(time.Hour)
	mu.Lock()
	items = append([]string{"<title>Newest</title>"}, items...)
	mu.Unlock()
	second := f.fetch(t, s.URL)
	if len(second) != 3 || second[0].Text != "Newest" || !second[0].CreatedAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("second fetch = %+v", second)
	}
	for _, p := range first {
		if q := byID(t, second, p.ID); !q.CreatedAt.Equal(p.CreatedAt) {
			t.Errorf("%q moved from %v to %v", p.Text, p.CreatedAt, q.CreatedAt)
		}
	}
	if st := f.net.loadState("acct-1", s.URL); len(st.Seen) != 3 {
		t.Errorf("first-seen times kept for %d items, want 3", len(st.Seen))
	}
}

// A remembered move whose new address refuses the request is forgotten.
func TestBrokenMoveIsForgotten(t *testing.T) {
	var gone atomic.Bool
	mux := http.NewServeMux()
	mux.Handle("/old", http.RedirectHandler("/new", http.StatusMovedPermanently))
	mux.HandleFunc("/new", func(w http.ResponseWriter, r *http.Request) {
		if gone.Load() {
			http.NotFound(w, r)
			return
		}
		static(rssItems("New"), "application/rss+xml")(w, r)
	})
	s := serve(t, mux)
	f := newFixture()
	f.fetch(t, s.URL+"/old")
	gone.Store(true)
	_, err := f.net.Fetch(t.Context(), account(s.URL+"/old"), "feed")
	wantErr(t, err, feeds.ErrRejected)
	if st := f.net.loadState("acct-1", s.URL+"/old"); st.Moved != "" {
		t.Errorf("broken move kept: %q", st.Moved)
	}
}

// A feed that moves keeps the ids of items known by a relative link, while
// their links follow the feed to where it now is.
func TestMovedFeedKeepsRelativeLinkIDs(t *testing.T) {
	var moved atomic.Bool
	body := static(rssItems("Relative", "<title>One</title><link>post/1</link>"), "application/rss+xml")
	mux := http.NewServeMux()
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		if moved.Load() {
			http.Redirect(w, r, "/v2/feed", http.StatusMovedPermanently)
			return
		}
		body(w, r)
	})
	mux.Handle("/v2/feed", body)
	s := serve(t, mux)
	f := newFixture()
	before := f.fetch(t, s.URL+"/feed")
	moved.Store(true)
	after := f.fetch(t, s.URL+"/feed")
	if len(before) != 1 || len(after) != 1 || before[0].ID != after[0].ID || before[0].ID != s.URL+"/post/1" {
		t.Fatalf("ids before and after the move: %q, %q", ids(before), ids(after))
	}
	if after[0].URL != s.URL+"/v2/post/1" {
		t.Errorf("link after the move = %q", after[0].URL)
	}
}
