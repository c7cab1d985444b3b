package storage

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"chancery/feeds"
)

// Benchmarks use bbolt's defaults, as the app does: NoSync is false, so every
// batch's transaction is fsynced.

const batchSize = 100

// benchBatch returns the n-th batch of realistic posts: new ids, each batch
// newer than the one before.
func benchBatch(n int) []feeds.Post {
	tmpl := post("a", "", 0)
	posts := make([]feeds.Post, batchSize)
	for i := range posts {
		p := tmpl
		p.ID = strconv.Itoa(n*batchSize + i)
		p.CreatedAt = t0.Add(time.Duration(n*batchSize+i) * time.Second)
		posts[i] = p
	}
	return posts
}

func reportPostsPerSecond(b *testing.B, batches int) {
	b.ReportMetric(float64(batches*batchSize)/b.Elapsed().Seconds(), "posts/s")
}

// BenchmarkIngest measures PutPosts of batches of 100 new posts into one
// timeline (with the default retention of 2000, trimming once full).
func BenchmarkIngest(b *testing.B) {
	db := openTest(b, Options{})
	addAccount(b, db, "vienna", "a")
	n := 0
	for b.Loop() {
		if _, err := db.PutPosts(home, benchBatch(n), t0); err != nil {
			b.Fatal(err)
		}
		n++
	}
	reportPostsPerSecond(b, n)
}

// BenchmarkRawPut is BenchmarkIngest's floor: the same posts, JSON-encoded
// and put under the same keys, 100 to a transaction, into a bare bbolt file
// with no index, count or retention.
func BenchmarkRawPut(b *testing.B) {
	bdb, err := bolt.Open(filepath.Join(b.TempDir(), "raw.db"), 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer bdb.Close()
	bucket := []byte("posts")
	n := 0
	for b.Loop() {
		posts := benchBatch(n)
		err := bdb.Update(func(tx *bolt.Tx) error {
			bk, err := tx.CreateBucketIfNotExists(bucket)
			if err != nil {
				return err
			}
			for i := range posts {
				raw, err := json.Marshal(&posts[i])
				if err != nil {
					return err
				}
				if err := bk.Put(postKey(posts[i].CreatedAt, posts[i].ID), raw); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
	reportPostsPerSecond(b, n)
}

// BenchmarkNewest200 reads the newest 200 posts of a 10,000-post timeline.
func BenchmarkNewest200(b *testing.B) {
	db := openTest(b, Options{Retention: 10_000})
	addAccount(b, db, "vienna", "a")
	for n := range 10_000 / batchSize {
		if _, err := db.PutPosts(home, benchBatch(n), t0); err != nil {
			b.Fatal(err)
		}
	}
	if c, err := db.CountPosts(home); err != nil || c != 10_000 {
		b.Fatalf("CountPosts() = %d, %v", c, err)
	}
	for b.Loop() {
		posts, err := db.Posts(home, 200)
		if err != nil || len(posts) != 200 {
			b.Fatalf("Posts() = %d posts, %v", len(posts), err)
		}
	}
}
