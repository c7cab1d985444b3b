package storage

import (
	"bytes"
	"cmp"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"chancery/feeds"
)

func FuzzTimeKey(f *testing.F) {
	for _, n := range []int64{0, -1, 1, math.MinInt64, math.MaxInt64, t0.UnixNano(), -t0.UnixNano()} {
		f.Add(n, n+1)
	}
	f.Fuzz(func(t *testing.T, a, b int64) {
		ta, tb := time.Unix(0, a), time.Unix(0, b)
		ka, kb := timeKey(ta), timeKey(tb)
		back, err := keyTime(ka[:])
		if err != nil || !back.Equal(ta) {
			t.Fatalf("round trip of %d: %v, %v", a, back, err)
		}
		if got, want := bytes.Compare(ka[:], kb[:]), cmp.Compare(a, b); got != want {
			t.Fatalf("keys of %d and %d compare %d, want %d", a, b, got, want)
		}
	})
}

func TestTimeKeyClamps(t *testing.T) {
	lo, hi := timeKey(time.Time{}), timeKey(time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
	if lo != [8]byte{} || hi != [8]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff} {
		t.Errorf("clamped keys %x, %x", lo, hi)
	}
	if _, err := keyTime([]byte{1, 2, 3}); err == nil {
		t.Error("keyTime of 3 bytes succeeded")
	}
}

// FuzzOpen feeds arbitrary files to Open: it must never crash, must report a
// failure with one of its sentinels, and must leave a rejected file as it was.
func FuzzOpen(f *testing.F) {
	good, err := os.ReadFile(validDB(f))
	if err != nil {
		f.Fatal(err)
	}
	ps := pageSizeOf(good)
	flipped := bytes.Clone(good)
	flipped[ps+pageHeaderSize+3] ^= 0x10
	f.Add([]byte{})
	f.Add([]byte("not a database at all"))
	f.Add(good)
	f.Add(good[:2*ps])
	f.Add(good[:len(good)/3])
	f.Add(flipped)
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "chancery.db")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := Open(path, Options{LockTimeout: 100 * time.Millisecond})
		if err != nil {
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnreadable) && !errors.Is(err, ErrNewerSchema) {
				t.Fatalf("Open: unclassified error %v", err)
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(after, data) {
				t.Fatal("Open modified a rejected file")
			}
			return
		}
		defer db.Close()
		if _, err := db.Accounts(); err != nil && !errors.Is(err, ErrCorrupt) {
			t.Errorf("Accounts: %v", err)
		}
		keys, err := db.Timelines()
		if err != nil {
			return
		}
		for _, k := range keys {
			_, _ = db.Posts(k, 10)
		}
		_, _ = db.Posts(feeds.TimelineKey{Account: "a", Kind: feeds.Home}, 0)
	})
}
