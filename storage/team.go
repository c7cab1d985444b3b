package storage

import (
	"encoding/binary"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"chancery/drafts"
	"chancery/team"
)

// Buckets of the team review log's local side.
var (
	bucketTeamQueue = []byte("team_queue") // queue key -> JSON team.Queued
	bucketTeamLog   = []byte("team_log")   // server seq (big-endian) -> JSON team.Event
	bucketTeamMeta  = []byte("team_meta")  // see the keys below
)

var (
	keyTeamConfig = []byte("config")
	keyTeamCursor = []byte("cursor")
	// keyTeamApprover holds JSON []string: the missions where the login
	// may approve, as the team server last said.
	keyTeamApprover = []byte("approver_missions")
	prefixReview    = "review:" // + mission id -> JSON bool
)

var _ team.Store = (*DB)(nil)

// TeamConfig returns how this profile reaches the team server.
func (db *DB) TeamConfig() (team.Config, error) {
	var c team.Config
	err := db.view(func(tx *bolt.Tx) error {
		ok, err := getJSON(tx.Bucket(bucketTeamMeta), keyTeamConfig, &c)
		if err == nil && !ok {
			err = team.ErrNotConnected
		}
		return err
	})
	if err != nil {
		return team.Config{}, fmt.Errorf("team config: %w", err)
	}
	return c, nil
}

// PutTeamConfig saves how this profile reaches the team server.
func (db *DB) PutTeamConfig(c team.Config) error {
	if err := db.update(func(tx *bolt.Tx) error {
		return putJSON(tx.Bucket(bucketTeamMeta), keyTeamConfig, c)
	}); err != nil {
		return fmt.Errorf("save team config: %w", err)
	}
	return nil
}

// QueueEvent appends an event to the local queue.
func (db *DB) QueueEvent(q team.Queued) error {
	if q.ID == "" {
		return errors.New("queue team event: empty id")
	}
	err := db.update(func(tx *bolt.Tx) error {
		key, err := queueKey(tx.Bucket(bucketTeamQueue))
		if err != nil {
			return err
		}
		return putJSON(tx.Bucket(bucketTeamQueue), key, q)
	})
	if err != nil {
		return fmt.Errorf("queue team event %s: %w", q.ID, err)
	}
	return nil
}

// QueuedEvents returns the local queue in the order events were made.
func (db *DB) QueuedEvents() ([]team.Queued, error) {
	return listAll[team.Queued](db, bucketTeamQueue)
}

// RefuseEvent keeps a queued event with the reason the server refused it.
func (db *DB) RefuseEvent(id, reason, detail string) error {
	err := db.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTeamQueue)
		return b.ForEach(func(k, v []byte) error {
			var q team.Queued
			if err := decode(v, &q); err != nil || q.ID != id {
				return err
			}
			q.Refused, q.Detail = reason, detail
			return putJSON(b, k, q)
		})
	})
	if err != nil {
		return fmt.Errorf("refuse team event %s: %w", id, err)
	}
	return nil
}

// DropRefused forgets a refused queued event; one not refused is kept.
func (db *DB) DropRefused(id string) error {
	err := db.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTeamQueue)
		var drop []byte
		err := b.ForEach(func(k, v []byte) error {
			var q team.Queued
			if err := decode(v, &q); err != nil {
				return err
			}
			if q.ID == id && q.Refused != "" {
				drop = k
			}
			return nil
		})
		if err != nil || drop == nil {
			return err
		}
		return b.Delete(drop)
	})
	if err != nil {
		return fmt.Errorf("drop refused team event %s: %w", id, err)
	}
	return nil
}

// SavePulled appends pulled events to the log, drops the queued events the
// log now holds and moves the cursor, in one transaction.
func (db *DB) SavePulled(events []team.Event, cursor int64) error {
	err := db.update(func(tx *bolt.Tx) error {
		pulled := map[string]bool{}
		log := tx.Bucket(bucketTeamLog)
		for _, e := range events {
			if err := putJSON(log, binary.BigEndian.AppendUint64(nil, uint64(e.Seq)), e); err != nil {
				return err
			}
			pulled[e.ID] = true
		}
		if err := dropPulled(tx.Bucket(bucketTeamQueue), pulled); err != nil {
			return err
		}
		return putJSON(tx.Bucket(bucketTeamMeta), keyTeamCursor, cursor)
	})
	if err != nil {
		return fmt.Errorf("save pulled team events: %w", err)
	}
	return nil
}

func dropPulled(queue *bolt.Bucket, pulled map[string]bool) error {
	var drop [][]byte
	err := queue.ForEach(func(k, v []byte) error {
		var q team.Queued
		if err := decode(v, &q); err != nil {
			return err
		}
		if pulled[q.ID] {
			drop = append(drop, k)
		}
		return nil
	})
	for _, k := range drop {
		if err == nil {
			err = queue.Delete(k)
		}
	}
	return err
}

// Cursor is the server sequence number of the last pulled event.
func (db *DB) Cursor() (int64, error) {
	var c int64
	err := db.view(func(tx *bolt.Tx) error {
		_, err := getJSON(tx.Bucket(bucketTeamMeta), keyTeamCursor, &c)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("team cursor: %w", err)
	}
	return c, nil
}

// PulledEvents returns the pulled log in server order.
func (db *DB) PulledEvents() ([]team.Event, error) {
	return listAll[team.Event](db, bucketTeamLog)
}

// RequiresReview tells whether a mission publishes only through review.
func (db *DB) RequiresReview(mission string) (bool, error) {
	var on bool
	err := db.view(func(tx *bolt.Tx) error {
		_, err := getJSON(tx.Bucket(bucketTeamMeta), []byte(prefixReview+mission), &on)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("review setting of %s: %w", mission, err)
	}
	return on, nil
}

// SetRequiresReview sets whether a mission publishes only through review.
func (db *DB) SetRequiresReview(mission string, on bool) error {
	if err := db.update(func(tx *bolt.Tx) error {
		return putJSON(tx.Bucket(bucketTeamMeta), []byte(prefixReview+mission), on)
	}); err != nil {
		return fmt.Errorf("save review setting of %s: %w", mission, err)
	}
	return nil
}

// EnqueueDerived stores outbox entries whose ids are derived from what
// they publish, skipping those already stored (whatever their state, so a
// sent entry is never queued again), and deletes the draft, in one
// transaction. It returns how many entries were added.
func (db *DB) EnqueueDerived(draftID string, entries []drafts.Entry) (int, error) {
	added := 0
	err := db.update(func(tx *bolt.Tx) error {
		added = 0
		ids := tx.Bucket(bucketOutboxIDs)
		for _, e := range entries {
			if e.ID == "" || ids.Get([]byte(e.ID)) != nil {
				continue
			}
			if err := putEntry(tx, e); err != nil {
				return err
			}
			added++
		}
		return tx.Bucket(bucketDrafts).Delete([]byte(draftID))
	})
	if err != nil {
		return 0, fmt.Errorf("enqueue reviewed post %s: %w", draftID, err)
	}
	return added, nil
}

// ApproverMissions returns the missions where the team login may approve,
// as the server last said; known is false before its first answer.
func (db *DB) ApproverMissions() ([]string, bool, error) {
	var missions []string
	known := false
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		known, err = getJSON(tx.Bucket(bucketTeamMeta), keyTeamApprover, &missions)
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("team approval rights: %w", err)
	}
	return missions, known, nil
}

// SetApproverMissions keeps the server's latest answer on approval rights.
func (db *DB) SetApproverMissions(missions []string) error {
	if missions == nil {
		missions = []string{}
	}
	if err := db.update(func(tx *bolt.Tx) error {
		return putJSON(tx.Bucket(bucketTeamMeta), keyTeamApprover, missions)
	}); err != nil {
		return fmt.Errorf("save team approval rights: %w", err)
	}
	return nil
}
