package app

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// len reports how many UI updates wait.
func (q *uiQueue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.fns)
}

func TestCachedPostsAndRefreshTimeShowBeforeAnyNetworkRequest(t *testing.T) {
	f := newFixture(t)
	var fetches atomic.Int32
	release := make(chan struct{})
	defer close(release)
	f.net.posts = func(accounts.Account) []feeds.Post {
		fetches.Add(1)
		<-release
		return nil
	}
	key := feeds.TimelineKey{Account: "vienna-demo", Kind: feeds.Home}
	cached := []feeds.Post{{ID: "c1", Author: "Cache", Text: "Kept from yesterday", CreatedAt: testNow.Add(-20 * time.Hour)}}
	if _, err := f.store.PutPosts(key, cached, testNow.Add(-5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	u := f.start(t)
	// Every column has read the cache, and nothing has been shown yet:
	// no request may have left.
	deadline := time.Now().Add(time.Minute)
	for queue.len() < len(u.columns) {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d columns read the cache", queue.len(), len(u.columns))
		}
		time.Sleep(5 * time.Millisecond)
	}
	if n := fetches.Load(); n != 0 {
		t.Fatalf("%d network requests before the cache was shown", n)
	}
	queue.drain()
	col := u.columns[0]
	if len(col.posts) != 1 || !contains(col.root, "Kept from yesterday") {
		t.Errorf("column shows %q", texts(col.root))
	}
	if !contains(col.root, "Refreshed 5 min ago") {
		t.Errorf("the cached refresh time is not shown at once: %q", col.status.Text)
	}
	eventually(t, "the refresh after the cache", func() bool { return fetches.Load() > 0 })
}

// stuckNetwork answers nothing until its request is cancelled.
type stuckNetwork struct {
	scriptedNetwork
	started   atomic.Int32
	cancelled atomic.Int32
}

func (n *stuckNetwork) Fetch(ctx context.Context, _ accounts.Account, _ feeds.Kind) ([]feeds.Post, error) {
	n.started.Add(1)
	<-ctx.Done()
	n.cancelled.Add(1)
	return nil, ctx.Err()
}

func TestQuitCancelsRefreshesInFlightAndSavesSettings(t *testing.T) {
	f := newFixture(t)
	stuck := &stuckNetwork{}
	f.params.Refresher = feeds.NewRefresher(feeds.Registry{accounts.Demo: stuck}, f.store, func() time.Time { return testNow })
	u := f.start(t)
	eventually(t, "refreshes in flight", func() bool { return stuck.started.Load() > 0 })
	began := time.Now()
	u.quit()
	u.shutdown()
	if took := time.Since(began); took > time.Second {
		t.Errorf("quitting took %v", took)
	}
	if _, ok, _ := f.store.Setting(settingsKey); !ok {
		t.Error("the settings were not saved")
	}
	eventually(t, "refreshes cancelled", func() bool { return stuck.cancelled.Load() == stuck.started.Load() })
}
