package storage

import (
	"bytes"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"chancery/accounts"
	"chancery/drafts"
	"chancery/feeds"
)

// The records archive: append-only buckets that neither retention nor
// Compact trims, and that nothing in this package deletes from. Records
// sort by time; an index keyed by kind, account and remote id makes
// recording the same post twice keep the first record.
var (
	bucketArchivePublished = []byte("archive_published") // time key + account 0 id -> JSON feeds.Record
	bucketArchiveReceived  = []byte("archive_received")  // time key + account 0 id -> JSON feeds.Record
	bucketArchiveIDs       = []byte("archive_ids")       // kind 0 account 0 id -> record key
)

// archiveBucket returns the bucket of records of kind.
func archiveBucket(tx *bolt.Tx, kind feeds.RecordKind) (*bolt.Bucket, error) {
	switch kind {
	case feeds.RecordPublished:
		return tx.Bucket(bucketArchivePublished), nil
	case feeds.RecordReceived:
		return tx.Bucket(bucketArchiveReceived), nil
	}
	return nil, fmt.Errorf("archive: unknown record kind %q", kind)
}

// archiveIdentity is the index key of a record: its kind, account and
// remote id (or, for a published post whose network gave no id, its
// outbox entry).
func archiveIdentity(r feeds.Record) []byte {
	id := r.RemoteID
	if id == "" {
		id = "entry " + r.EntryID
	}
	k := make([]byte, 0, len(r.Kind)+len(r.Account)+len(id)+2)
	k = append(append(k, r.Kind...), 0)
	k = append(append(k, r.Account...), 0)
	return append(k, id...)
}

// appendRecord adds r to the archive unless a record of the same post is
// there already; it reports whether it added it.
func appendRecord(tx *bolt.Tx, r feeds.Record) (bool, error) {
	ids := tx.Bucket(bucketArchiveIDs)
	identity := archiveIdentity(r)
	if ids.Get(identity) != nil {
		return false, nil
	}
	b, err := archiveBucket(tx, r.Kind)
	if err != nil {
		return false, err
	}
	tk := timeKey(r.At)
	key := append(tk[:], identity[len(r.Kind)+1:]...)
	if err := putJSON(b, key, r); err != nil {
		return false, fmt.Errorf("archive %s record %s: %w", r.Kind, r.RemoteID, err)
	}
	if err := ids.Put(identity, key); err != nil {
		return false, fmt.Errorf("archive %s record %s: %w", r.Kind, r.RemoteID, err)
	}
	return true, nil
}

// storedAccount reads an account in tx; a missing one gives just its id.
func storedAccount(tx *bolt.Tx, id string) (accounts.Account, error) {
	a := accounts.Account{ID: id}
	if _, err := getJSON(tx.Bucket(bucketAccounts), []byte(id), &a); err != nil {
		return accounts.Account{}, fmt.Errorf("account %s: %w", id, err)
	}
	return a, nil
}

// archivePublished records e if it is sent, in the transaction that
// stores its new state. Demo accounts publish nowhere: nothing is kept.
func archivePublished(tx *bolt.Tx, e drafts.Entry, now time.Time) error {
	if e.State != drafts.Sent {
		return nil
	}
	a, err := storedAccount(tx, e.Account)
	if err != nil || a.IsDemo() {
		return err
	}
	_, err = appendRecord(tx, drafts.PublishedRecord(e, a, drafts.Writer(), now))
	return err
}

// archiveReceived records, in the transaction that caches them, the posts
// of a timeline of key's account that are mentions of it or replies to
// its posts.
func archiveReceived(tx *bolt.Tx, key feeds.TimelineKey, posts []feeds.Post, now time.Time) error {
	a, err := storedAccount(tx, key.Account)
	if err != nil {
		return err
	}
	isOwn := ownPost(tx, a.ID)
	for i := range posts {
		p := posts[i]
		p.Account, p.Network = a.ID, a.Network
		if p.ID == "" || !feeds.Received(p, a, key.Kind, isOwn) {
			continue
		}
		if _, err := appendRecord(tx, feeds.ReceivedRecord(p, a, now)); err != nil {
			return err
		}
	}
	return nil
}

// ownPost tells whether a post id is one of the account's own posts: in
// its cached own timeline, or published from Chancery.
func ownPost(tx *bolt.Tx, accountID string) func(string) bool {
	own, cached := findTimeline(tx, feeds.TimelineKey{Account: accountID, Kind: feeds.Own})
	ids := tx.Bucket(bucketArchiveIDs)
	return func(postID string) bool {
		if cached && own.ids.Get([]byte(postID)) != nil {
			return true
		}
		r := feeds.Record{Kind: feeds.RecordPublished, Account: accountID, RemoteID: postID}
		return ids.Get(archiveIdentity(r)) != nil
	}
}

// ScanRecords calls fn with every record of kind at or after since,
// oldest first, within one read transaction; an error of fn stops the
// scan and is returned. It reads one record at a time, so an export of
// any size holds one record in memory.
func (db *DB) ScanRecords(kind feeds.RecordKind, since time.Time, fn func(feeds.Record) error) error {
	err := db.view(func(tx *bolt.Tx) error {
		b, err := archiveBucket(tx, kind)
		if err != nil {
			return err
		}
		c := b.Cursor()
		k, v := c.First()
		if !since.IsZero() {
			tk := timeKey(since)
			k, v = c.Seek(tk[:])
		}
		for ; k != nil; k, v = c.Next() {
			var r feeds.Record
			if err := decode(v, &r); err != nil {
				return fmt.Errorf("record %x: %w", bytes.Clone(k), err)
			}
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("archive of %s records: %w", kind, err)
	}
	return nil
}

// CountRecords returns how many records of kind the archive holds.
func (db *DB) CountRecords(kind feeds.RecordKind) (int, error) {
	n := 0
	err := db.view(func(tx *bolt.Tx) error {
		b, err := archiveBucket(tx, kind)
		if err == nil {
			n = b.Stats().KeyN
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("count %s records: %w", kind, err)
	}
	return n, nil
}
