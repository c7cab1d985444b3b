package storage

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"chancery/feeds"
)

func postIDs(t *testing.T, db *DB, key feeds.TimelineKey) []string {
	t.Helper()
	posts, err := db.Posts(key, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(posts))
	for i, p := range posts {
		out[i] = p.ID
	}
	return out
}

func TestDropPostLeavesEveryTimelineOfTheAccountButKeepsTheRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chancery.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	addAccount(t, db, "vienna", "a1")
	addAccount(t, db, "vienna", "a2")
	if err := db.PutEntry(sentEntry("a1", "e1", "900", 1)); err != nil {
		t.Fatal(err)
	}
	own := feeds.TimelineKey{Account: "a1", Kind: feeds.Own}
	home := feeds.TimelineKey{Account: "a1", Kind: feeds.Home}
	mentions := feeds.TimelineKey{Account: "a1", Kind: feeds.Mentions}
	other := feeds.TimelineKey{Account: "a2", Kind: feeds.Home}
	for key, posts := range map[feeds.TimelineKey][]feeds.Post{
		own:      {post("a1", "900", 1), post("a1", "901", 2)},
		home:     {post("a1", "900", 1), post("a1", "h1", 3)},
		mentions: {mention("a1", "m1", 4)},
		other:    {post("a2", "900", 1)},
	} {
		if _, err := db.PutPosts(key, posts, t0); err != nil {
			t.Fatal(err)
		}
	}
	published := len(records(t, db, feeds.RecordPublished, time.Time{}))
	received := len(records(t, db, feeds.RecordReceived, time.Time{}))
	var rec recorder
	db.ObservePosts(rec.observe)

	n, err := db.DropPost("a1", "900")
	if err != nil || n != 2 {
		t.Fatalf("DropPost = %d, %v; want 2 timelines", n, err)
	}
	for key, want := range map[feeds.TimelineKey][]string{
		own: {"901"}, home: {"h1"}, mentions: {"m1"}, other: {"900"},
	} {
		if got := postIDs(t, db, key); !slices.Equal(got, want) {
			t.Errorf("%s holds %v, want %v", key, got, want)
		}
	}
	if c, err := db.CountPosts(own); err != nil || c != 1 {
		t.Errorf("own counts %d, %v", c, err)
	}
	changes := rec.take()
	if len(changes) != 2 {
		t.Fatalf("observer told %+v", changes)
	}
	for _, c := range changes {
		if c.Key.Account != "a1" || !slices.Equal(c.Removed, []string{"900"}) || len(c.Put) != 0 {
			t.Errorf("change %+v", c)
		}
	}
	// Again: nothing to drop, nothing to tell, no error.
	if n, err := db.DropPost("a1", "900"); err != nil || n != 0 {
		t.Errorf("second DropPost = %d, %v", n, err)
	}
	if got := rec.take(); len(got) != 0 {
		t.Errorf("a drop of nothing was reported: %+v", got)
	}
	// The archive keeps what was published and received, across a reopen.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pub := records(t, db, feeds.RecordPublished, time.Time{})
	if len(pub) != published || published != 1 || pub[0].RemoteID != "900" {
		t.Errorf("published records after the delete: %+v (had %d)", pub, published)
	}
	if got := len(records(t, db, feeds.RecordReceived, time.Time{})); got != received || received == 0 {
		t.Errorf("%d received records, had %d", got, received)
	}
	if got := postIDs(t, db, own); !slices.Equal(got, []string{"901"}) {
		t.Errorf("after reopening, own holds %v", got)
	}
}
