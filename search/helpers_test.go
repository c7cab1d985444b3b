package search

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/storage"
)

var t0 = time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)

// fixture is a profile with a database and its index.
type fixture struct {
	dir string
	db  *storage.DB
	idx *Index
}

// newFixture opens a database in a fresh profile folder, with the accounts
// given as "mission/account".
func newFixture(t *testing.T, accts ...string) *fixture {
	t.Helper()
	dir := t.TempDir()
	db, err := storage.Open(filepath.Join(dir, "chancery.db"), storage.Options{Retention: 50})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	for _, ma := range accts {
		mission, id := filepath.Split(ma)
		mission = filepath.Clean(mission)
		if err := db.PutMission(accounts.Mission{ID: mission, Names: map[string]string{"en": mission}}); err != nil {
			t.Fatal(err)
		}
		a := accounts.Account{ID: id, Mission: mission, Network: accounts.Mastodon, Server: "https://example.org", Handle: "@" + id}
		if err := db.PutAccount(a); err != nil {
			t.Fatal(err)
		}
	}
	return &fixture{dir: dir, db: db}
}

// open starts the index over the fixture's database and waits until it is
// ready; it is closed at the end of the test.
func (f *fixture) open(t *testing.T) *Index {
	t.Helper()
	idx, err := New(filepath.Join(f.dir, "search-index"), f.db)
	if err != nil {
		t.Fatal(err)
	}
	f.db.ObservePosts(idx.Observe)
	idx.Start()
	t.Cleanup(func() { _ = idx.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := idx.Wait(ctx); err != nil {
		t.Fatalf("index not ready: %v", err)
	}
	f.idx = idx
	return idx
}

// close closes the index and stops following the database.
func (f *fixture) close(t *testing.T) {
	t.Helper()
	f.db.ObservePosts(nil)
	if err := f.idx.Close(); err != nil {
		t.Fatal(err)
	}
}

// put caches posts in a timeline.
func (f *fixture) put(t *testing.T, account string, kind feeds.Kind, posts ...feeds.Post) {
	t.Helper()
	for i := range posts {
		posts[i].Account = account
	}
	if _, err := f.db.PutPosts(feeds.TimelineKey{Account: account, Kind: kind}, posts, t0); err != nil {
		t.Fatal(err)
	}
}

func mkPost(id, lang, text string, minutes int) feeds.Post {
	return feeds.Post{
		ID: id, Network: accounts.Mastodon, Author: "Press office " + id, AuthorHandle: "@press",
		Text: text, Lang: lang, CreatedAt: t0.Add(time.Duration(minutes) * time.Minute),
		URL: "https://example.org/@press/" + id,
	}
}

// find searches and returns the ids of the posts found, newest first.
func find(t *testing.T, idx *Index, r Request) []string {
	t.Helper()
	res, err := search(t, idx, r)
	if err != nil {
		t.Fatalf("search %q: %v", r.Query, err)
	}
	return res
}

func search(t *testing.T, idx *Index, r Request) ([]string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := idx.Search(ctx, r)
	ids := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		ids = append(ids, h.Post.ID)
	}
	return ids, err
}

// eventually polls cond until it holds, failing after a generous deadline.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func sameIDs(got []string, want ...string) bool {
	return slices.Equal(got, want)
}
