package storage

import (
	"bytes"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"chancery/feeds"
)

var _ feeds.StateStore = (*DB)(nil)

// NetState returns a network's state value for an account, or nil.
func (db *DB) NetState(accountID, key string) ([]byte, error) {
	var val []byte
	err := db.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketNetState).Bucket([]byte(accountID)); b != nil {
			val = bytes.Clone(b.Get([]byte(key)))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read network state %s/%s: %w", accountID, key, err)
	}
	return val, nil
}

// SetNetState stores a network's state value for an account; a nil value
// deletes it. The account need not be saved yet (sign-in writes state before
// the account is kept); DeleteAccount removes the state with the account.
func (db *DB) SetNetState(accountID, key string, value []byte) error {
	if accountID == "" || key == "" {
		return errors.New("set network state: empty account or key")
	}
	err := db.update(func(tx *bolt.Tx) error {
		b, err := tx.Bucket(bucketNetState).CreateBucketIfNotExists([]byte(accountID))
		if err != nil {
			return err
		}
		if value == nil {
			return b.Delete([]byte(key))
		}
		return b.Put([]byte(key), value)
	})
	if err != nil {
		return fmt.Errorf("set network state %s/%s: %w", accountID, key, err)
	}
	return nil
}

func deleteNetState(tx *bolt.Tx, accountID string) error {
	err := tx.Bucket(bucketNetState).DeleteBucket([]byte(accountID))
	if err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
		return fmt.Errorf("delete network state of %q: %w", accountID, err)
	}
	return nil
}
