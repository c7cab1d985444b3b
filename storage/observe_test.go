package storage

import (
	"slices"
	"sync"
	"testing"

	"chancery/feeds"
)

// recorder keeps the changes an observer was told about.
type recorder struct {
	mu      sync.Mutex
	changes []PostsChange
}

func (r *recorder) observe(cs ...PostsChange) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.changes = append(r.changes, cs...)
}

func (r *recorder) take() []PostsChange {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.changes
	r.changes = nil
	return out
}

func TestObservePosts(t *testing.T) {
	db := openTest(t, Options{Retention: 50})
	addAccount(t, db, "vienna", "a1")
	var rec recorder
	db.ObservePosts(rec.observe)
	key := feeds.TimelineKey{Account: "a1", Kind: feeds.Home}

	batch := make([]feeds.Post, 0, 52)
	for i := range 52 {
		batch = append(batch, post("a1", "p"+string(rune('A'+i)), i))
	}
	if _, err := db.PutPosts(key, batch, t0); err != nil {
		t.Fatal(err)
	}
	got := rec.take()
	if len(got) != 1 || got[0].Key != key || len(got[0].Put) != 52 {
		t.Fatalf("after a put of 52: %+v", got)
	}
	// The two oldest went at once, to keep 50.
	if want := []string{"pA", "pB"}; !slices.Equal(got[0].Removed, want) {
		t.Fatalf("removed %v, want %v", got[0].Removed, want)
	}

	// A refused write tells nothing.
	if _, err := db.PutPosts(feeds.TimelineKey{Account: "ghost", Kind: feeds.Home}, batch[:1], t0); err == nil {
		t.Fatal("put into a missing account succeeded")
	}
	if got := rec.take(); len(got) != 0 {
		t.Fatalf("a failed write was reported: %+v", got)
	}

	// Compact trims to a lower retention and says what went.
	if err := db.SetRetention(50); err != nil {
		t.Fatal(err)
	}
	db.retention.Store(48)
	if _, _, err := db.Compact(); err != nil {
		t.Fatal(err)
	}
	got = rec.take()
	if len(got) != 1 || got[0].Key != key || !slices.Equal(got[0].Removed, []string{"pC", "pD"}) {
		t.Fatalf("after compact: %+v", got)
	}

	if err := db.DeleteAccount("a1"); err != nil {
		t.Fatal(err)
	}
	if got := rec.take(); len(got) != 1 || got[0].AccountRemoved != "a1" {
		t.Fatalf("after account removal: %+v", got)
	}

	db.ObservePosts(nil)
	addAccount(t, db, "vienna", "a2")
	if _, err := db.PutPosts(feeds.TimelineKey{Account: "a2", Kind: feeds.Home}, batch[:1], t0); err != nil {
		t.Fatal(err)
	}
	if got := rec.take(); len(got) != 0 {
		t.Fatalf("observer still called after removal: %+v", got)
	}
}
