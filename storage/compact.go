package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// compactTxSize bounds the size of each transaction of a compaction.
const compactTxSize = 32 << 20

// Retention returns how many posts each timeline keeps.
func (db *DB) Retention() int { return int(db.retention.Load()) }

// retentionKey is where the chosen retention is kept, in the settings.
const retentionKey = "storage.retention"

// SetRetention changes, and remembers, how many posts each timeline keeps
// (at least 50); timelines are trimmed at their next refresh, or at once
// by Compact.
func (db *DB) SetRetention(n int) error {
	n = max(n, 50)
	if err := db.SetSetting(retentionKey, []byte(strconv.Itoa(n))); err != nil {
		return err
	}
	db.retention.Store(int64(n))
	return nil
}

// storedRetention returns the remembered retention, or 0.
func (db *DB) storedRetention() int {
	raw, ok, err := db.Setting(retentionKey)
	if err != nil || !ok {
		return 0
	}
	n, err := strconv.Atoi(string(raw))
	if err != nil || n < 50 {
		return 0
	}
	return n
}

// Compact trims every timeline to the retention, then rewrites the file
// without its free pages, so that the space of deleted posts goes back to
// the disk. Readers go on while the file is copied; writers wait, and
// nothing runs during the short swap. It returns the file's size before and
// after.
func (db *DB) Compact() (before, after int64, err error) {
	if before, err = db.Size(); err != nil {
		return 0, 0, err
	}
	if err := db.update(func(tx *bolt.Tx) error {
		trimmed, err := trimAll(tx, db.Retention())
		tx.OnCommit(func() { db.notify(trimmed...) })
		return err
	}); err != nil {
		return 0, 0, fmt.Errorf("compact %s: trim: %w", db.path, err)
	}
	db.writes.Lock()
	defer db.writes.Unlock()
	tmp, err := db.copyLive()
	if err != nil {
		return before, before, fmt.Errorf("compact %s: %w", db.path, err)
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	if err := db.swap(tmp); err != nil {
		return before, before, fmt.Errorf("compact %s: %w", db.path, err)
	}
	after, err = db.sizeLocked()
	return before, after, err
}

// copyLive copies the live data into a new file next to the database and
// returns its name; the copy is removed if anything fails.
func (db *DB) copyLive() (string, error) {
	db.mu.RLock()
	defer db.mu.RUnlock()
	tmp := db.path + ".compacting"
	_ = os.Remove(tmp)
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: db.lock})
	if err != nil {
		return "", fmt.Errorf("create copy: %w", err)
	}
	if err := bolt.Compact(dst, db.bolt, compactTxSize); err != nil {
		_ = dst.Close()
		_ = os.Remove(tmp)
		return "", fmt.Errorf("copy: %w", err)
	}
	if err := dst.Close(); err != nil {
		_ = os.Remove(tmp)
		return "", fmt.Errorf("close copy: %w", err)
	}
	return tmp, nil
}

// swap puts the copy in place of the database and reopens it. Until the
// rename, the old file is untouched; the profile lock keeps other
// processes out throughout.
func (db *DB) swap(tmp string) error {
	if err := db.bolt.Close(); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("close: %w", err)
	}
	renameErr := os.Rename(tmp, db.path)
	if renameErr == nil {
		syncDir(filepath.Dir(db.path))
	} else {
		_ = os.Remove(tmp)
	}
	bdb, err := bolt.Open(db.path, 0o600, &bolt.Options{Timeout: db.lock})
	if err != nil {
		return errors.Join(renameErr, fmt.Errorf("reopen: %w", classify(err)))
	}
	db.bolt = bdb
	if renameErr != nil {
		return fmt.Errorf("replace file: %w", renameErr)
	}
	return nil
}

func (db *DB) sizeLocked() (int64, error) {
	info, err := os.Stat(db.path)
	if err != nil {
		return 0, fmt.Errorf("size of %s: %w", db.path, err)
	}
	return info.Size(), nil
}

// syncDir makes a rename in dir durable, where the system allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// trimAll cuts every timeline down to retention posts, and returns what it
// removed.
func trimAll(tx *bolt.Tx, retention int) ([]PostsChange, error) {
	var changes []PostsChange
	all := tx.Bucket(bucketTimelines)
	var names [][]byte
	if err := all.ForEachBucket(func(name []byte) error {
		names = append(names, append([]byte(nil), name...))
		return nil
	}); err != nil {
		return nil, err
	}
	for _, name := range names {
		key, err := timeline{b: all.Bucket(name)}.ref()
		if err != nil {
			return nil, fmt.Errorf("timeline %q: %w", name, err)
		}
		tl, ok := findTimeline(tx, key)
		if !ok {
			continue
		}
		n, err := tl.count()
		if err != nil {
			return nil, err
		}
		removed, _, err := tl.trim(n-retention, nil)
		if err != nil {
			return nil, err
		}
		if err := putJSON(tl.b, keyCount, n-len(removed)); err != nil {
			return nil, err
		}
		if len(removed) > 0 {
			changes = append(changes, PostsChange{Key: key, Removed: removed})
		}
	}
	return changes, nil
}
