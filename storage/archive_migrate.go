package storage

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"chancery/drafts"
	"chancery/feeds"
)

// migrateArchive (schema 1 → 2) fills the new records archive with what a
// profile made before it holds: its sent outbox entries, then the
// mentions and replies in its cached timelines. A damaged entry or post
// is passed over rather than keep the profile from opening: the outbox
// and the cache report it where they are read.
func migrateArchive(tx *bolt.Tx) error {
	now := time.Now()
	if err := tx.Bucket(bucketOutbox).ForEach(func(_, v []byte) error {
		var e drafts.Entry
		if decode(v, &e) != nil {
			return nil
		}
		return archivePublished(tx, e, now)
	}); err != nil {
		return fmt.Errorf("archive sent posts: %w", err)
	}
	keys, err := cachedTimelines(tx)
	if err != nil {
		return err
	}
	for _, key := range keys {
		if err := archiveCached(tx, key, now); err != nil {
			return fmt.Errorf("archive received posts of %s: %w", key, err)
		}
	}
	return nil
}

// cachedTimelines lists the timelines of accounts that still exist.
func cachedTimelines(tx *bolt.Tx) ([]feeds.TimelineKey, error) {
	var keys []feeds.TimelineKey
	all := tx.Bucket(bucketTimelines)
	err := all.ForEachBucket(func(name []byte) error {
		key, err := timeline{b: all.Bucket(name)}.ref()
		if err != nil {
			return fmt.Errorf("timeline %q: %w", name, err)
		}
		if tx.Bucket(bucketAccounts).Get([]byte(key.Account)) != nil {
			keys = append(keys, key)
		}
		return nil
	})
	return keys, err
}

// archiveCached records the received posts of one cached timeline, a page
// at a time.
func archiveCached(tx *bolt.Tx, key feeds.TimelineKey, now time.Time) error {
	tl, ok := findTimeline(tx, key)
	if !ok {
		return nil
	}
	const page = 500
	batch := make([]feeds.Post, 0, page)
	c := tl.posts.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var p feeds.Post
		if decode(v, &p) != nil {
			continue
		}
		if batch = append(batch, p); len(batch) == page {
			if err := archiveReceived(tx, key, batch, now); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	return archiveReceived(tx, key, batch, now)
}
