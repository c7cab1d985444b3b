package storage

import (
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"chancery/drafts"
)

var _ drafts.Store = (*DB)(nil)

// PutDraft stores a draft, replacing its earlier state.
func (db *DB) PutDraft(d drafts.Draft) error {
	if d.ID == "" {
		return fmt.Errorf("put draft: %w", drafts.ErrNoDraft)
	}
	if err := db.update(func(tx *bolt.Tx) error {
		return putJSON(tx.Bucket(bucketDrafts), []byte(d.ID), d)
	}); err != nil {
		return fmt.Errorf("put draft %s: %w", d.ID, err)
	}
	return nil
}

// Draft returns one draft.
func (db *DB) Draft(id string) (drafts.Draft, error) {
	var d drafts.Draft
	err := db.view(func(tx *bolt.Tx) error {
		ok, err := getJSON(tx.Bucket(bucketDrafts), []byte(id), &d)
		if err == nil && !ok {
			err = drafts.ErrNoDraft
		}
		return err
	})
	if err != nil {
		return drafts.Draft{}, fmt.Errorf("draft %s: %w", id, err)
	}
	return d, nil
}

// Drafts returns every draft, in id order.
func (db *DB) Drafts() ([]drafts.Draft, error) { return listAll[drafts.Draft](db, bucketDrafts) }

// DeleteDraft removes a draft; a missing one is not an error.
func (db *DB) DeleteDraft(id string) error {
	if err := db.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDrafts).Delete([]byte(id))
	}); err != nil {
		return fmt.Errorf("delete draft %s: %w", id, err)
	}
	return nil
}

// queueKey is the next place in the queue: the bucket's sequence number,
// big-endian, so entries sort in the order they were queued.
func queueKey(b *bolt.Bucket) ([]byte, error) {
	n, err := b.NextSequence()
	if err != nil {
		return nil, err
	}
	return binary.BigEndian.AppendUint64(nil, n), nil
}

// Enqueue stores entries and deletes the draft they come from, atomically.
func (db *DB) Enqueue(draftID string, entries []drafts.Entry) error {
	err := db.update(func(tx *bolt.Tx) error {
		for _, e := range entries {
			if err := putEntry(tx, e); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketDrafts).Delete([]byte(draftID))
	})
	if err != nil {
		return fmt.Errorf("enqueue draft %s: %w", draftID, err)
	}
	return nil
}

// PutEntry stores an outbox entry's new state; its place in the queue stays.
func (db *DB) PutEntry(e drafts.Entry) error {
	if err := db.update(func(tx *bolt.Tx) error { return putEntry(tx, e) }); err != nil {
		return fmt.Errorf("put outbox entry %s: %w", e.ID, err)
	}
	return nil
}

func putEntry(tx *bolt.Tx, e drafts.Entry) error {
	if e.ID == "" {
		return drafts.ErrNoEntry
	}
	ids := tx.Bucket(bucketOutboxIDs)
	key := ids.Get([]byte(e.ID))
	if key == nil {
		var err error
		if key, err = queueKey(tx.Bucket(bucketOutbox)); err != nil {
			return err
		}
		if err := ids.Put([]byte(e.ID), key); err != nil {
			return err
		}
	}
	if err := archivePublished(tx, e, time.Now()); err != nil {
		return err
	}
	return putJSON(tx.Bucket(bucketOutbox), key, e)
}

// Entry returns one outbox entry.
func (db *DB) Entry(id string) (drafts.Entry, error) {
	var e drafts.Entry
	err := db.view(func(tx *bolt.Tx) error {
		key := tx.Bucket(bucketOutboxIDs).Get([]byte(id))
		if key == nil {
			return drafts.ErrNoEntry
		}
		ok, err := getJSON(tx.Bucket(bucketOutbox), key, &e)
		if err == nil && !ok {
			err = fmt.Errorf("index without entry: %w", ErrCorrupt)
		}
		return err
	})
	if err != nil {
		return drafts.Entry{}, fmt.Errorf("outbox entry %s: %w", id, err)
	}
	return e, nil
}

// Entries returns every outbox entry in the order it was queued.
func (db *DB) Entries() ([]drafts.Entry, error) { return listAll[drafts.Entry](db, bucketOutbox) }

// DeleteEntry removes an outbox entry; a missing one is not an error.
func (db *DB) DeleteEntry(id string) error {
	err := db.update(func(tx *bolt.Tx) error {
		ids := tx.Bucket(bucketOutboxIDs)
		key := ids.Get([]byte(id))
		if key == nil {
			return nil
		}
		if err := tx.Bucket(bucketOutbox).Delete(key); err != nil {
			return err
		}
		return ids.Delete([]byte(id))
	})
	if err != nil {
		return fmt.Errorf("delete outbox entry %s: %w", id, err)
	}
	return nil
}
