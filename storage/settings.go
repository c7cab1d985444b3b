package storage

import (
	"bytes"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Setting returns the value stored under key and whether there is one. The
// bytes are the caller's own encoding; settings never hold secrets.
func (db *DB) Setting(key string) ([]byte, bool, error) {
	var val []byte
	err := db.view(func(tx *bolt.Tx) error {
		val = bytes.Clone(tx.Bucket(bucketSettings).Get([]byte(key)))
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("read setting %q: %w", key, err)
	}
	return val, val != nil, nil
}

// SetSetting stores value under key, replacing any earlier value.
func (db *DB) SetSetting(key string, value []byte) error {
	if key == "" {
		return errors.New("set setting: empty key")
	}
	err := db.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSettings).Put([]byte(key), value)
	})
	if err != nil {
		return fmt.Errorf("set setting %q: %w", key, err)
	}
	return nil
}
