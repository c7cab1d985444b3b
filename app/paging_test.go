package app

import (
	"fmt"
	"testing"
	"time"

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
	eventually(t, "30 posts", func() bool { return len(col.posts) == 30 && len(col.heights) == 30 })
	col.list.ScrollToOffset(col.itemTop(10))
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

func TestOlderPostsComeFromTheCacheBeyondTheFirstPage(t *testing.T) {
	f := newFixture(t)
	f.net.posts = func(a accounts.Account) []feeds.Post { return nil }
	key := feeds.TimelineKey{Account: "vienna-demo", Kind: feeds.Home}
	if _, err := f.store.PutPosts(key, manyPosts(accounts.Account{ID: "vienna-demo"}, 350, 350), testNow); err != nil {
		t.Fatal(err)
	}
	u := f.start(t)
	col := u.columns[0]
	eventually(t, "first page", func() bool { return len(col.posts) == columnPosts })
	test.Tap(findButton(col.root, "Older posts"))
	eventually(t, "older posts", func() bool { return len(col.posts) == 350 })
	if len(col.problems.Objects) != 0 {
		t.Errorf("a network without paging reported a problem: %q", texts(col.problems))
	}
}
