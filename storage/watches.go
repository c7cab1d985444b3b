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

// Buckets of the monitoring desk. They are created at every open like the
// others, so a database of an earlier build gains them without a change of
// schema version, and an earlier build ignores them.
var (
	bucketWatches = []byte("watches")      // mission id -> JSON feeds.Watch
	bucketAlerted = []byte("watch_alerts") // mission + post key -> post time (RFC 3339)
	bucketInbox   = []byte("inbox")        // account + post id -> JSON feeds.InboxState
)

var (
	_ feeds.WatchStore = (*DB)(nil)
	_ feeds.InboxStore = (*DB)(nil)
)

// Watch returns a mission's stored watch.
func (db *DB) Watch(missionID string) (feeds.Watch, bool, error) {
	var w feeds.Watch
	var ok bool
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		ok, err = getJSON(tx.Bucket(bucketWatches), []byte(missionID), &w)
		return err
	})
	if err != nil {
		return feeds.Watch{}, false, fmt.Errorf("read watch of %q: %w", missionID, err)
	}
	return w, ok, nil
}

// SetWatch stores a mission's watch.
func (db *DB) SetWatch(missionID string, w feeds.Watch) error {
	if missionID == "" {
		return errors.New("set watch: empty mission id")
	}
	err := db.update(func(tx *bolt.Tx) error {
		return putJSON(tx.Bucket(bucketWatches), []byte(missionID), w)
	})
	if err != nil {
		return fmt.Errorf("set watch of %q: %w", missionID, err)
	}
	return nil
}

// ClaimAlerts records each claim's key once, in one transaction; fresh[i]
// reports whether this call recorded claims[i].
func (db *DB) ClaimAlerts(claims []feeds.AlertClaim) ([]bool, error) {
	fresh := make([]bool, len(claims))
	err := db.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAlerted)
		for i, c := range claims {
			if b.Get([]byte(c.Key)) != nil {
				fresh[i] = false
				continue
			}
			fresh[i] = true
			if err := b.Put([]byte(c.Key), []byte(c.PostTime.UTC().Format(time.RFC3339))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim alerts: %w", err)
	}
	return fresh, nil
}

// PruneAlerts forgets the claims of posts older than before (and any
// whose stored time cannot be read).
func (db *DB) PruneAlerts(before time.Time) error {
	err := db.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAlerted)
		var old [][]byte
		err := b.ForEach(func(k, v []byte) error {
			if t, err := time.Parse(time.RFC3339, string(v)); err != nil || t.Before(before) {
				old = append(old, bytes.Clone(k))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range old {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("prune alerts: %w", err)
	}
	return nil
}

// InboxStates returns every stored inbox state by feeds.InboxKey.
func (db *DB) InboxStates() (map[string]feeds.InboxState, error) {
	out := map[string]feeds.InboxState{}
	err := db.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketInbox).ForEach(func(k, v []byte) error {
			var s feeds.InboxState
			if err := decode(v, &s); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
			out[string(k)] = s
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read inbox: %w", err)
	}
	return out, nil
}

// SetInboxState stores s for a post, keeping the stored times s leaves zero.
func (db *DB) SetInboxState(accountID, postID string, s feeds.InboxState) error {
	if accountID == "" || postID == "" {
		return errors.New("set inbox state: empty account or post")
	}
	key := []byte(feeds.InboxKey(accountID, postID))
	err := db.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketInbox)
		var old feeds.InboxState
		if raw := b.Get(key); raw != nil {
			_ = json.Unmarshal(raw, &old) // a damaged state is replaced
		}
		if s.Answered.IsZero() {
			s.Answered = old.Answered
		}
		if s.Handled.IsZero() {
			s.Handled = old.Handled
		}
		return putJSON(b, key, s)
	})
	if err != nil {
		return fmt.Errorf("set inbox state: %w", err)
	}
	return nil
}
