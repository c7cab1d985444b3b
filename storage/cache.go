package storage

import (
	"bytes"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"chancery/accounts"
	"chancery/feeds"
)

var _ feeds.Cache = (*DB)(nil)

// PutPosts merges posts into a timeline: a post whose id is already there is
// updated (and moved if its time changed), others are inserted; then the
// oldest posts beyond the retention are dropped and refreshedAt is recorded.
// It returns how many posts were new and kept. The timeline's account must
// exist (else accounts.ErrNoAccount), so a deleted account's timeline is
// never recreated by a refresh still in flight.
func (db *DB) PutPosts(key feeds.TimelineKey, posts []feeds.Post, refreshedAt time.Time) (int, error) {
	added := 0
	err := db.update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketAccounts).Get([]byte(key.Account)) == nil {
			return accounts.ErrNoAccount
		}
		if err := archiveReceived(tx, key, posts, time.Now()); err != nil {
			return err
		}
		tl, err := createTimeline(tx, key)
		if err != nil {
			return err
		}
		var removed []string
		if added, removed, err = tl.merge(posts, db.Retention()); err != nil {
			return err
		}
		tx.OnCommit(func() { db.notify(PostsChange{Key: key, Put: slices.Clone(posts), Removed: removed}) })
		return putJSON(tl.b, keyRefreshedAt, refreshedAt.UTC())
	})
	if err != nil {
		return 0, fmt.Errorf("put posts %s: %w", key, err)
	}
	return added, nil
}

// Posts returns up to limit posts of a timeline, newest first (all of them if
// limit <= 0). A timeline never written gives an empty slice.
func (db *DB) Posts(key feeds.TimelineKey, limit int) ([]feeds.Post, error) {
	out := []feeds.Post{}
	err := db.view(func(tx *bolt.Tx) error {
		tl, ok := findTimeline(tx, key)
		if !ok {
			return nil
		}
		c := tl.posts.Cursor()
		k, v := c.Last()
		var err error
		out, err = collect(c, k, v, limit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("posts of %s: %w", key, err)
	}
	return out, nil
}

// PostsBefore returns up to limit posts older than the post (before,
// beforeID), newest first: the page after one that ended with that post.
// With an empty beforeID it returns the posts strictly older than before.
func (db *DB) PostsBefore(key feeds.TimelineKey, before time.Time, beforeID string, limit int) ([]feeds.Post, error) {
	out := []feeds.Post{}
	err := db.view(func(tx *bolt.Tx) error {
		tl, ok := findTimeline(tx, key)
		if !ok {
			return nil
		}
		c := tl.posts.Cursor()
		// Seek finds the first key at or after the mark; the page starts
		// just before it, or at the end if every post is older.
		var k, v []byte
		if next, _ := c.Seek(postKey(before, beforeID)); next == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
		var err error
		out, err = collect(c, k, v, limit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("posts of %s before %s: %w", key, before.Format(time.RFC3339Nano), err)
	}
	return out, nil
}

// PostsAfter returns up to limit posts newer than the post (after, afterID),
// oldest first: the page that comes before one that started with that post,
// nearest first. With an empty afterID it returns the posts at or after the
// instant after.
func (db *DB) PostsAfter(key feeds.TimelineKey, after time.Time, afterID string, limit int) ([]feeds.Post, error) {
	out := []feeds.Post{}
	err := db.view(func(tx *bolt.Tx) error {
		tl, ok := findTimeline(tx, key)
		if !ok {
			return nil
		}
		c := tl.posts.Cursor()
		mark := postKey(after, afterID)
		k, v := c.Seek(mark)
		if k != nil && afterID != "" && bytes.Equal(k, mark) {
			k, v = c.Next() // the mark itself is not newer than itself
		}
		for ; k != nil && (limit <= 0 || len(out) < limit); k, v = c.Next() {
			var p feeds.Post
			if err := decode(v, &p); err != nil {
				return fmt.Errorf("post %x: %w", k, err)
			}
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("posts of %s after %s: %w", key, after.Format(time.RFC3339Nano), err)
	}
	return out, nil
}

// LastRefreshed returns when the timeline was last refreshed, or the zero
// time if it never was.
func (db *DB) LastRefreshed(key feeds.TimelineKey) (time.Time, error) {
	var t time.Time
	err := db.view(func(tx *bolt.Tx) error {
		tl, ok := findTimeline(tx, key)
		if !ok {
			return nil
		}
		var err error
		t, err = tl.refreshedAt()
		return err
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("last refresh of %s: %w", key, err)
	}
	return t, nil
}

// CountPosts returns how many posts a timeline holds.
func (db *DB) CountPosts(key feeds.TimelineKey) (int, error) {
	n := 0
	err := db.view(func(tx *bolt.Tx) error {
		tl, ok := findTimeline(tx, key)
		if !ok {
			return nil
		}
		var err error
		n, err = tl.count()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("count posts of %s: %w", key, err)
	}
	return n, nil
}

// Timelines returns the key of every cached timeline, in bucket name order.
func (db *DB) Timelines() ([]feeds.TimelineKey, error) {
	keys := []feeds.TimelineKey{}
	err := db.view(func(tx *bolt.Tx) error {
		all := tx.Bucket(bucketTimelines)
		return all.ForEachBucket(func(name []byte) error {
			key, err := timeline{b: all.Bucket(name)}.ref()
			if err != nil {
				return fmt.Errorf("timeline %q: %w", name, err)
			}
			keys = append(keys, key)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list timelines: %w", err)
	}
	return keys, nil
}
