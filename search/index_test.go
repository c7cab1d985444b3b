package search

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"chancery/feeds"
)

func TestIndexFollowsTheCache(t *testing.T) {
	f := newFixture(t, "vienna/vie1", "beijing/bei1")
	idx := f.open(t)
	f.put(t, "vie1", feeds.Home, mkPost("p1", "en", "Passport office hours", 1))
	f.put(t, "vie1", feeds.Mentions, mkPost("p1", "en", "Passport office hours", 1))
	eventually(t, "new post indexed", func() bool { return sameIDs(find(t, idx, Request{Query: "passport"}), "p1") })

	// An edited post is found by its new text only.
	f.put(t, "vie1", feeds.Home, mkPost("p1", "en", "Consular office hours", 1))
	eventually(t, "edit indexed", func() bool { return len(find(t, idx, Request{Query: "passport"})) == 0 })

	// The retention (50) drops the oldest post of home; mentions still holds it.
	batch := make([]feeds.Post, 50)
	for i := range batch {
		batch[i] = mkPost(fmt.Sprintf("n%02d", i), "en", "Newer notice", 10+i)
	}
	f.put(t, "vie1", feeds.Home, batch...)
	eventually(t, "newer posts indexed", func() bool { return len(find(t, idx, Request{Query: "notice", Limit: 100})) == 50 })
	res, err := idx.Search(t.Context(), Request{Query: "consular"})
	if err != nil || len(res.Hits) != 1 || fmt.Sprint(res.Hits[0].Kinds) != "[mentions]" {
		t.Fatalf("after home dropped p1: %+v %v", res.Hits, err)
	}
	// Once mentions drops it too, it is gone.
	more := make([]feeds.Post, 50)
	for i := range more {
		more[i] = mkPost(fmt.Sprintf("m%02d", i), "en", "Mention", 100+i)
	}
	f.put(t, "vie1", feeds.Mentions, more...)
	eventually(t, "dropped post removed", func() bool { return len(find(t, idx, Request{Query: "consular"})) == 0 })

	// Removing an account removes its posts.
	f.put(t, "bei1", feeds.Home, mkPost("b1", "en", "Notice from Beijing", 1))
	eventually(t, "beijing indexed", func() bool { return len(find(t, idx, Request{Query: "notice", Limit: 100})) == 51 })
	if err := f.db.DeleteAccount("vie1"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "account removed", func() bool { return sameIDs(find(t, idx, Request{Query: "notice", Limit: 100}), "b1") })
}

func TestIndexRebuilt(t *testing.T) {
	damage := map[string]func(t *testing.T, dir string){
		"deleted": func(t *testing.T, dir string) {
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
		},
		"corrupted": func(t *testing.T, dir string) {
			err := filepath.WalkDir(filepath.Join(dir, bleveDir), func(path string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					err = os.WriteFile(path, []byte("garbage"), 0o600)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		},
		"older format": func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, formatFile), []byte(`{"format":0}`), 0o600); err != nil {
				t.Fatal(err)
			}
		},
		"left open by a crash": func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, openFile), nil, 0o600); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, fn := range damage {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, "vienna/vie1")
			f.open(t)
			f.close(t)
			// Posts cached while the index is closed are only found after a build.
			f.put(t, "vie1", feeds.Home, mkPost("p1", "fr", "Passeports consulaires", 1))
			fn(t, filepath.Join(f.dir, "search-index"))
			var sawBuild bool
			idx, err := New(filepath.Join(f.dir, "search-index"), f.db)
			if err != nil {
				t.Fatal(err)
			}
			idx.OnProgress(func(p Progress) { sawBuild = sawBuild || p.Building })
			idx.Start()
			t.Cleanup(func() { _ = idx.Close() })
			if got := find(t, idx, Request{Query: "passeport"}); !sameIDs(got, "p1") {
				t.Fatalf("after the index was %s: %v", name, got)
			}
			if !sawBuild {
				t.Error("no build progress was reported")
			}
		})
	}
}

func TestIndexKeptWhenWhole(t *testing.T) {
	f := newFixture(t, "vienna/vie1")
	f.open(t)
	f.close(t)
	// A post cached behind the index's back is not found: the index was
	// opened as it was, not built again.
	f.put(t, "vie1", feeds.Home, mkPost("p1", "en", "Passports", 1))
	idx := f.open(t)
	if got := find(t, idx, Request{Query: "passport"}); len(got) != 0 {
		t.Fatalf("index was rebuilt: %v", got)
	}
}

func TestIndexUpdatedWithoutStart(t *testing.T) {
	f := newFixture(t, "vienna/vie1")
	f.open(t)
	f.close(t)
	// A command that caches posts without searching: the index is only
	// told, never started; closing it applies what it was told.
	idx, err := New(filepath.Join(f.dir, "search-index"), f.db)
	if err != nil {
		t.Fatal(err)
	}
	f.db.ObservePosts(idx.Observe)
	f.put(t, "vie1", feeds.Home, mkPost("p1", "en", "Passports", 1))
	f.db.ObservePosts(nil)
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	again := f.open(t)
	if got := find(t, again, Request{Query: "passport"}); !sameIDs(got, "p1") {
		t.Fatalf("post cached by a command not found: %v", got)
	}
}

func TestIndexNotStartedKeepsNoGrowingQueue(t *testing.T) {
	for _, startLater := range []bool{false, true} {
		t.Run(fmt.Sprint("start later ", startLater), func(t *testing.T) {
			f := newFixture(t, "vienna/vie1")
			f.open(t)
			f.close(t)
			idx, err := New(filepath.Join(f.dir, "search-index"), f.db)
			if err != nil {
				t.Fatal(err)
			}
			f.db.ObservePosts(idx.Observe)
			defer f.db.ObservePosts(nil)
			for i := 0; i*50 <= maxPendingUnstarted; i++ {
				batch := make([]feeds.Post, 50)
				for j := range batch {
					batch[j] = mkPost(fmt.Sprintf("p%d-%d", i, j), "en", "Passport notice", i*50+j)
				}
				f.put(t, "vie1", feeds.Home, batch...)
			}
			idx.mu.Lock()
			queued, overflow := len(idx.pending), idx.overflow
			idx.mu.Unlock()
			if queued != 0 || !overflow {
				t.Fatalf("%d changes queued, overflow %v", queued, overflow)
			}
			if startLater {
				idx.Start()
				t.Cleanup(func() { _ = idx.Close() })
				if got := find(t, idx, Request{Query: "passport", Limit: 100}); len(got) != 50 {
					t.Fatalf("found %d posts after a start", len(got))
				}
				return
			}
			if err := idx.Close(); err != nil {
				t.Fatal(err)
			}
			f.db.ObservePosts(nil)
			if got := find(t, f.open(t), Request{Query: "passport", Limit: 100}); len(got) != 50 {
				t.Fatalf("found %d posts after the next start", len(got))
			}
		})
	}
}

func TestIndexNotStartedMarkedForBuildRatherThanSlowToClose(t *testing.T) {
	f := newFixture(t, "vienna/vie1")
	f.open(t)
	f.close(t)
	idx, err := New(filepath.Join(f.dir, "search-index"), f.db)
	if err != nil {
		t.Fatal(err)
	}
	f.db.ObservePosts(idx.Observe)
	for i := range 12 { // 12 × 50 posts put, 11 × 50 dropped: more than maxAppliedAtClose
		batch := make([]feeds.Post, 50)
		for j := range batch {
			batch[j] = mkPost(fmt.Sprintf("p%d-%d", i, j), "en", "Passport notice", i*50+j)
		}
		f.put(t, "vie1", feeds.Home, batch...)
	}
	f.db.ObservePosts(nil)
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(f.dir, "search-index", formatFile)); !os.IsNotExist(err) {
		t.Fatalf("index not marked for a new build: %v", err)
	}
	if got := find(t, f.open(t), Request{Query: "passport", Limit: 100}); len(got) != 50 {
		t.Fatalf("found %d posts after the next start", len(got))
	}
}
