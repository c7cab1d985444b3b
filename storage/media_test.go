package storage

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"chancery/feeds"
)

const mib = 1 << 20

// blob returns n bytes that differ with seed.
func blob(seed byte, n int) []byte {
	b := bytes.Repeat([]byte{seed}, n)
	b[0] = 0x89
	return b
}

func putBlob(t testing.TB, db *DB, key string, data []byte, at time.Time) {
	t.Helper()
	if err := db.putBlobAt(key, data, at); err != nil {
		t.Fatalf("put %s: %v", key, err)
	}
}

// present lists which of keys hold a blob, as a string of 0s and 1s.
func present(t testing.TB, db *DB, at time.Time, keys ...string) string {
	t.Helper()
	out := ""
	for _, k := range keys {
		_, ok, err := db.blobAt(k, at)
		if err != nil {
			t.Fatal(err)
		}
		out += map[bool]string{false: "0", true: "1"}[ok]
	}
	return out
}

func mediaSize(t testing.TB, db *DB) int64 {
	t.Helper()
	n, err := db.MediaSize()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBlobRoundTrip(t *testing.T) {
	db := openTest(t, Options{})
	if b, ok, err := db.Blob("k"); b != nil || ok || err != nil {
		t.Fatalf("fresh Blob = %q, %v, %v", b, ok, err)
	}
	if err := db.PutBlob("k", []byte("first")); err != nil {
		t.Fatal(err)
	}
	got, ok, err := db.Blob("k")
	if err != nil || !ok || string(got) != "first" {
		t.Fatalf("Blob = %q, %v, %v", got, ok, err)
	}
	got[0] = 'X' // a copy: the database is untouched
	if err := db.PutBlob("k", []byte("second!")); err != nil {
		t.Fatal(err)
	}
	if err := db.PutBlob("other", []byte("abc")); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := db.Blob("k"); string(got) != "second!" {
		t.Errorf("replaced Blob = %q", got)
	}
	if n := mediaSize(t, db); n != 10 {
		t.Errorf("MediaSize = %d, want 10", n)
	}
	for _, bad := range []struct{ key, data string }{{"", "x"}, {"k", ""}} {
		if err := db.PutBlob(bad.key, []byte(bad.data)); err == nil {
			t.Errorf("PutBlob(%q, %q) succeeded", bad.key, bad.data)
		}
	}
}

func TestBlobBudgetEvictsOldest(t *testing.T) {
	db := openTest(t, Options{})
	if err := db.SetMediaBudget(4 * mib); err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 10)
	for i := range keys {
		keys[i] = fmt.Sprintf("blob%d", i)
		if err := db.PutBlob(keys[i], blob(byte(i), mib)); err != nil {
			t.Fatal(err)
		}
		if n := mediaSize(t, db); n > 4*mib {
			t.Fatalf("after %d puts MediaSize = %d", i+1, n)
		}
	}
	if got := present(t, db, time.Now(), keys...); got != "0000001111" {
		t.Errorf("present = %s, want the newest four", got)
	}
	if got, _, _ := db.Blob("blob9"); !bytes.Equal(got, blob(9, mib)) {
		t.Error("newest blob damaged")
	}
	if n := mediaSize(t, db); n != 4*mib {
		t.Errorf("MediaSize = %d, want %d", n, 4*mib)
	}
}

func TestBlobEvictsLeastRecentlyUsed(t *testing.T) {
	db := openTest(t, Options{})
	if err := db.SetMediaBudget(4 * mib); err != nil {
		t.Fatal(err)
	}
	keys := []string{"a", "b", "c", "d", "e", "f"}
	for i, k := range keys[:4] {
		putBlob(t, db, k, blob(byte(i), mib), t0.Add(time.Duration(i)*time.Minute))
	}
	// Reading "b" soon after does not count (that would be a write per
	// read); reading "a" two hours later does.
	present(t, db, t0.Add(10*time.Minute), "b")
	present(t, db, t0.Add(2*time.Hour), "a")
	putBlob(t, db, "e", blob(4, mib), t0.Add(2*time.Hour+time.Minute))
	putBlob(t, db, "f", blob(5, mib), t0.Add(2*time.Hour+2*time.Minute))
	if got := present(t, db, t0.Add(2*time.Hour+3*time.Minute), keys...); got != "100111" {
		t.Errorf("present a..f = %s, want 100111", got)
	}
}

func TestBlobStampsIgnoreClockJumps(t *testing.T) {
	db := openTest(t, Options{})
	if err := db.SetMediaBudget(2 * mib); err != nil {
		t.Fatal(err)
	}
	putBlob(t, db, "a", blob(1, mib), t0)
	putBlob(t, db, "b", blob(2, mib), t0.Add(-time.Hour)) // the clock went back
	putBlob(t, db, "c", blob(3, mib), t0.Add(-time.Hour))
	if got := present(t, db, t0, "a", "b", "c"); got != "011" {
		t.Errorf("present a, b, c = %s, want 011", got)
	}
}

func TestBlobBudgetLimits(t *testing.T) {
	db := openTest(t, Options{})
	for i := range 4 {
		putBlob(t, db, fmt.Sprint(i), blob(byte(i), mib), t0.Add(time.Duration(i)*time.Second))
	}
	if err := db.SetMediaBudget(2*mib + 1); err != nil {
		t.Fatal(err)
	}
	if n := mediaSize(t, db); n != 2*mib {
		t.Errorf("after shrinking the budget MediaSize = %d", n)
	}
	err := db.PutBlob("big", blob(9, 3*mib))
	if !errors.Is(err, feeds.ErrTooLarge) {
		t.Errorf("PutBlob larger than the budget = %v, want ErrTooLarge", err)
	}
	if got := present(t, db, t0, "big", "2", "3"); got != "011" {
		t.Errorf("present = %s after a refused blob", got)
	}
	if err := db.SetMediaBudget(0); err != nil { // back to the default
		t.Fatal(err)
	}
	if err := db.PutBlob("big", blob(9, 3*mib)); err != nil {
		t.Errorf("PutBlob within the default budget: %v", err)
	}
}

func TestBlobsSurviveReopen(t *testing.T) {
	db := openTest(t, Options{})
	path := db.Path()
	if err := db.SetMediaBudget(8 * mib); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		putBlob(t, db, fmt.Sprint(i), blob(byte(i), mib+i), t0.Add(time.Duration(i)*time.Minute))
	}
	// A stale read renews a stamp, so that lru and access were both written.
	present(t, db, t0.Add(3*time.Hour), "0")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db2, err := Open(path, Options{}) // validates every bucket and key first
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	t.Cleanup(func() { _ = db2.Close() })
	if got, ok, err := db2.Blob("4"); err != nil || !ok || !bytes.Equal(got, blob(4, mib+4)) {
		t.Fatalf("Blob after reopen = %d bytes, %v, %v", len(got), ok, err)
	}
	if n := mediaSize(t, db2); n != 5*mib+10 {
		t.Errorf("MediaSize after reopen = %d", n)
	}
	if err := db2.PutBlob("5", blob(5, 4*mib)); err != nil { // the budget was kept
		t.Fatal(err)
	}
	if got := present(t, db2, t0.Add(3*time.Hour), "0", "1", "2", "3", "4", "5"); got != "100111" {
		t.Errorf("present = %s, want 100111", got)
	}
}

func TestBlobConcurrentReads(t *testing.T) {
	db := openTest(t, Options{})
	for i := range 20 {
		putBlob(t, db, fmt.Sprint(i), blob(byte(i), 1000), t0)
	}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			for j := range 5 {
				at := t0.Add(time.Duration(j+1) * 2 * time.Hour) // every read is stale
				if _, ok, err := db.blobAt(fmt.Sprint(i), at); err != nil || !ok {
					t.Errorf("blob %d: %v, %v", i, ok, err)
				}
			}
		})
	}
	wg.Wait()
	if n := mediaSize(t, db); n != 20*1000 {
		t.Errorf("MediaSize = %d", n)
	}
}
