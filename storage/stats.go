package storage

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"chancery/drafts"
	"chancery/feeds"
)

// The Reach history lives in the stats bucket:
//
//	stats/audience/<account id>: timeKey(at) → JSON feeds.Audience
//	stats/posts/<account id>:    timeKey(published) id 0x00 timeKey(seen) → JSON feeds.PostSample
//	stats/targets:               mission id → JSON feeds.CadenceTarget
//
// Keys sort by time, so that a period is one cursor scan.
var (
	bucketStats   = []byte("stats")
	statsAudience = []byte("audience")
	statsPosts    = []byte("posts")
	statsTargets  = []byte("targets")
	_             = feeds.StatsStore((*DB)(nil))
	_             = feeds.StatsSource((*DB)(nil))
)

// Bounds of the Reach history.
const (
	// samplesPerPost caps the counts kept per own post: past it, the
	// sample whose neighbours are closest in time goes, so that the
	// first and latest counts stay and the rest thin out evenly.
	samplesPerPost = 48
	// audienceEvery is how often unchanged audience figures are kept
	// anyway; changed figures are kept at most every audienceMinGap.
	audienceEvery  = 6 * time.Hour
	audienceMinGap = 15 * time.Minute
	// statsKeep is how long any Reach figure is kept.
	statsKeep = 2 * 366 * 24 * time.Hour
	// audienceDense is how long audience figures are kept as they came;
	// older ones are thinned to one a day, as they pass through the week
	// before that age.
	audienceDense    = 90 * 24 * time.Hour
	audienceThinning = 7 * 24 * time.Hour
)

// statsBucket returns stats/<group>/<id> (stats/<group> for an empty id),
// creating the buckets when create is set (the stats bucket is made by the
// first write); without create it returns nil when there is none yet.
func statsBucket(tx *bolt.Tx, group []byte, id string, create bool) (*bolt.Bucket, error) {
	if !create {
		root := tx.Bucket(bucketStats)
		if root == nil {
			return nil, nil
		}
		g := root.Bucket(group)
		if g == nil || id == "" {
			return g, nil
		}
		return g.Bucket([]byte(id)), nil
	}
	root, err := tx.CreateBucketIfNotExists(bucketStats)
	if err != nil {
		return nil, err
	}
	g, err := root.CreateBucketIfNotExists(group)
	if err != nil || id == "" {
		return g, err
	}
	return g.CreateBucketIfNotExists([]byte(id))
}

// PutAudience records an account's audience figures: one already kept at
// the same time is left alone; figures newer than the latest kept are kept
// when they changed (at most every 15 minutes) or every 6 hours anyway.
func (db *DB) PutAudience(accountID string, figures []feeds.Audience) error {
	if accountID == "" {
		return errors.New("put audience: empty account id")
	}
	err := db.update(func(tx *bolt.Tx) error {
		b, err := statsBucket(tx, statsAudience, accountID, true)
		if err != nil {
			return err
		}
		for _, f := range figures {
			if err := putAudience(b, f); err != nil {
				return err
			}
		}
		newest := figuresNewest(figures)
		if err := thinAudience(b, newest); err != nil {
			return err
		}
		return pruneBefore(b, newest.Add(-statsKeep))
	})
	if err != nil {
		return fmt.Errorf("put audience of %s: %w", accountID, err)
	}
	return nil
}

func putAudience(b *bolt.Bucket, f feeds.Audience) error {
	f.At = f.At.UTC()
	k := timeKey(f.At)
	if b.Get(k[:]) != nil {
		return nil
	}
	if lk, lv := b.Cursor().Last(); lk != nil {
		last, err := keyTime(lk)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		var prev feeds.Audience
		if err := decode(lv, &prev); err != nil {
			return err
		}
		same := prev.Followers == f.Followers && prev.Following == f.Following && prev.Posts == f.Posts
		gap := f.At.Sub(last)
		if gap > 0 && ((same && gap < audienceEvery) || (!same && gap < audienceMinGap)) {
			return nil
		}
	}
	return putJSON(b, k[:], f)
}

// thinAudience keeps the first figure of each UTC day among those made
// between audienceDense plus audienceThinning and audienceDense before
// newest: as the window slides with each refresh, figures older than
// audienceDense are one a day.
func thinAudience(b *bolt.Bucket, newest time.Time) error {
	from, to := timeKey(newest.Add(-audienceDense-audienceThinning)), timeKey(newest.Add(-audienceDense))
	var drop [][]byte
	lastDay := int64(-1 << 62)
	c := b.Cursor()
	for k, _ := c.Seek(from[:]); k != nil && bytes.Compare(k, to[:]) < 0; k, _ = c.Next() {
		at, err := keyTime(k)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		day := at.Truncate(24 * time.Hour).Unix()
		if day == lastDay {
			drop = append(drop, bytes.Clone(k))
		}
		lastDay = day
	}
	for _, k := range drop {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

func figuresNewest(figures []feeds.Audience) time.Time {
	var t time.Time
	for _, f := range figures {
		if f.At.After(t) {
			t = f.At
		}
	}
	return t
}

// pruneBefore deletes the keys of b whose leading time key is before t.
func pruneBefore(b *bolt.Bucket, t time.Time) error {
	limit := timeKey(t)
	c := b.Cursor()
	for k, _ := c.First(); k != nil && bytes.Compare(k[:timeKeyLen], limit[:]) < 0; k, _ = c.Next() {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}

// Audience returns an account's audience figures kept since the given
// time, oldest first.
func (db *DB) Audience(accountID string, since time.Time) ([]feeds.Audience, error) {
	var out []feeds.Audience
	err := db.view(func(tx *bolt.Tx) error {
		b, err := statsBucket(tx, statsAudience, accountID, false)
		if err != nil || b == nil {
			return err
		}
		start := timeKey(since)
		c := b.Cursor()
		for k, v := c.Seek(start[:]); k != nil; k, v = c.Next() {
			var f feeds.Audience
			if err := decode(v, &f); err != nil {
				return err
			}
			out = append(out, f)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("audience of %s: %w", accountID, err)
	}
	return out, nil
}

// samplePrefix is the part of a sample's key that names its post.
func samplePrefix(created time.Time, postID string) []byte {
	return append(postKey(created, postID), 0)
}

// PutPostSamples records own posts' counts, each only when they differ from
// the post's latest sample, keeping at most 48 samples per post; the
// samples of posts published more than two years before the newest
// sample go.
func (db *DB) PutPostSamples(samples []feeds.PostSample) error {
	err := db.update(func(tx *bolt.Tx) error {
		newest := map[string]time.Time{}
		for _, s := range samples {
			if s.Account == "" || s.PostID == "" {
				continue
			}
			b, err := statsBucket(tx, statsPosts, s.Account, true)
			if err != nil {
				return err
			}
			if err := putSample(b, s); err != nil {
				return err
			}
			if s.At.After(newest[s.Account]) {
				newest[s.Account] = s.At
			}
		}
		for id, at := range newest {
			b, err := statsBucket(tx, statsPosts, id, false)
			if err != nil {
				return err
			}
			if err := pruneBefore(b, at.Add(-statsKeep)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("put post counts: %w", err)
	}
	return nil
}

// PostSamples returns every sample kept of the own posts of an account
// published since the given time: oldest post first, each post's samples
// oldest first.
func (db *DB) PostSamples(accountID string, since time.Time) ([]feeds.PostSample, error) {
	var out []feeds.PostSample
	err := db.view(func(tx *bolt.Tx) error {
		b, err := statsBucket(tx, statsPosts, accountID, false)
		if err != nil || b == nil {
			return err
		}
		start := timeKey(since)
		c := b.Cursor()
		for k, v := c.Seek(start[:]); k != nil; k, v = c.Next() {
			s, err := readSample(accountID, k, v)
			if err != nil {
				return err
			}
			out = append(out, s)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("post counts of %s: %w", accountID, err)
	}
	return out, nil
}

// CadenceTarget returns a mission's posts-per-week target, the default
// (feeds.DefaultTarget) when none was set.
func (db *DB) CadenceTarget(missionID string) (feeds.CadenceTarget, error) {
	t := feeds.DefaultTarget
	err := db.view(func(tx *bolt.Tx) error {
		b, err := statsBucket(tx, statsTargets, "", false)
		if err != nil || b == nil {
			return err
		}
		_, err = getJSON(b, []byte(missionID), &t)
		return err
	})
	if err != nil {
		return feeds.DefaultTarget, fmt.Errorf("cadence target of %s: %w", missionID, err)
	}
	return t, nil
}

// SetCadenceTarget stores a mission's posts-per-week target.
func (db *DB) SetCadenceTarget(missionID string, t feeds.CadenceTarget) error {
	if err := t.Check(); err != nil {
		return fmt.Errorf("cadence target of %s: %w", missionID, err)
	}
	err := db.update(func(tx *bolt.Tx) error {
		b, err := statsBucket(tx, statsTargets, "", true)
		if err != nil {
			return err
		}
		return putJSON(b, []byte(missionID), t)
	})
	if err != nil {
		return fmt.Errorf("set cadence target of %s: %w", missionID, err)
	}
	return nil
}

// SentVariants lists the outbox entries of the given accounts sent since
// the given time (sent entries are kept 30 days, drafts.KeepSent).
func (db *DB) SentVariants(accountIDs []string, since time.Time) ([]feeds.SentVariant, error) {
	want := make(map[string]bool, len(accountIDs))
	for _, id := range accountIDs {
		want[id] = true
	}
	entries, err := db.Entries()
	if err != nil {
		return nil, fmt.Errorf("sent posts: %w", err)
	}
	var out []feeds.SentVariant
	for _, e := range entries {
		if e.State != drafts.Sent || !want[e.Account] || e.UpdatedAt.Before(since) {
			continue
		}
		out = append(out, feeds.SentVariant{Draft: e.DraftID, Account: e.Account, Lang: e.Lang, At: e.UpdatedAt})
	}
	return out, nil
}
