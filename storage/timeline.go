package storage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"chancery/feeds"
)

// Keys inside one timeline's bucket (named "account/kind" in bucketTimelines).
var (
	keyTimelineKey = []byte("key")          // JSON timelineRef: the key it was created for
	keyRefreshedAt = []byte("refreshed_at") // JSON time of the last refresh
	keyCount       = []byte("count")        // JSON int: number of posts
	bucketPosts    = []byte("posts")        // time key + post id -> JSON feeds.Post
	bucketIDs      = []byte("ids")          // post id -> time key
)

// postsFillPercent is how full a posts page is left when it splits.
const postsFillPercent = 0.9

// timelineRef is how a timeline bucket records its own key, so that a bucket
// name never has to be parsed back (account ids and kinds may hold "/").
type timelineRef struct {
	Account string     `json:"account"`
	Kind    feeds.Kind `json:"kind"`
}

// timeline is one timeline's buckets within a transaction.
type timeline struct {
	b, posts, ids *bolt.Bucket
}

// findTimeline returns the timeline of key, or false if it was never written
// (a bucket of the same name made for another key does not count).
func findTimeline(tx *bolt.Tx, key feeds.TimelineKey) (timeline, bool) {
	b := tx.Bucket(bucketTimelines).Bucket([]byte(key.String()))
	if b == nil {
		return timeline{}, false
	}
	tl := timeline{b: b, posts: b.Bucket(bucketPosts), ids: b.Bucket(bucketIDs)}
	if tl.posts == nil || tl.ids == nil {
		return timeline{}, false
	}
	if ref, err := tl.ref(); err != nil || ref != key {
		return timeline{}, false
	}
	return tl, true
}

// createTimeline returns the timeline of key, creating it if needed.
func createTimeline(tx *bolt.Tx, key feeds.TimelineKey) (timeline, error) {
	if key.Account == "" || key.Kind == "" {
		return timeline{}, fmt.Errorf("incomplete timeline key %q", key.String())
	}
	b, err := tx.Bucket(bucketTimelines).CreateBucketIfNotExists([]byte(key.String()))
	if err != nil {
		return timeline{}, err
	}
	if err := claimTimeline(b, key); err != nil {
		return timeline{}, err
	}
	tl := timeline{b: b}
	if tl.posts, err = b.CreateBucketIfNotExists(bucketPosts); err != nil {
		return timeline{}, err
	}
	if tl.ids, err = b.CreateBucketIfNotExists(bucketIDs); err != nil {
		return timeline{}, err
	}
	// Posts mostly arrive newer than all before them: fill pages when
	// splitting, rather than leave them half empty.
	tl.posts.FillPercent = postsFillPercent
	return tl, nil
}

// claimTimeline records key in a new timeline bucket, or checks that the
// bucket was made for the same key and not for one with the same name.
func claimTimeline(b *bolt.Bucket, key feeds.TimelineKey) error {
	ref := timelineRef{Account: key.Account, Kind: key.Kind}
	var stored timelineRef
	ok, err := getJSON(b, keyTimelineKey, &stored)
	switch {
	case err != nil:
		return err
	case !ok:
		return putJSON(b, keyTimelineKey, ref)
	case stored != ref:
		return fmt.Errorf("timeline bucket %q already holds account %q, kind %q", key.String(), stored.Account, stored.Kind)
	}
	return nil
}

// ref reads the key the timeline was created for.
func (tl timeline) ref() (feeds.TimelineKey, error) {
	var r timelineRef
	ok, err := getJSON(tl.b, keyTimelineKey, &r)
	if err == nil && !ok {
		err = fmt.Errorf("%w: timeline without its key", ErrCorrupt)
	}
	return feeds.TimelineKey{Account: r.Account, Kind: r.Kind}, err
}

func (tl timeline) count() (int, error) {
	var n int
	_, err := getJSON(tl.b, keyCount, &n)
	return n, err
}

func (tl timeline) refreshedAt() (time.Time, error) {
	var t time.Time
	_, err := getJSON(tl.b, keyRefreshedAt, &t)
	return t, err
}

// merge stores posts, updating those already present, then keeps only the
// newest retention posts. It returns how many of the posts were new and
// kept, and the ids of the posts it dropped.
func (tl timeline) merge(posts []feeds.Post, retention int) (int, []string, error) {
	n, err := tl.count()
	if err != nil {
		return 0, nil, err
	}
	fresh := map[string]bool{}
	for i := range posts {
		isNew, err := tl.put(&posts[i])
		if err != nil {
			return 0, nil, fmt.Errorf("post %q: %w", posts[i].ID, err)
		}
		if isNew {
			fresh[posts[i].ID] = true
			n++
		}
	}
	removed, removedFresh, err := tl.trim(n-retention, fresh)
	if err != nil {
		return 0, nil, err
	}
	return len(fresh) - removedFresh, removed, putJSON(tl.b, keyCount, n-len(removed))
}

// put stores one post, moving it if its time changed; it reports whether the
// post is new to the timeline.
func (tl timeline) put(p *feeds.Post) (bool, error) {
	if p.ID == "" {
		return false, errors.New("empty post id")
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return false, fmt.Errorf("encode: %w", err)
	}
	id := []byte(p.ID)
	tk := timeKey(p.CreatedAt)
	old := tl.ids.Get(id)
	if old != nil && !bytes.Equal(old, tk[:]) {
		if err := tl.posts.Delete(joinPostKey(old, p.ID)); err != nil {
			return false, err
		}
	}
	if err := tl.posts.Put(joinPostKey(tk[:], p.ID), raw); err != nil {
		return false, err
	}
	if old == nil || !bytes.Equal(old, tk[:]) {
		if err := tl.ids.Put(id, tk[:]); err != nil {
			return false, err
		}
	}
	return old == nil, nil
}

// trim deletes up to excess of the oldest posts. It reports the ids it
// deleted, and how many of those were in fresh (new in this merge).
func (tl timeline) trim(excess int, fresh map[string]bool) (removed []string, removedFresh int, err error) {
	if excess <= 0 {
		return nil, 0, nil
	}
	victims := make([][]byte, 0, excess)
	c := tl.posts.Cursor()
	for k, _ := c.First(); k != nil && len(victims) < excess; k, _ = c.Next() {
		victims = append(victims, bytes.Clone(k))
	}
	for _, k := range victims {
		id, err := postKeyID(k)
		if err != nil {
			return nil, 0, fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		if err := tl.posts.Delete(k); err != nil {
			return nil, 0, err
		}
		if err := tl.ids.Delete([]byte(id)); err != nil {
			return nil, 0, err
		}
		if fresh[id] {
			removedFresh++
		}
		removed = append(removed, id)
	}
	return removed, removedFresh, nil
}

// collect decodes posts from the cursor position k, v backwards (older),
// up to limit (no limit if limit <= 0).
func collect(c *bolt.Cursor, k, v []byte, limit int) ([]feeds.Post, error) {
	out := make([]feeds.Post, 0, min(max(limit, 0), 1024))
	for ; k != nil && (limit <= 0 || len(out) < limit); k, v = c.Prev() {
		var p feeds.Post
		if err := decode(v, &p); err != nil {
			return nil, fmt.Errorf("post %x: %w", k, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// deleteTimelines removes every timeline of an account.
func deleteTimelines(tx *bolt.Tx, accountID string) error {
	all := tx.Bucket(bucketTimelines)
	var doomed [][]byte
	err := all.ForEachBucket(func(name []byte) error {
		key, err := timeline{b: all.Bucket(name)}.ref()
		if err != nil {
			return fmt.Errorf("timeline %q: %w", name, err)
		}
		if key.Account == accountID {
			doomed = append(doomed, bytes.Clone(name))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, name := range doomed {
		if err := all.DeleteBucket(name); err != nil {
			return fmt.Errorf("delete timeline %q: %w", name, err)
		}
	}
	return nil
}
