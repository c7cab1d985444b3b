package storage

import (
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"chancery/accounts"
	"chancery/translations"
)

var _ accounts.Store = (*DB)(nil)

// ErrMissionNotEmpty: a mission cannot be deleted while accounts belong to it.
var ErrMissionNotEmpty = translations.NewProblem("error.mission_not_empty", "mission still has accounts")

// Missions returns every stored mission, in id order.
func (db *DB) Missions() ([]accounts.Mission, error) {
	ms, err := listAll[accounts.Mission](db, bucketMissions)
	if err != nil {
		return nil, fmt.Errorf("list missions: %w", err)
	}
	return ms, nil
}

// Accounts returns every stored account, in id order.
func (db *DB) Accounts() ([]accounts.Account, error) {
	as, err := listAll[accounts.Account](db, bucketAccounts)
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	return as, nil
}

// PutMission adds or replaces a mission.
func (db *DB) PutMission(m accounts.Mission) error {
	if err := db.update(func(tx *bolt.Tx) error { return putMission(tx, m) }); err != nil {
		return fmt.Errorf("put mission %q: %w", m.ID, err)
	}
	return nil
}

// DeleteMission removes a mission. It refuses with ErrMissionNotEmpty while
// accounts belong to it, and reports accounts.ErrNoMission if it is absent.
func (db *DB) DeleteMission(id string) error {
	err := db.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMissions)
		if b.Get([]byte(id)) == nil {
			return accounts.ErrNoMission
		}
		n, err := countAccounts(tx, id)
		if err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w (%d)", ErrMissionNotEmpty, n)
		}
		return b.Delete([]byte(id))
	})
	if err != nil {
		return fmt.Errorf("delete mission %q: %w", id, err)
	}
	return nil
}

// PutAccount adds or replaces an account. Its mission must exist, else
// accounts.ErrNoMission.
func (db *DB) PutAccount(a accounts.Account) error {
	if err := db.update(func(tx *bolt.Tx) error { return putAccount(tx, a) }); err != nil {
		return fmt.Errorf("put account %q: %w", a.ID, err)
	}
	return nil
}

// UpdateAccount changes a stored account in one transaction: fn receives
// the account as stored and changes it in place, so that a move or a
// removal made meanwhile is never undone, nor a removed account written
// again. It reports accounts.ErrNoAccount if the account is
// absent, and accounts.ErrNoMission if fn moved it to a missing mission.
// An error from fn leaves the account as it was. The id never changes.
func (db *DB) UpdateAccount(id string, fn func(*accounts.Account) error) error {
	err := db.update(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bucketAccounts).Get([]byte(id))
		if raw == nil {
			return accounts.ErrNoAccount
		}
		var a accounts.Account
		if err := decode(raw, &a); err != nil {
			return err
		}
		if err := fn(&a); err != nil {
			return err
		}
		a.ID = id
		return putAccount(tx, a)
	})
	if err != nil {
		return fmt.Errorf("update account %q: %w", id, err)
	}
	return nil
}

// DeleteAccount removes an account and every timeline cached for it, in one
// transaction. It reports accounts.ErrNoAccount if the account is absent.
func (db *DB) DeleteAccount(id string) error {
	err := db.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAccounts)
		if b.Get([]byte(id)) == nil {
			return accounts.ErrNoAccount
		}
		if err := deleteTimelines(tx, id); err != nil {
			return err
		}
		if err := deleteNetState(tx, id); err != nil {
			return err
		}
		tx.OnCommit(func() { db.notify(PostsChange{AccountRemoved: id}) })
		return b.Delete([]byte(id))
	})
	if err != nil {
		return fmt.Errorf("delete account %q: %w", id, err)
	}
	return nil
}

// Seed writes missions and accounts, in one transaction, only if the
// database was never seeded; it reports whether it wrote them.
func (db *DB) Seed(missions []accounts.Mission, accts []accounts.Account) (bool, error) {
	seeded := false
	err := db.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta.Get(keySeeded) != nil {
			return nil
		}
		for _, m := range missions {
			if err := putMission(tx, m); err != nil {
				return fmt.Errorf("mission %q: %w", m.ID, err)
			}
		}
		for _, a := range accts {
			if err := putAccount(tx, a); err != nil {
				return fmt.Errorf("account %q: %w", a.ID, err)
			}
		}
		seeded = true
		return putJSON(meta, keySeeded, true)
	})
	if err != nil {
		return false, fmt.Errorf("seed: %w", err)
	}
	return seeded, nil
}

func putMission(tx *bolt.Tx, m accounts.Mission) error {
	if m.ID == "" {
		return errors.New("empty mission id")
	}
	return putJSON(tx.Bucket(bucketMissions), []byte(m.ID), m)
}

func putAccount(tx *bolt.Tx, a accounts.Account) error {
	if a.ID == "" {
		return errors.New("empty account id")
	}
	if tx.Bucket(bucketMissions).Get([]byte(a.Mission)) == nil {
		return fmt.Errorf("mission %q: %w", a.Mission, accounts.ErrNoMission)
	}
	return putJSON(tx.Bucket(bucketAccounts), []byte(a.ID), a)
}

// countAccounts counts the accounts that belong to a mission.
func countAccounts(tx *bolt.Tx, missionID string) (int, error) {
	n := 0
	err := tx.Bucket(bucketAccounts).ForEach(func(k, v []byte) error {
		var a accounts.Account
		if err := decode(v, &a); err != nil {
			return fmt.Errorf("account %q: %w", k, err)
		}
		if a.Mission == missionID {
			n++
		}
		return nil
	})
	return n, err
}

// listAll decodes every value of a top-level bucket, in key order.
func listAll[T any](db *DB, bucket []byte) ([]T, error) {
	out := []T{}
	err := db.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucket).ForEach(func(k, v []byte) error {
			var item T
			if err := decode(v, &item); err != nil {
				return fmt.Errorf("%s %q: %w", bucket, k, err)
			}
			out = append(out, item)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
