package storage

import (
	"encoding/binary"
	"fmt"
	"math"
	"time"
)

// timeKeyLen is the length of the time prefix of a post key.
const timeKeyLen = 8

var (
	minKeyTime = time.Unix(0, math.MinInt64)
	maxKeyTime = time.Unix(0, math.MaxInt64)
)

// timeKey encodes t so that keys sort by time: Unix nanoseconds, big-endian,
// with the sign bit flipped so that instants before 1970 sort first. Times
// outside the range of int64 nanoseconds (years 1678–2262) are clamped.
func timeKey(t time.Time) [timeKeyLen]byte {
	var n int64
	switch {
	case t.Before(minKeyTime):
		n = math.MinInt64
	case t.After(maxKeyTime):
		n = math.MaxInt64
	default:
		n = t.UnixNano()
	}
	var k [timeKeyLen]byte
	binary.BigEndian.PutUint64(k[:], uint64(n)^(1<<63))
	return k
}

// keyTime decodes a key made by timeKey, in UTC.
func keyTime(k []byte) (time.Time, error) {
	if len(k) != timeKeyLen {
		return time.Time{}, fmt.Errorf("time key of %d bytes, want %d", len(k), timeKeyLen)
	}
	n := int64(binary.BigEndian.Uint64(k) ^ (1 << 63))
	return time.Unix(0, n).UTC(), nil
}

// postKey is the key of a post in a timeline's posts bucket: its time key
// followed by its id, so that posts sort by time, then id.
func postKey(t time.Time, id string) []byte {
	tk := timeKey(t)
	k := make([]byte, 0, timeKeyLen+len(id))
	k = append(k, tk[:]...)
	return append(k, id...)
}

// joinPostKey builds a post key from a stored time key and an id.
func joinPostKey(tk []byte, id string) []byte {
	k := make([]byte, 0, len(tk)+len(id))
	k = append(k, tk...)
	return append(k, id...)
}

// postKeyID returns the id part of a post key.
func postKeyID(k []byte) (string, error) {
	if len(k) <= timeKeyLen {
		return "", fmt.Errorf("post key of %d bytes is too short", len(k))
	}
	return string(k[timeKeyLen:]), nil
}
