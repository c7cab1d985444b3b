package storage

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Top-level buckets.
var (
	bucketMeta      = []byte("meta")
	bucketSettings  = []byte("settings")
	bucketMissions  = []byte("missions")
	bucketAccounts  = []byte("accounts")
	bucketTimelines = []byte("timelines")
	bucketNetState  = []byte("netstate")   // account id -> (key -> value)
	bucketDrafts    = []byte("drafts")     // draft id -> JSON drafts.Draft
	bucketOutbox    = []byte("outbox")     // queue key -> JSON drafts.Entry
	bucketOutboxIDs = []byte("outbox_ids") // entry id -> queue key

	topBuckets = [][]byte{
		bucketMeta, bucketSettings, bucketMissions, bucketAccounts, bucketTimelines,
		bucketNetState, bucketDrafts, bucketOutbox, bucketOutboxIDs, bucketMedia,
		bucketWatches, bucketAlerted, bucketInbox,
		bucketArchivePublished, bucketArchiveReceived, bucketArchiveIDs,
		bucketTeamQueue, bucketTeamLog, bucketTeamMeta,
	}
)

// Keys of the meta bucket.
var (
	keySchemaVersion = []byte("schema_version")
	keySeeded        = []byte("seeded")
)

// A migration moves the database from schema version i to i+1, where i is
// its index in the list of migrations. It runs in the open transaction,
// after the current top-level buckets have been created.
type migration func(tx *bolt.Tx) error

// schemaMigrations are this build's migrations; the schema version it writes
// is their count. Append only: never edit or remove one.
var schemaMigrations = []migration{
	// 0 → 1: the initial layout. Its buckets are created at every open.
	func(*bolt.Tx) error { return nil },
	// 1 → 2: the records archive gets what the profile published and
	// received before it existed.
	migrateArchive,
}

// migrate creates the top-level buckets, then brings the schema up to
// len(migs). It refuses a schema newer than that and then writes nothing.
func migrate(tx *bolt.Tx, migs []migration) error {
	version, err := schemaVersion(tx)
	if err != nil {
		return err
	}
	if version > len(migs) {
		return fmt.Errorf("%w: schema version %d, this build knows up to %d", ErrNewerSchema, version, len(migs))
	}
	for _, name := range topBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	if version == len(migs) {
		return nil
	}
	for v := version; v < len(migs); v++ {
		if err := migs[v](tx); err != nil {
			return fmt.Errorf("migrate schema %d to %d: %w", v, v+1, err)
		}
	}
	return putJSON(tx.Bucket(bucketMeta), keySchemaVersion, len(migs))
}

// schemaVersion reads the stored schema version; 0 means a new database.
func schemaVersion(tx *bolt.Tx) (int, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return 0, nil
	}
	raw := meta.Get(keySchemaVersion)
	if raw == nil {
		return 0, nil
	}
	var v int
	if err := json.Unmarshal(raw, &v); err != nil || v < 0 {
		return 0, fmt.Errorf("%w: schema version %q", ErrCorrupt, raw)
	}
	return v, nil
}

// putJSON stores v JSON-encoded under key.
func putJSON(b *bolt.Bucket, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	if err := b.Put(key, raw); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

// getJSON decodes the value under key into v; it reports false if absent.
// Undecodable bytes are reported as ErrCorrupt.
func getJSON(b *bolt.Bucket, key []byte, v any) (bool, error) {
	raw := b.Get(key)
	if raw == nil {
		return false, nil
	}
	if err := decode(raw, v); err != nil {
		return false, fmt.Errorf("%s: %w", key, err)
	}
	return true, nil
}

// decode unmarshals a stored value (which copies it out of the
// transaction); a failure means the stored bytes are damaged.
func decode(raw []byte, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return nil
}
