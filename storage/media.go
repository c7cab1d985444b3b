package storage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"chancery/feeds"
)

var _ feeds.BlobStore = (*DB)(nil)

// DefaultMediaBudget is the size the media bucket keeps its blobs within,
// unless SetMediaBudget says otherwise.
const DefaultMediaBudget int64 = 64 << 20

// mediaTouchAfter is how stale a blob's access stamp must be before a read
// renews it, so that reads are not writes: recency is known to the hour.
const mediaTouchAfter = time.Hour

// The media bucket holds cached images (feeds.BlobStore):
//
//	"total"  8-byte big-endian sum of the blobs' sizes
//	"budget" 8-byte big-endian size limit; absent means DefaultMediaBudget
//	blobs/   key -> the blob's bytes, as given
//	access/  key -> 8-byte big-endian access stamp
//	lru/     8-byte big-endian access stamp -> key
//
// An access stamp is Unix nanoseconds, made strictly greater than every
// stamp in use, so that each is unique and lru lists blobs from the least
// recently used on, whatever the wall clock does.
var (
	bucketMedia     = []byte("media")
	keyMediaTotal   = []byte("total")
	keyMediaBudget  = []byte("budget")
	bucketBlobs     = []byte("blobs")
	bucketBlobStamp = []byte("access")
	bucketBlobLRU   = []byte("lru")
)

// media is the media bucket and its nested buckets in one transaction.
type media struct {
	b, blobs, access, lru *bolt.Bucket
}

// openMedia returns the media buckets; ok is false if no blob was ever
// stored. With create, the nested buckets are made (in a write transaction).
func openMedia(tx *bolt.Tx, create bool) (m media, ok bool, err error) {
	m.b = tx.Bucket(bucketMedia)
	get := func(name []byte) (*bolt.Bucket, error) {
		if create {
			return m.b.CreateBucketIfNotExists(name)
		}
		return m.b.Bucket(name), nil
	}
	if m.blobs, err = get(bucketBlobs); err != nil {
		return m, false, err
	}
	if m.access, err = get(bucketBlobStamp); err != nil {
		return m, false, err
	}
	if m.lru, err = get(bucketBlobLRU); err != nil {
		return m, false, err
	}
	return m, m.blobs != nil && m.access != nil && m.lru != nil, nil
}

// Blob returns a copy of the blob under key, and whether there is one.
func (db *DB) Blob(key string) ([]byte, bool, error) { return db.blobAt(key, time.Now()) }

func (db *DB) blobAt(key string, now time.Time) ([]byte, bool, error) {
	var data []byte
	var stamp uint64
	err := db.view(func(tx *bolt.Tx) error {
		m, ok, err := openMedia(tx, false)
		if !ok || err != nil {
			return err
		}
		if v := m.blobs.Get([]byte(key)); v != nil {
			data = bytes.Clone(v)
			stamp, err = readUint(m.access.Get([]byte(key)))
		}
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("read blob %s: %w", key, err)
	}
	if data == nil {
		return nil, false, nil
	}
	if now.Sub(time.Unix(0, int64(stamp))) > mediaTouchAfter {
		if err := db.touchBlob(key, stamp, now); err != nil {
			return nil, false, err
		}
	}
	return data, true, nil
}

// touchBlob renews a blob's access stamp, unless it changed since it was
// read. Touches of many blobs at once share a transaction.
func (db *DB) touchBlob(key string, seen uint64, now time.Time) error {
	err := db.batch(func(tx *bolt.Tx) error {
		m, ok, err := openMedia(tx, false)
		if !ok || err != nil {
			return err
		}
		if v := m.access.Get([]byte(key)); v == nil || !bytes.Equal(v, uintBytes(seen)) {
			return nil // gone, or touched or replaced meanwhile
		}
		return m.stamp(key, seen, now)
	})
	if err != nil {
		return fmt.Errorf("touch blob %s: %w", key, err)
	}
	return nil
}

// PutBlob stores data under key (replacing what was there), then evicts
// the least recently used blobs until the media bucket is within its
// budget. A blob larger than the whole budget is refused (feeds.ErrTooLarge).
func (db *DB) PutBlob(key string, data []byte) error { return db.putBlobAt(key, data, time.Now()) }

func (db *DB) putBlobAt(key string, data []byte, now time.Time) error {
	if key == "" || len(data) == 0 {
		return errors.New("put blob: empty key or data")
	}
	err := db.update(func(tx *bolt.Tx) error {
		m, _, err := openMedia(tx, true)
		if err != nil {
			return err
		}
		budget, err := m.budget()
		if err != nil {
			return err
		}
		if int64(len(data)) > budget {
			return fmt.Errorf("%d bytes, budget %d: %w", len(data), budget, feeds.ErrTooLarge)
		}
		total, err := m.total()
		if err != nil {
			return err
		}
		k := []byte(key)
		var old uint64
		if v := m.access.Get(k); v != nil {
			if old, err = readUint(v); err != nil {
				return err
			}
			total -= int64(len(m.blobs.Get(k)))
		}
		if err := m.blobs.Put(k, data); err != nil {
			return err
		}
		if err := m.stamp(key, old, now); err != nil {
			return err
		}
		return m.evict(total+int64(len(data)), budget)
	})
	if err != nil {
		return fmt.Errorf("put blob %s: %w", key, err)
	}
	return nil
}

// SetMediaBudget sets, and keeps, the size limit of the media bucket,
// evicting blobs now if they exceed it; limit <= 0 restores the default.
func (db *DB) SetMediaBudget(limit int64) error {
	err := db.update(func(tx *bolt.Tx) error {
		m, _, err := openMedia(tx, true)
		if err != nil {
			return err
		}
		if limit <= 0 {
			limit = DefaultMediaBudget
			err = m.b.Delete(keyMediaBudget)
		} else {
			err = m.b.Put(keyMediaBudget, uintBytes(uint64(limit)))
		}
		if err != nil {
			return err
		}
		total, err := m.total()
		if err != nil {
			return err
		}
		return m.evict(total, limit)
	})
	if err != nil {
		return fmt.Errorf("set media budget: %w", err)
	}
	return nil
}

// MediaSize returns the total size of the stored blobs, in bytes.
func (db *DB) MediaSize() (int64, error) {
	var total int64
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		total, err = media{b: tx.Bucket(bucketMedia)}.total()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("media size: %w", err)
	}
	return total, nil
}

// stamp gives key a new access stamp, after every stamp in use, dropping
// its old one (0 if none).
func (m media) stamp(key string, old uint64, now time.Time) error {
	if old != 0 {
		if err := m.lru.Delete(uintBytes(old)); err != nil {
			return err
		}
	}
	next := uint64(max(now.UnixNano(), 1))
	if last, _ := m.lru.Cursor().Last(); last != nil {
		prev, err := readUint(last)
		if err != nil {
			return err
		}
		next = max(next, prev+1)
	}
	if err := m.access.Put([]byte(key), uintBytes(next)); err != nil {
		return err
	}
	return m.lru.Put(uintBytes(next), []byte(key))
}

// evict deletes the least recently used blobs until total is within
// budget, then records the total.
func (m media) evict(total, budget int64) error {
	c := m.lru.Cursor()
	for st, key := c.First(); st != nil && total > budget; st, key = c.First() {
		key = bytes.Clone(key)
		total -= int64(len(m.blobs.Get(key)))
		if err := c.Delete(); err != nil {
			return err
		}
		if err := m.blobs.Delete(key); err != nil {
			return err
		}
		if err := m.access.Delete(key); err != nil {
			return err
		}
	}
	return m.b.Put(keyMediaTotal, uintBytes(uint64(max(total, 0))))
}

// total reads the stored total size of the blobs.
func (m media) total() (int64, error) {
	v := m.b.Get(keyMediaTotal)
	if v == nil {
		return 0, nil
	}
	n, err := readUint(v)
	return int64(n), err
}

// budget reads the size limit of the blobs.
func (m media) budget() (int64, error) {
	v := m.b.Get(keyMediaBudget)
	if v == nil {
		return DefaultMediaBudget, nil
	}
	n, err := readUint(v)
	return int64(n), err
}

func uintBytes(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

// readUint decodes a value made by uintBytes.
func readUint(v []byte) (uint64, error) {
	if len(v) != 8 {
		return 0, fmt.Errorf("%w: media value of %d bytes, want 8", ErrCorrupt, len(v))
	}
	return binary.BigEndian.Uint64(v), nil
}
