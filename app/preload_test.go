package app

import (
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"chancery/accounts"
	"chancery/feeds"
)

// cachePost stores one post in account's home timeline, refreshed five
// minutes before testNow.
func cachePost(t *testing.T, f *fixture, account, text string) {
	t.Helper()
	key := feeds.TimelineKey{Account: account, Kind: feeds.Home}
	p := feeds.Post{ID: "c-" + account, Author: "Cache", Text: text, CreatedAt: testNow.Add(-20 * time.Hour)}
	if _, err := f.store.PutPosts(key, []feeds.Post{p}, testNow.Add(-5*time.Minute)); err != nil {
		t.Fatal(err)
	}
}

func TestTheWindowIsBuiltWithItsCachedPosts(t *testing.T) {
	f := newFixture(t)
	var fetches atomic.Int32
	f.net.posts = func(accounts.Account) []feeds.Post { fetches.Add(1); return nil }
	cachePost(t, f, "vienna-demo", "Kept from yesterday")
	cachePost(t, f, "beijing-demo", "昨天的帖子")
	queue.drain()
	// A busy machine may take longer than the real bound to read the
	// cache; the test is of what the window shows when it has been read.
	defer func(w time.Duration) { preloadWait = w }(preloadWait)
	preloadWait = time.Minute
	u := makeUI(test.NewTempApp(t), f.params, true)
	defer u.shutdown()
	// Without running anything handed to the event loop, the posts are in
	// the columns the window shows in its first frame.
	vienna, beijing := u.columns[0], u.columns[2]
	if !contains(vienna.root, "Kept from yesterday") || !contains(beijing.root, "昨天的帖子") {
		t.Errorf("columns show %q and %q", texts(vienna.root), texts(beijing.root))
	}
	if !contains(vienna.root, "Refreshed 5 min ago") {
		t.Errorf("status %q", vienna.status.Text)
	}
	if n := fetches.Load(); n != 0 {
		t.Errorf("%d network requests before the window was shown", n)
	}
}

// slowTimelines holds every read of one account until released.
type slowTimelines struct {
	Timelines
	account string
	release chan struct{}
}

func (s slowTimelines) Posts(key feeds.TimelineKey, limit int) ([]feeds.Post, error) {
	if key.Account == s.account {
		<-s.release
	}
	return s.Timelines.Posts(key, limit)
}

func TestASlowCacheDoesNotHoldTheWindowBack(t *testing.T) {
	f := newFixture(t)
	cachePost(t, f, "vienna-demo", "Slow to read")
	cachePost(t, f, "beijing-demo", "Quick to read")
	slow := slowTimelines{Timelines: f.params.Timelines, account: "vienna-demo", release: make(chan struct{})}
	f.params.Timelines = slow
	queue.drain()
	// Long enough for the quick reads on a busy machine; Vienna's never
	// returns until released.
	defer func(w time.Duration) { preloadWait = w }(preloadWait)
	preloadWait = 5 * time.Second
	built := make(chan *ui)
	go func() { built <- makeUI(test.NewTempApp(t), f.params, true) }()
	var u *ui
	select {
	case u = <-built:
	case <-time.After(time.Minute): // a hang guard: the wait is preloadWait
		close(slow.release)
		t.Fatal("the window waited for a cache read that does not end")
	}
	defer u.shutdown()
	if !contains(u.columns[2].root, "Quick to read") {
		t.Errorf("Beijing shows %q", texts(u.columns[2].root))
	}
	if contains(u.columns[0].root, "Slow to read") {
		t.Fatal("Vienna shows a post its read has not returned")
	}
	close(slow.release)
	eventually(t, "Vienna's posts after its read returns", func() bool {
		queue.drain()
		return contains(u.columns[0].root, "Slow to read")
	})
}
