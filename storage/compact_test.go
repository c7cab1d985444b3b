package storage

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"chancery/feeds"
)

func TestCompactTrimsShrinksAndKeepsWorking(t *testing.T) {
	db := openTest(t, Options{Retention: 5000})
	addAccount(t, db, "vienna", "a1")
	key := feeds.TimelineKey{Account: "a1", Kind: feeds.Home}
	for batch := range 40 {
		var ps []feeds.Post
		for i := range 100 {
			ps = append(ps, post("a1", fmt.Sprintf("p%d-%d", batch, i), batch*100+i))
		}
		if _, err := db.PutPosts(key, ps, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	newest, _ := db.Posts(key, 1)
	if err := db.SetRetention(200); err != nil {
		t.Fatal(err)
	}
	if db.Retention() != 200 {
		t.Fatalf("retention %d", db.Retention())
	}
	// Readers and writers running during the compaction wait, then go on.
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 10 {
		wg.Go(func() {
			if _, err := db.Posts(key, 10); err != nil {
				errs <- err
			}
			if err := db.SetSetting("k", []byte("v")); err != nil {
				errs <- err
			}
		})
	}
	before, after, err := db.Compact()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("during compaction: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if after >= before/2 {
		t.Errorf("file %d bytes before, %d after: expected it to shrink a lot", before, after)
	}
	if n, _ := db.CountPosts(key); n != 200 {
		t.Errorf("%d posts after compaction, want the retention (200)", n)
	}
	got, err := db.Posts(key, 1)
	if err != nil || len(got) != 1 || got[0].ID != newest[0].ID {
		t.Errorf("newest post after compaction: %v, %v", got, err)
	}
	if _, err := db.PutPosts(key, []feeds.Post{post("a1", "after", 99999)}, time.Now()); err != nil {
		t.Errorf("write after compaction: %v", err)
	}
	if size, _ := db.Size(); size != after && size < after {
		t.Errorf("size %d after a write, was %d", size, after)
	}
}

func TestRetentionIsRememberedWithAFloor(t *testing.T) {
	path := t.TempDir() + "/chancery.db"
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if db.Retention() != DefaultRetention {
		t.Errorf("default retention %d", db.Retention())
	}
	_ = db.SetRetention(3)
	if db.Retention() != 50 {
		t.Errorf("retention %d, want the floor 50", db.Retention())
	}
	_ = db.SetRetention(750)
	db.Close()
	db, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Retention() != 750 {
		t.Errorf("reopened with retention %d, want 750", db.Retention())
	}
}

func TestProfileStaysLockedThroughCompaction(t *testing.T) {
	path := t.TempDir() + "/chancery.db"
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	done := make(chan error, 1)
	go func() {
		// Another process (here: another Open) tries while the file is
		// being swapped; it must be refused, never given the old file.
		for range 20 {
			other, err := Open(path, Options{LockTimeout: 10 * time.Millisecond})
			if err == nil {
				other.Close()
				done <- fmt.Errorf("a second open succeeded during compaction")
				return
			}
		}
		done <- nil
	}()
	for range 5 {
		if _, _, err := db.Compact(); err != nil {
			t.Fatal(err)
		}
	}
	if err := <-done; err != nil {
		t.Error(err)
	}
	db.Close()
	again, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("reopen after close: %v", err)
	}
	again.Close()
}
