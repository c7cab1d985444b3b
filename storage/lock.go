package storage

import (
	"errors"
	"fmt"
	"os"
	"time"
)

// errWouldBlock reports a lock held by another process.
var errWouldBlock = errors.New("locked by another process")

// profileLock is held for as long as a database is open. It guards the
// profile, not the file: Compact replaces the database file, and between
// closing the old one and opening the new one no other process may take it.
type profileLock struct{ f *os.File }

// lockProfile takes the lock next to path, waiting up to timeout.
func lockProfile(path string, timeout time.Duration) (*profileLock, error) {
	f, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	deadline := time.Now().Add(timeout)
	for {
		err := tryLock(f)
		if err == nil {
			return &profileLock{f: f}, nil
		}
		if !errors.Is(err, errWouldBlock) || time.Now().After(deadline) {
			_ = f.Close()
			if errors.Is(err, errWouldBlock) {
				return nil, fmt.Errorf("%w: %w", ErrLocked, err)
			}
			return nil, fmt.Errorf("%w: lock: %w", ErrUnreadable, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (l *profileLock) release() {
	_ = unlock(l.f)
	_ = l.f.Close()
}
