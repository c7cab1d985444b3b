package drafts

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Attached images are copied into the profile as they are attached, so that
// a post goes out even after the original (on a USB stick, in a download
// folder) is gone. The copy is re-encoded, which drops Exif (GPS included),
// XMP and comments, and its long side is kept within MaxStoredSide; each
// network later gets a version within its own limits.
const (
	MaxStoredSide = 4096
	storedQuality = 90
	// sweepGrace keeps a copy no draft refers to yet: the composer saves the
	// draft that names it shortly after the copy is made.
	sweepGrace = time.Hour
	tempPrefix = ".part-"
)

// Attachments keeps the copies of attached images in one folder of the
// profile. It is safe for concurrent use; its methods do file work and
// must not run on the UI goroutine.
type Attachments struct {
	dir string
	now func() time.Time
}

// NewAttachments keeps copies in dir (created when the first image is
// attached).
func NewAttachments(dir string, now func() time.Time) *Attachments {
	if now == nil {
		now = time.Now
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs // drafts keep the copies' paths, whatever the working directory
	}
	return &Attachments{dir: filepath.Clean(dir), now: now}
}

// Dir returns the folder the copies are kept in.
func (a *Attachments) Dir() string { return a.dir }

// Import copies the image at src into the profile, without its metadata,
// and returns the attachment that refers to the copy, named after src.
func (a *Attachments) Import(src string) (Attachment, error) {
	data, err := readSource(src)
	if err != nil {
		return Attachment{}, err
	}
	out, ext, err := stored(data)
	if err != nil {
		return Attachment{}, err
	}
	path, err := a.write(out, ext)
	if err != nil {
		return Attachment{}, fmt.Errorf("%w: %w", ErrAttachmentCopy, err)
	}
	return Attachment{Path: path, Name: filepath.Base(src)}, nil
}

// stored returns what is kept of an image file: the file itself when it is
// a JPEG or PNG free of metadata and small enough, else the image
// re-encoded (PNG when it has transparency, else JPEG).
func stored(data []byte) ([]byte, string, error) {
	cfg, mime, err := inspect(bytes.NewReader(data))
	if err != nil {
		return nil, "", err
	}
	if max(cfg.Width, cfg.Height) <= MaxStoredSide && !hasMetadata(data) {
		switch mime {
		case "image/jpeg":
			return data, ".jpg", nil
		case "image/png":
			return data, ".png", nil
		}
	}
	img, err := decode(data, MaxStoredSide)
	if err != nil {
		return nil, "", err
	}
	if !opaque(img) {
		out, err := encodePNG(img)
		return out, ".png", err
	}
	out, err := encodeJPEG(img, storedQuality)
	return out, ".jpg", err
}

// write stores data under a new name in the folder, atomically: a partial
// file never carries a copy's name, whatever happens to the process.
func (a *Attachments) write(data []byte, ext string) (path string, err error) {
	if err := os.MkdirAll(a.dir, 0o700); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(a.dir, tempPrefix+"*")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return "", err
	}
	if err = f.Sync(); err != nil {
		return "", err
	}
	if err = f.Close(); err != nil {
		return "", err
	}
	path = filepath.Join(a.dir, newID()+ext)
	if err = os.Rename(f.Name(), path); err != nil {
		return "", err
	}
	syncDir(a.dir)
	return path, nil
}

// syncDir makes a rename in dir durable where the system allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // not supported everywhere (Windows); the rename stands anyway
		d.Close()
	}
}

// Sweep removes the copies that no draft and no outbox entry refers to any
// more (a deleted draft's, those of posts sent and forgotten), and partial
// files left by a crash, once they are older than an hour. Only files in
// the folder are ever removed. It returns how many it removed.
func (a *Attachments) Sweep(store Store) (int, error) {
	used, err := referenced(store)
	if err != nil {
		return 0, fmt.Errorf("sweep attachments: %w", err)
	}
	files, err := os.ReadDir(a.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("sweep attachments: %w", err)
	}
	removed := 0
	var errs []error
	for _, f := range files {
		path := filepath.Join(a.dir, f.Name())
		if !f.Type().IsRegular() || used[path] {
			continue
		}
		info, err := f.Info()
		if err != nil || a.now().Sub(info.ModTime()) < sweepGrace {
			continue
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		removed++
	}
	return removed, errors.Join(errs...)
}

// referenced returns the cleaned paths of every attachment of every draft
// and outbox entry.
func referenced(store Store) (map[string]bool, error) {
	ds, err := store.Drafts()
	if err != nil {
		return nil, err
	}
	es, err := store.Entries()
	if err != nil {
		return nil, err
	}
	used := map[string]bool{}
	add := func(ms []Attachment) {
		for _, m := range ms {
			used[filepath.Clean(m.Path)] = true
		}
	}
	for _, d := range ds {
		add(d.Media)
	}
	for _, e := range es {
		add(e.Media)
	}
	return used, nil
}

// displayName is how an attachment is named to the user.
func (m Attachment) displayName() string {
	if m.Name != "" {
		return m.Name
	}
	return filepath.Base(m.Path)
}
