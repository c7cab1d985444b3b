package app

import (
	"fmt"
	"testing"
	"time"

	"chancery/feeds"
)

// TestRefreshingAColumnMakesNoNewRows: ticks, updated posts and merged
// refreshes update the rows on screen in place. Fyne's List.Refresh made a
// throwaway row and dropped the spare ones each time, so memory grew with
// every refresh.
func TestRefreshingAColumnMakesNoNewRows(t *testing.T) {
	f := newFixture(t)
	key := feeds.TimelineKey{Account: "vienna-demo", Kind: feeds.Home}
	var cached []feeds.Post
	for i := range 300 {
		cached = append(cached, feeds.Post{
			ID: fmt.Sprintf("p%03d", i), Author: "Cache", Text: fmt.Sprintf("Post %d", i),
			CreatedAt: testNow.Add(-time.Duration(i+10) * time.Minute),
		})
	}
	if _, err := f.store.PutPosts(key, cached, testNow.Add(-5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	u := f.start(t)
	c := u.columns[0]
	eventually(t, "the cached posts", func() bool { return len(c.posts) > 0 && c.list.created > 0 })
	made := c.list.created
	for i := range 40 {
		c.tick()
		p := c.posts[1].Post
		p.Counts.Likes = i + 1
		c.updatePost(p)
	}
	// Fyne's refresh made a throwaway row each time and dropped its spare
	// ones; two allow for its pool being emptied by the garbage collector.
	if n := c.list.created - made; n > 2 {
		t.Errorf("40 ticks and 40 updated posts made %d new rows (%d before)", n, made)
	}
	if !contains(c.root, "40 likes") {
		t.Errorf("the updated post does not show: %q", texts(c.root))
	}
	for i := range 40 {
		c.tick()
		added := feeds.Post{
			ID: fmt.Sprintf("new%02d", i), Author: "Fresh", Text: fmt.Sprintf("Fresh post %d", i),
			CreatedAt: testNow.Add(-time.Duration(9-i%9) * time.Minute),
		}
		if _, err := f.store.PutPosts(key, []feeds.Post{added}, testNow); err != nil {
			t.Fatal(err)
		}
		c.merge(key, 1)
		eventually(t, "the merge", func() bool { return !c.busy })
	}
	// The reader's place is kept as posts arrive above it, and each row
	// shows its own post, up to date.
	seen := map[string]bool{}
	for k, row := range c.list.rows {
		id := c.list.shown[k]
		if id < 0 {
			continue
		}
		want := c.posts[id].Text
		if row.body.text != want {
			t.Errorf("row %d shows %q, want %q", id, row.body.text, want)
		}
		if seen[want] {
			t.Errorf("two rows show %q", want)
		}
		seen[want] = true
	}
	if len(seen) < 4 {
		t.Errorf("%d rows on screen", len(seen))
	}
	if c.newCount == 0 {
		t.Error("the posts that arrived above the reader are not counted")
	}
}
