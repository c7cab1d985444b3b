// Package storage keeps Chancery's profile database in one bbolt file. It is
// the only package that knows buckets, keys and encodings; it implements the
// store interfaces declared by accounts and feeds.
package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"chancery/translations"
)

// Errors Open reports, wrapped with the path and the underlying cause.
var (
	// ErrLocked: another process (a running Chancery) holds the file.
	ErrLocked = translations.NewProblem("error.db_locked", "database is in use by another process")
	// ErrCorrupt: the file is not a valid bbolt database; Open leaves it
	// untouched, and Quarantine can move it aside.
	ErrCorrupt = translations.NewProblem("error.db_corrupt", "database file is corrupt")
	// ErrUnreadable: the file cannot be opened, for lack of permission or an
	// I/O error, or because the path is not a regular file.
	ErrUnreadable = translations.NewProblem("error.db_unreadable", "database file cannot be read")
	// ErrNewerSchema: the file was written by a newer Chancery.
	ErrNewerSchema = translations.NewProblem("error.db_newer_schema", "database was written by a newer version")
)

// Default option values.
const (
	DefaultLockTimeout = time.Second
	DefaultRetention   = 2000
)

// Options tune Open. The zero value gives the defaults.
type Options struct {
	// LockTimeout bounds the wait for the file lock (default 1s).
	LockTimeout time.Duration
	// Retention is how many posts each timeline keeps (default: the value
	// last given to SetRetention, else 2000).
	Retention int

	explicitRetention bool
	// migrations replaces the schema's migrations; for tests only.
	migrations []migration
}

func (o Options) withDefaults() Options {
	o.explicitRetention = o.Retention > 0
	if o.LockTimeout <= 0 {
		o.LockTimeout = DefaultLockTimeout
	}
	if o.Retention <= 0 {
		o.Retention = DefaultRetention
	}
	if o.migrations == nil {
		o.migrations = schemaMigrations
	}
	return o
}

// DB is an open profile database. It is safe for concurrent use.
type DB struct {
	// mu lets Compact swap the file while no transaction runs; every other
	// use of bolt holds it for reading. writes keeps writers out while
	// Compact copies the file, so that readers can go on meanwhile.
	mu        sync.RWMutex
	writes    sync.Mutex
	bolt      *bolt.DB
	profile   *profileLock
	path      string
	lock      time.Duration
	retention atomic.Int64
	// observer, if set, learns what each write did to the cached posts.
	observer atomic.Pointer[func(...PostsChange)]
}

// view runs fn in a read transaction.
func (db *DB) view(fn func(*bolt.Tx) error) error {
	db.mu.RLock()
	defer db.mu.RUnlock()
	return db.bolt.View(fn)
}

// batch runs fn in a write transaction that may be shared with other
// concurrent callers (bolt.DB.Batch); fn may run more than once.
func (db *DB) batch(fn func(*bolt.Tx) error) error {
	db.writes.Lock()
	defer db.writes.Unlock()
	db.mu.RLock()
	defer db.mu.RUnlock()
	return db.bolt.Batch(fn)
}

// update runs fn in a write transaction.
func (db *DB) update(fn func(*bolt.Tx) error) error {
	db.writes.Lock()
	defer db.writes.Unlock()
	db.mu.RLock()
	defer db.mu.RUnlock()
	return db.bolt.Update(fn)
}

// Open opens, or creates, the database at path. An existing file is checked
// before anything is written to it: a corrupt file is reported as ErrCorrupt
// and left byte for byte as it was.
func Open(path string, opts Options) (*DB, error) {
	opts = opts.withDefaults()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open %s: %w: %w", path, ErrUnreadable, err)
	}
	lock, err := lockProfile(path, opts.LockTimeout)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	bdb, err := openChecked(path, opts)
	if err != nil {
		lock.release()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db := &DB{bolt: bdb, profile: lock, path: path, lock: opts.LockTimeout}
	db.retention.Store(int64(opts.Retention))
	if stored := db.storedRetention(); stored > 0 && !opts.explicitRetention {
		db.retention.Store(int64(stored))
	}
	return db, nil
}

// openChecked checks an existing file before anything is written to it,
// then opens it and brings its schema up to date.
func openChecked(path string, opts Options) (*bolt.DB, error) {
	fresh, err := isFresh(path)
	if err != nil {
		return nil, err
	}
	if !fresh {
		if err := validateFile(path, opts.LockTimeout); err != nil {
			return nil, err
		}
	}
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opts.LockTimeout})
	if err != nil {
		return nil, classify(err)
	}
	if err := bdb.Update(func(tx *bolt.Tx) error { return migrate(tx, opts.migrations) }); err != nil {
		_ = bdb.Close()
		return nil, err
	}
	return bdb, nil
}

// isFresh reports whether path is missing or empty, so bbolt will initialise
// it; it refuses paths that are not regular files.
func isFresh(path string) (bool, error) {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return true, nil
	case err != nil:
		return false, fmt.Errorf("%w: %w", ErrUnreadable, err)
	case info.IsDir():
		return false, fmt.Errorf("%w: is a directory", ErrUnreadable)
	case !info.Mode().IsRegular():
		return false, fmt.Errorf("%w: not a regular file", ErrUnreadable)
	}
	return info.Size() == 0, nil
}

// classify maps an error of bolt.Open to one of this package's sentinels.
// Only what is certainly a bad file is called corrupt: anything else is
// unreadable, so that nobody is invited to quarantine a good file.
func classify(err error) error {
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return fmt.Errorf("%w: %w", ErrLocked, err)
	case errors.Is(err, berrors.ErrInvalid),
		errors.Is(err, berrors.ErrVersionMismatch),
		errors.Is(err, berrors.ErrChecksum):
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return fmt.Errorf("%w: %w", ErrUnreadable, err)
}

// Close closes the database, waiting for running transactions to end.
func (db *DB) Close() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	defer db.profile.release()
	if err := db.bolt.Close(); err != nil {
		return fmt.Errorf("close %s: %w", db.path, err)
	}
	return nil
}

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

// Size returns the database file's size in bytes.
func (db *DB) Size() (int64, error) {
	info, err := os.Stat(db.path)
	if err != nil {
		return 0, fmt.Errorf("size of %s: %w", db.path, err)
	}
	return info.Size(), nil
}

// Quarantine moves a bad database file aside to
// "<path>.corrupt-YYYYMMDD-HHMMSS" (now in its own zone), keeping its bytes,
// so that the next Open starts afresh. It never overwrites an earlier
// quarantined file. It returns the new name. The file must not be open.
func Quarantine(path string, now time.Time) (string, error) {
	info, err := os.Lstat(path)
	if err != nil {
		return "", fmt.Errorf("quarantine %s: %w", path, err)
	}
	if !info.Mode().IsRegular() {
		return "", fmt.Errorf("quarantine %s: not a regular file", path)
	}
	dest, err := unusedName(path + ".corrupt-" + now.Format("20060102-150405"))
	if err != nil {
		return "", fmt.Errorf("quarantine %s: %w", path, err)
	}
	if err := os.Rename(path, dest); err != nil {
		return "", fmt.Errorf("quarantine %s: %w", path, err)
	}
	return dest, nil
}

// unusedName returns base, or base-2, base-3… whichever does not exist yet.
func unusedName(base string) (string, error) {
	name := base
	for i := 2; ; i++ {
		_, err := os.Lstat(name)
		if errors.Is(err, fs.ErrNotExist) {
			return name, nil
		}
		if err != nil {
			return "", err
		}
		name = fmt.Sprintf("%s-%d", base, i)
	}
}
