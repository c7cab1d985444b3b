package app

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"chancery/accounts"
	"chancery/feeds"
)

func manyPosts(a accounts.Account, n, newest int) []feeds.Post {
	var out []feeds.Post
	for i := range n {
		out = append(out, feeds.Post{
			ID: fmt.Sprint("p", newest-i), Account: a.ID, Author: "Mission", Text: fmt.Sprint("Post number ", newest-i),
			CreatedAt: testNow.Add(-time.Duration(i) * time.Minute),
		})
	}
	return out
}

func TestNewPostsKeepTheReadersPlaceAndAreCounted(t *testing.T) {
	f := newFixture(t)
	newest := 30
	f.net.posts = func(a accounts.Account) []feeds.Post { return manyPosts(a, 30, newest) }
	u := f.start(t)
	col := u.columns[0]
	eventually(t, "30 posts", func() bool { return len(col.posts) == 30 && !col.refreshed.IsZero() })
	col.list.ScrollToOffset(10 * col.stride)
	reading := col.posts[10].ID
	newest = 33 // three posts arrive, newer than all
	testNow = testNow.Add(3 * time.Minute)
	defer func() { testNow = testNow.Add(-3 * time.Minute) }()
	u.refreshTargets(col.targets(), true)
	eventually(t, "new posts", func() bool { return len(col.posts) == 33 })
	if top, _ := col.topPost(); col.posts[top].ID != reading {
		t.Errorf("the view moved from %s to %s", reading, col.posts[top].ID)
	}
	if !col.newButton.Visible() || col.newButton.Text != "3 new posts" {
		t.Errorf("new posts button %q visible=%v", col.newButton.Text, col.newButton.Visible())
	}
	test.Tap(col.newButton)
	if col.list.GetScrollOffset() != 0 || col.newButton.Visible() {
		t.Error("tapping the button did not go to the new posts")
	}
}

// bigColumn puts three accounts of 2,000 cached posts each, interleaved,
// in the first column, and returns them merged, newest first.
func bigColumn(t *testing.T, f *fixture) []string {
	t.Helper()
	f.net.posts = func(accounts.Account) []feeds.Post { return nil }
	var ids []string
	for i, id := range []string{"vienna-demo", "vienna-b", "vienna-c"} {
		a := accounts.Account{ID: id, Mission: "vienna", Network: accounts.Demo, Handle: "@" + id, State: accounts.StateOK}
		if i > 0 {
			if err := f.store.PutAccount(a); err != nil {
				t.Fatal(err)
			}
		}
		var ps []feeds.Post
		for n := range 2000 {
			ps = append(ps, feeds.Post{
				ID: fmt.Sprintf("%s-%04d", id, n), Author: id, Text: fmt.Sprint("Post ", n),
				CreatedAt: testNow.Add(-time.Duration(3*n+i) * time.Minute),
			})
		}
		if _, err := f.store.PutPosts(feeds.TimelineKey{Account: id, Kind: feeds.Home}, ps, testNow.Add(-5*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	for n := range 2000 {
		for _, id := range []string{"vienna-demo", "vienna-b", "vienna-c"} {
			ids = append(ids, fmt.Sprintf("%s-%04d", id, n))
		}
	}
	return ids
}

// checkRun fails unless the column's posts are a run of want, in order.
func checkRun(t *testing.T, col *column, want []string) int {
	t.Helper()
	if len(col.posts) == 0 || len(col.posts) > spanMax {
		t.Fatalf("the column holds %d posts, want 1 to %d", len(col.posts), spanMax)
	}
	start := -1
	for i, id := range want {
		if id == col.posts[0].ID {
			start = i
		}
	}
	for i, p := range col.posts {
		if start < 0 || start+i >= len(want) || want[start+i] != p.ID {
			t.Fatalf("post %d of the column is %s, not the merged timeline's (from %d)", i, p.ID, start)
		}
	}
	return start
}

func TestColumnPagesThroughTheCacheAsTheReaderScrolls(t *testing.T) {
	f := newFixture(t)
	want := bigColumn(t, f)
	u := f.start(t)
	col := u.columns[0]
	eventually(t, "first page", func() bool { return len(col.posts) == spanPage })
	if checkRun(t, col, want) != 0 || !col.top || col.end {
		t.Fatalf("first page: top=%v end=%v", col.top, col.end)
	}
	for steps := 0; !col.end; steps++ {
		if steps > 200 {
			t.Fatal("the column never reached the oldest post")
		}
		col.list.ScrollToBottom()
		queue.drain()
		checkRun(t, col, want)
		waitIdle(t, col)
	}
	if col.top {
		t.Error("the span holds the newest and the oldest of 6,000 posts")
	}
	if got := col.posts[len(col.posts)-1].ID; got != want[len(want)-1] {
		t.Errorf("the column ends with %s, want %s", got, want[len(want)-1])
	}
	for steps := 0; !col.top; steps++ {
		if steps > 200 {
			t.Fatal("the column never came back to the newest post")
		}
		col.list.ScrollToTop()
		queue.drain()
		checkRun(t, col, want)
		waitIdle(t, col)
	}
	if col.posts[0].ID != want[0] {
		t.Errorf("back at the top the column starts with %s", col.posts[0].ID)
	}
}

// waitIdle waits until the column has no span work running.
func waitIdle(t *testing.T, col *column) {
	t.Helper()
	eventually(t, "span work done", func() bool { return !col.busy })
}

func TestKeyboardStaysOnItsPostAsTheSpanMoves(t *testing.T) {
	f := newFixture(t)
	want := bigColumn(t, f)
	u := f.start(t)
	col := u.columns[0]
	eventually(t, "first page", func() bool { return len(col.posts) == spanPage })
	u.window.Canvas().Focus(col.list)
	down := &fyne.KeyEvent{Name: fyne.KeyDown}
	for i := 1; i <= 2*spanMax; i++ {
		col.list.TypedKey(down)
		waitIdle(t, col)
		if got := col.posts[col.list.focus].ID; got != want[i] {
			t.Fatalf("after %d presses the keyboard is on %s, want %s", i, got, want[i])
		}
	}
	if col.top {
		t.Error("the span still holds the newest posts after the reader went 800 posts down")
	}
}

// countingTimelines records which timelines are read.
type countingTimelines struct {
	*memStore
	reads chan feeds.TimelineKey
}

func (c countingTimelines) Posts(k feeds.TimelineKey, n int) ([]feeds.Post, error) {
	c.reads <- k
	return c.memStore.Posts(k, n)
}

func (c countingTimelines) PostsBefore(k feeds.TimelineKey, t time.Time, id string, n int) ([]feeds.Post, error) {
	c.reads <- k
	return c.memStore.PostsBefore(k, t, id, n)
}

func TestRefreshMergesOnlyTheRefreshedTimeline(t *testing.T) {
	f := newFixture(t)
	bigColumn(t, f)
	reads := make(chan feeds.TimelineKey, 1000)
	f.params.Timelines = countingTimelines{memStore: f.store, reads: reads}
	u := f.start(t)
	col := u.columns[0]
	eventually(t, "first page and the first refresh merged", func() bool {
		return len(col.posts) == spanPage && col.refreshed.Equal(testNow) && len(col.running) == 0 &&
			len(col.want.refreshed) == 0 && !col.busy
	})
	for len(reads) > 0 {
		<-reads
	}
	arrived := feeds.Post{ID: "new", Author: "B", Text: "Fresh", CreatedAt: testNow.Add(time.Minute)}
	key := feeds.TimelineKey{Account: "vienna-b", Kind: feeds.Home}
	if _, err := f.store.PutPosts(key, []feeds.Post{arrived}, testNow); err != nil {
		t.Fatal(err)
	}
	u.onRefresh(feeds.Event{Phase: feeds.Finished, Result: feeds.Result{Key: key, Added: 1, At: testNow}})
	eventually(t, "merged", func() bool { return len(col.posts) == spanPage+1 && !col.busy })
	if col.posts[0].ID != "new" || col.newCount != 1 {
		t.Errorf("first post %s, %d new", col.posts[0].ID, col.newCount)
	}
	for len(reads) > 0 {
		if k := <-reads; k != key {
			t.Errorf("a refresh of %s read %s too", key, k)
		}
	}
}
