package storage

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	bolt "go.etcd.io/bbolt"

	"chancery/feeds"
)

// sampleValue is what a post sample keeps beside its key: the key already
// says which post (its publication time and id) and when the counts were
// seen, and the bucket whose account, so the value holds only the rest.
// Samples written before this took the whole feeds.PostSample; both read
// the same.
type sampleValue struct {
	Lang    string       `json:"lang,omitempty"`
	ReplyTo string       `json:"reply_to,omitempty"`
	Counts  feeds.Counts `json:"counts"`
}

// readSample decodes the sample stored under k in accountID's bucket.
func readSample(accountID string, k, v []byte) (feeds.PostSample, error) {
	var s feeds.PostSample
	if err := decode(v, &s); err != nil {
		return s, err
	}
	if len(k) < 2*timeKeyLen+2 || k[len(k)-timeKeyLen-1] != 0 {
		return s, fmt.Errorf("%w: post sample key %x", ErrCorrupt, bytes.Clone(k))
	}
	created, _ := keyTime(k[:timeKeyLen])
	seen, _ := keyTime(k[len(k)-timeKeyLen:])
	if s.Account == "" {
		s.Account = accountID
	}
	if s.PostID == "" {
		s.PostID = string(k[timeKeyLen : len(k)-timeKeyLen-1])
	}
	if s.CreatedAt.IsZero() {
		s.CreatedAt = created
	}
	if s.At.IsZero() {
		s.At = seen
	}
	return s, nil
}

func putSample(b *bolt.Bucket, s feeds.PostSample) error {
	s.CreatedAt, s.At = s.CreatedAt.UTC(), s.At.UTC()
	prefix := samplePrefix(s.CreatedAt, s.PostID)
	var keys [][]byte
	var last []byte
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		keys, last = append(keys, bytes.Clone(k)), v
	}
	if last != nil {
		var prev feeds.PostSample
		if err := decode(last, &prev); err != nil {
			return err
		}
		if prev.Counts == s.Counts && prev.Lang == s.Lang && prev.ReplyTo == s.ReplyTo {
			return nil
		}
	}
	tk := timeKey(s.At)
	for len(keys) >= samplesPerPost {
		i := thinnest(keys, tk[:])
		if err := b.Delete(keys[i]); err != nil {
			return err
		}
		keys = slices.Delete(keys, i, i+1)
	}
	v := sampleValue{Lang: s.Lang, ReplyTo: s.ReplyTo, Counts: s.Counts}
	return putJSON(b, append(prefix, tk[:]...), v)
}

// thinnest picks which of a post's samples (keys, oldest first, each
// ending with the time it was seen) goes to make room for one seen at
// next: never the first, the one whose neighbours are closest in time,
// the older one of equals.
func thinnest(keys [][]byte, next []byte) int {
	seen := func(i int) uint64 {
		if i == len(keys) {
			return binary.BigEndian.Uint64(next)
		}
		return binary.BigEndian.Uint64(keys[i][len(keys[i])-timeKeyLen:])
	}
	if len(keys) < 2 {
		return 0
	}
	best, span := 1, uint64(math.MaxUint64)
	for i := 1; i < len(keys); i++ {
		if d := seen(i+1) - seen(i-1); seen(i+1) >= seen(i-1) && d < span {
			best, span = i, d
		}
	}
	return best
}
