package storage

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"chancery/feeds"
)

var _ feeds.PostDropper = (*DB)(nil)

// DropPost removes the post with id postID from every cached timeline of
// accountID, after the network deleted it; the search index, which follows
// the cache, drops it too. The records archive keeps its record: nothing
// here touches it. It returns how many timelines held the post (0 when
// none did, which is no error).
func (db *DB) DropPost(accountID, postID string) (int, error) {
	var changes []PostsChange
	err := db.update(func(tx *bolt.Tx) error {
		keys, err := accountTimelines(tx, accountID)
		if err != nil {
			return err
		}
		for _, key := range keys {
			tl, ok := findTimeline(tx, key)
			if !ok {
				continue
			}
			dropped, err := tl.drop(postID)
			if err != nil {
				return fmt.Errorf("timeline %s: %w", key, err)
			}
			if dropped {
				changes = append(changes, PostsChange{Key: key, Removed: []string{postID}})
			}
		}
		tx.OnCommit(func() { db.notify(changes...) })
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("drop post %s of %s: %w", postID, accountID, err)
	}
	return len(changes), nil
}

// accountTimelines returns the keys of accountID's timelines.
func accountTimelines(tx *bolt.Tx, accountID string) ([]feeds.TimelineKey, error) {
	all := tx.Bucket(bucketTimelines)
	var keys []feeds.TimelineKey
	err := all.ForEachBucket(func(name []byte) error {
		key, err := timeline{b: all.Bucket(name)}.ref()
		if err != nil {
			return fmt.Errorf("timeline %q: %w", name, err)
		}
		if key.Account == accountID {
			keys = append(keys, key)
		}
		return nil
	})
	return keys, err
}

// drop deletes the post id from the timeline and lowers its count; it
// reports whether the post was there.
func (tl timeline) drop(id string) (bool, error) {
	tk := tl.ids.Get([]byte(id))
	if tk == nil {
		return false, nil
	}
	if err := tl.posts.Delete(joinPostKey(bytes.Clone(tk), id)); err != nil {
		return false, err
	}
	if err := tl.ids.Delete([]byte(id)); err != nil {
		return false, err
	}
	n, err := tl.count()
	if err != nil {
		return false, err
	}
	return true, putJSON(tl.b, keyCount, max(n-1, 0))
}
