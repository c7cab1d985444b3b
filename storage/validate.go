package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"runtime/debug"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The parts of bbolt's on-disk format (version 2) that validateFile checks.
// bbolt keeps two meta pages and writes them in turn, so that a meta page
// torn by a crash mid-commit leaves the other one, of the transaction
// before, intact; it opens from the newest meta page whose checksum holds.
// validateFile accepts what bbolt accepts and checks the meta page bbolt
// will use.
const (
	pageHeaderSize     = 16
	metaMagic          = 0xED0CDAED
	metaVersion        = 2
	metaSumOffset      = 56 // the checksum covers the meta's first 56 bytes
	metaRootOffset     = 16 // the root bucket's page
	metaFreelistOffset = 32 // the freelist's page, or noFreelist
	metaPgidOffset     = 40 // the high water mark: pages in use
	metaTxidOffset     = 48 // the transaction that wrote this meta page
	noFreelist         = ^uint64(0)
)

// validateFile checks an existing database without writing to it. It opens
// it read-only (which takes a shared lock, so a running instance shows up as
// ErrLocked) and checks the meta page in use and the file's length; only then does
// it open it again to load the freelist and read every bucket and key. A
// panic or memory fault inside bbolt means corruption.
func validateFile(path string, timeout time.Duration) error {
	checkMeta := func(bdb *bolt.DB, f *os.File) error { return checkMetaPages(f, bdb.Info().PageSize) }
	if err := withReadOnly(path, timeout, false, checkMeta); err != nil {
		return err
	}
	return withReadOnly(path, timeout, true, func(bdb *bolt.DB, _ *os.File) error { return bdb.View(walk) })
}

// withReadOnly opens path read-only and runs check on it, recovering from
// panics and memory faults. A failed check is reported as ErrCorrupt.
func withReadOnly(path string, timeout time.Duration, loadFreelist bool, check func(*bolt.DB, *os.File) error) (err error) {
	var file *os.File
	openFile := func(name string, flag int, perm os.FileMode) (*os.File, error) {
		f, err := os.OpenFile(name, flag, perm)
		file = f
		return f, err
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: bbolt panicked: %v", ErrCorrupt, r)
			if file != nil {
				_ = file.Close() // the half-open db cannot be closed; release the lock
			}
		}
	}()
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout: timeout, ReadOnly: true, PreLoadFreelist: loadFreelist, OpenFile: openFile,
	})
	if err != nil {
		if file != nil && errors.Is(classify(err), ErrUnreadable) && tooShort(path) {
			return fmt.Errorf("%w: file shorter than its two meta pages: %w", ErrCorrupt, err)
		}
		return classify(err)
	}
	defer func() {
		if cerr := bdb.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("%w: %w", ErrUnreadable, cerr)
		}
	}()
	if err := check(bdb, file); err != nil {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return nil
}

// checkMetaPages finds the meta page bbolt opens from, the newest one whose
// magic, version and checksum hold, and verifies its page size and that the
// file holds every page it claims is in use. One damaged meta page is what a
// crash mid-commit leaves behind; two mean the file is corrupt.
func checkMetaPages(f *os.File, pageSize int) error {
	info, err := f.Stat()
	if err != nil {
		return err
	}
	size := info.Size()
	if pageSize <= pageHeaderSize+metaSumOffset+8 || size < 2*int64(pageSize) {
		return fmt.Errorf("file of %d bytes is shorter than its two meta pages", size)
	}
	buf := make([]byte, 2*pageSize)
	if _, err := f.ReadAt(buf, 0); err != nil {
		return fmt.Errorf("read meta pages: %w", err)
	}
	i, err := metaInUse(buf[pageHeaderSize:], buf[pageSize+pageHeaderSize:])
	if err != nil {
		return err
	}
	if err := checkMeta(buf[i*pageSize+pageHeaderSize:], pageSize, size); err != nil {
		return fmt.Errorf("meta page %d: %w", i, err)
	}
	return nil
}

// metaInUse returns which of the two meta pages bbolt uses: the one with the
// higher transaction id if its checksum holds, else the other if its does.
func metaInUse(m0, m1 []byte) (int, error) {
	ne := binary.NativeEndian
	metas := [2][]byte{m0, m1}
	newest := 0
	if ne.Uint64(m1[metaTxidOffset:]) > ne.Uint64(m0[metaTxidOffset:]) {
		newest = 1
	}
	errNewest := checkMetaSum(metas[newest])
	if errNewest == nil {
		return newest, nil
	}
	errOther := checkMetaSum(metas[1-newest])
	if errOther == nil {
		return 1 - newest, nil
	}
	return 0, fmt.Errorf("both meta pages damaged: meta page %d: %w; meta page %d: %w", newest, errNewest, 1-newest, errOther)
}

// checkMeta checks one meta page against the page size and file size.
func checkMeta(m []byte, pageSize int, fileSize int64) error {
	if err := checkMetaSum(m); err != nil {
		return err
	}
	ne := binary.NativeEndian
	if ps := ne.Uint32(m[8:]); ps != uint32(pageSize) {
		return fmt.Errorf("page size %d, want %d", ps, pageSize)
	}
	pgid := ne.Uint64(m[metaPgidOffset:])
	if pgid > uint64(fileSize)/uint64(pageSize) {
		return fmt.Errorf("file truncated: %d pages in use, %d bytes on disk", pgid, fileSize)
	}
	if root := ne.Uint64(m[metaRootOffset:]); root < 2 || root >= pgid {
		return fmt.Errorf("root page %d outside 2..%d", root, pgid)
	}
	if fl := ne.Uint64(m[metaFreelistOffset:]); fl != noFreelist && (fl < 2 || fl >= pgid) {
		return fmt.Errorf("freelist page %d outside 2..%d", fl, pgid)
	}
	return nil
}

// checkMetaSum checks a meta's magic, format version and checksum.
func checkMetaSum(m []byte) error {
	ne := binary.NativeEndian
	h := fnv.New64a()
	h.Write(m[:metaSumOffset])
	switch {
	case ne.Uint32(m[0:]) != metaMagic:
		return errors.New("bad magic")
	case ne.Uint32(m[4:]) != metaVersion:
		return fmt.Errorf("format version %d", ne.Uint32(m[4:]))
	case ne.Uint64(m[metaSumOffset:]) != h.Sum64():
		return errors.New("checksum mismatch")
	}
	return nil
}

// tooShort reports whether the file at path starts with a valid meta page but
// is too short to hold the second one, which bbolt reports as an unstructured
// error.
func tooShort(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	m := make([]byte, pageHeaderSize+metaSumOffset+8)
	if _, err := f.ReadAt(m, 0); err != nil {
		return false
	}
	m = m[pageHeaderSize:]
	info, err := f.Stat()
	if err != nil || checkMetaSum(m) != nil {
		return false
	}
	return info.Size() < 2*int64(binary.NativeEndian.Uint32(m[8:]))
}

// walk reads every bucket and key of the database, so that damaged pages
// show up now rather than in the middle of a session.
func walk(tx *bolt.Tx) error {
	return tx.ForEach(func(_ []byte, b *bolt.Bucket) error { return walkBucket(b) })
}

func walkBucket(b *bolt.Bucket) error {
	return b.ForEach(func(k, v []byte) error {
		if v != nil {
			return nil
		}
		child := b.Bucket(k)
		if child == nil {
			return fmt.Errorf("nested bucket %x cannot be read", k)
		}
		return walkBucket(child)
	})
}
