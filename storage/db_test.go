package storage

import (
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"chancery/feeds"
)

func TestOpenCreatesFileAndDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "profile", "sub", "chancery.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Path() != path {
		t.Errorf("Path() = %q, want %q", db.Path(), path)
	}
	assertMode(t, filepath.Dir(path), 0o700|os.ModeDir)
	assertMode(t, path, 0o600)
	if size, err := db.Size(); err != nil || size <= 0 {
		t.Errorf("Size() = %d, %v", size, err)
	}
	if v := storedVersion(t, db.bolt); v != len(schemaMigrations) {
		t.Errorf("schema version %d, want %d", v, len(schemaMigrations))
	}
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode() & (os.ModeDir | os.ModePerm); got != want {
		t.Errorf("%s: mode %v, want %v", path, info.Mode(), want)
	}
}

func TestReopenPersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chancery.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	addAccount(t, db, "vienna", "vienna-demo")
	key := feeds.TimelineKey{Account: "vienna-demo", Kind: feeds.Home}
	if _, err := db.PutPosts(key, []feeds.Post{post("vienna-demo", "1", 1), post("vienna-demo", "2", 2)}, t0); err != nil {
		t.Fatal(err)
	}
	if err := db.SetSetting("lang", []byte(`"fr"`)); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if as, err := db.Accounts(); err != nil || len(as) != 1 || as[0].ID != "vienna-demo" {
		t.Errorf("Accounts() = %v, %v", as, err)
	}
	if ps, err := db.Posts(key, 0); err != nil || ids(ps) != "2,1" {
		t.Errorf("Posts() = %q, %v", ids(ps), err)
	}
	if at, err := db.LastRefreshed(key); err != nil || !at.Equal(t0) {
		t.Errorf("LastRefreshed() = %v, %v", at, err)
	}
	if v, ok, err := db.Setting("lang"); err != nil || !ok || string(v) != `"fr"` {
		t.Errorf("Setting() = %q, %v, %v", v, ok, err)
	}
}

func TestOpenLocked(t *testing.T) {
	first := openTest(t, Options{})
	const timeout = 100 * time.Millisecond
	start := time.Now()
	second, err := Open(first.Path(), Options{LockTimeout: timeout})
	elapsed := time.Since(start)
	if err == nil {
		second.Close()
		t.Fatal("second Open succeeded")
	}
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
	// A busy machine may run the lock's timer late; one that waited on the
	// lock would never return.
	if elapsed < timeout/2 || elapsed > timeout+30*time.Second {
		t.Errorf("second Open gave up after %v, want about %v", elapsed, timeout)
	}
	t.Logf("%v after %v", err, elapsed)
}

func TestOpenZeroLengthFileIsNew(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chancery.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open of an empty file: %v", err)
	}
	defer db.Close()
	if ms, err := db.Missions(); err != nil || len(ms) != 0 {
		t.Errorf("Missions() = %v, %v", ms, err)
	}
}

// validDB writes a database with a few hundred posts and returns its path.
func validDB(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "chancery.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	addAccount(t, db, "vienna", "a")
	var posts []feeds.Post
	for i := range 300 {
		posts = append(posts, post("a", string(rune('a'+i%26))+string(rune('0'+i/26)), i))
	}
	if _, err := db.PutPosts(feeds.TimelineKey{Account: "a", Kind: feeds.Home}, posts, t0); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func pageSizeOf(b []byte) int { return int(binary.NativeEndian.Uint32(b[pageHeaderSize+8:])) }

func TestOpenCorrupt(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	randomBytes := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	tests := []struct {
		name  string
		spoil func(b []byte) []byte
	}{
		{"random bytes", func([]byte) []byte { return randomBytes(64 << 10) }},
		{"short random bytes", func([]byte) []byte { return randomBytes(100) }},
		{"truncated to half", func(b []byte) []byte { return b[:len(b)/2] }},
		{"truncated to one page", func(b []byte) []byte { return b[:pageSizeOf(b)] }},
		{"truncated mid meta page", func(b []byte) []byte { return b[:pageSizeOf(b)+100] }},
		{"flipped bytes in both meta pages", func(b []byte) []byte {
			b[pageHeaderSize+20] ^= 0x01
			b[pageSizeOf(b)+pageHeaderSize+40] ^= 0x80
			return b
		}},
		{"format version changed", func(b []byte) []byte {
			b[pageSizeOf(b)+pageHeaderSize+4] = 9
			b[pageHeaderSize+4] = 9
			return b
		}},
		{"garbage in data pages", func(b []byte) []byte {
			ps := pageSizeOf(b)
			keep := map[int]bool{0: true, 1: true}
			for _, m := range [][]byte{b[pageHeaderSize:], b[ps+pageHeaderSize:]} {
				keep[int(binary.NativeEndian.Uint64(m[metaFreelistOffset:]))] = true
				keep[int(binary.NativeEndian.Uint64(m[metaRootOffset:]))] = true
			}
			for pg := 0; pg*ps < len(b); pg++ {
				if !keep[pg] {
					copy(b[pg*ps:(pg+1)*ps], randomBytes(ps))
				}
			}
			return b
		}},
		{"garbage after meta pages", func(b []byte) []byte {
			ps := pageSizeOf(b)
			copy(b[2*ps:], randomBytes(len(b)-2*ps))
			return b
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := validDB(t)
			good, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, tt.spoil(good), 0o600); err != nil {
				t.Fatal(err)
			}
			before := fileSum(t, path)
			for range 2 { // the second try shows the first released its lock
				db, err := Open(path, Options{LockTimeout: 200 * time.Millisecond})
				if err == nil {
					db.Close()
					t.Fatal("Open succeeded")
				}
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("Open: %v, want ErrCorrupt", err)
				}
				t.Log(err)
			}
			if fileSum(t, path) != before {
				t.Error("Open modified a corrupt file")
			}
		})
	}
}

func TestOpenUnreadable(t *testing.T) {
	dir := t.TempDir()
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, path string }{
		{"directory", dir},
		{"parent is a file", filepath.Join(notDir, "chancery.db")},
		{"device", os.DevNull},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := Open(tt.path, Options{})
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			if !errors.Is(err, ErrUnreadable) {
				t.Fatalf("Open: %v, want ErrUnreadable", err)
			}
			t.Log(err)
		})
	}
}

func TestOpenNoPermission(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores file permissions")
	}
	path := validDB(t)
	if err := os.Chmod(path, 0); err != nil {
		t.Fatal(err)
	}
	db, err := Open(path, Options{})
	if err == nil {
		db.Close()
		t.Fatal("Open succeeded")
	}
	if !errors.Is(err, ErrUnreadable) {
		t.Fatalf("Open: %v, want ErrUnreadable", err)
	}
}

func TestOpenNewerSchema(t *testing.T) {
	path := validDB(t)
	setVersion(t, path, len(schemaMigrations)+1)
	before := fileSum(t, path)
	db, err := Open(path, Options{})
	if err == nil {
		db.Close()
		t.Fatal("Open succeeded")
	}
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("Open: %v, want ErrNewerSchema", err)
	}
	if fileSum(t, path) != before {
		t.Error("Open modified a newer database")
	}
}

func setVersion(t *testing.T, path string, v int) {
	t.Helper()
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	err = bdb.Update(func(tx *bolt.Tx) error { return putJSON(tx.Bucket(bucketMeta), keySchemaVersion, v) })
	if err != nil {
		t.Fatal(err)
	}
}

func storedVersion(t *testing.T, bdb *bolt.DB) int {
	t.Helper()
	var v int
	if err := bdb.View(func(tx *bolt.Tx) (err error) { v, err = schemaVersion(tx); return err }); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestMigrations(t *testing.T) {
	path := validDB(t) // at the current version
	runs := 0
	extra := func(tx *bolt.Tx) error {
		runs++
		return tx.Bucket(bucketSettings).Put([]byte("migrated"), []byte("yes"))
	}
	failing := func(*bolt.Tx) error { return errors.New("boom") }
	next := append(append([]migration{}, schemaMigrations...), extra)

	if _, err := Open(path, Options{migrations: append(append([]migration{}, schemaMigrations...), failing)}); err == nil {
		t.Fatal("Open with a failing migration succeeded")
	}
	for range 2 {
		db, err := Open(path, Options{migrations: next})
		if err != nil {
			t.Fatal(err)
		}
		if v := storedVersion(t, db.bolt); v != len(next) {
			t.Errorf("schema version %d, want %d", v, len(next))
		}
		if v, ok, _ := db.Setting("migrated"); !ok || string(v) != "yes" {
			t.Errorf("migration's write missing: %q, %v", v, ok)
		}
		if ps, err := db.Posts(feeds.TimelineKey{Account: "a", Kind: feeds.Home}, 1); err != nil || len(ps) != 1 {
			t.Errorf("posts lost in migration: %v, %v", ps, err)
		}
		db.Close()
	}
	if runs != 1 {
		t.Errorf("migration ran %d times, want once", runs)
	}
	if _, err := Open(path, Options{}); !errors.Is(err, ErrNewerSchema) {
		t.Errorf("older build opening migrated file: %v, want ErrNewerSchema", err)
	}
}

func TestQuarantine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chancery.db")
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	for i, want := range []string{path + ".corrupt-20250102-030405", path + ".corrupt-20250102-030405-2"} {
		content := []byte{byte(i), 'n', 'o', 't', ' ', 'a', ' ', 'd', 'b'}
		if err := os.WriteFile(path, content, 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := Quarantine(path, at)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("Quarantine() = %q, want %q", got, want)
		}
		if b, err := os.ReadFile(got); err != nil || string(b) != string(content) {
			t.Errorf("quarantined bytes %q, %v", b, err)
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("original still there: %v", err)
		}
	}
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open after quarantine: %v", err)
	}
	db.Close()
	if _, err := Quarantine(filepath.Join(t.TempDir(), "missing.db"), at); err == nil {
		t.Error("Quarantine of a missing file succeeded")
	}
}

func TestOptionsDefaults(t *testing.T) {
	o := Options{}.withDefaults()
	if o.LockTimeout != DefaultLockTimeout || o.Retention != DefaultRetention || len(o.migrations) != len(schemaMigrations) {
		t.Errorf("defaults: %+v", o)
	}
}
