package cli

import (
	"bufio"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"chancery/feeds"
	"chancery/translations"
)

// Archive is the records archive export --archive reads (storage.DB).
type Archive interface {
	// ScanRecords calls fn with each record of kind at or after since
	// (all of them for the zero time), oldest first.
	ScanRecords(kind feeds.RecordKind, since time.Time, fn func(feeds.Record) error) error
	// Path is the profile database's file.
	Path() string
}

// ErrArchiveWrite: a file of the archive export could not be written.
var ErrArchiveWrite = translations.NewProblem("records.error_write", "the archive could not be written to the folder")

// manifestJSON describes an archive export: what it holds and how to check it.
type manifestJSON struct {
	Profile    string         `json:"profile"`
	ExportedAt string         `json:"exported_at"`
	Since      string         `json:"since"`
	Files      []manifestFile `json:"files"`
}

type manifestFile struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Format string `json:"format"`
	Rows   int    `json:"rows"`
	SHA256 string `json:"sha256"`
}

// runArchiveExport writes the records archive into dir: for each kind, a
// JSON array and a CSV file of the same rows, then manifest.json with
// each file's row count and SHA-256. The manifest is written last: a
// folder without one holds an export that did not finish.
func runArchiveExport(s Services, dir, sinceArg string) error {
	since, err := parseDate(sinceArg)
	if err != nil {
		return badInput(err)
	}
	if s.Archive == nil {
		return fmt.Errorf("%w: the archive is not available", errUsage)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("export archive: %w: %w", ErrArchiveWrite, err)
	}
	// An earlier export's manifest must not vouch for files this one
	// leaves half written.
	manifest := filepath.Join(dir, "manifest.json")
	if err := os.Remove(manifest); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("export archive: %w: %w", ErrArchiveWrite, err)
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	m := manifestJSON{Profile: filepath.Dir(s.Archive.Path()), ExportedAt: now().UTC().Format(time.RFC3339)}
	if !since.IsZero() {
		m.Since = since.UTC().Format(time.RFC3339)
	}
	rows := map[feeds.RecordKind]int{}
	for _, kind := range feeds.RecordKinds {
		files, err := exportKind(s.Archive, dir, kind, since)
		if err != nil {
			return err
		}
		m.Files = append(m.Files, files...)
		rows[kind] = files[0].Rows
	}
	if err := writeFile(manifest, m); err != nil {
		return fmt.Errorf("%w: %w", ErrArchiveWrite, err)
	}
	fmt.Fprintln(s.Err, s.Loc.T("records.exported", "Dir", dir,
		"Published", s.Loc.Number(float64(rows[feeds.RecordPublished]), 0),
		"Received", s.Loc.Number(float64(rows[feeds.RecordReceived]), 0)))
	return nil
}

// exportKind writes the JSON and CSV files of one kind of record in one
// pass over the archive, and describes them.
func exportKind(a Archive, dir string, kind feeds.RecordKind, since time.Time) ([]manifestFile, error) {
	js, err := createHashed(filepath.Join(dir, string(kind)+".json"))
	if err != nil {
		return nil, err
	}
	defer js.abort()
	cs, err := createHashed(filepath.Join(dir, string(kind)+".csv"))
	if err != nil {
		return nil, err
	}
	defer cs.abort()
	table := csv.NewWriter(cs.w)
	table.UseCRLF = true // RFC 4180
	if err := table.Write(recordColumns(kind)); err != nil {
		return nil, fmt.Errorf("export %s: %w: %w", cs.name, ErrArchiveWrite, err)
	}
	n := 0
	_, _ = io.WriteString(js.w, "[")
	err = a.ScanRecords(kind, since, func(r feeds.Record) error {
		raw, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("encode record %s: %w", r.RemoteID, err)
		}
		if n > 0 {
			_, _ = io.WriteString(js.w, ",")
		}
		_, _ = io.WriteString(js.w, "\n  ")
		_, _ = js.w.Write(raw)
		n++
		return table.Write(recordRow(r))
	})
	if err != nil {
		return nil, fmt.Errorf("export %s records: %w", kind, err)
	}
	if n > 0 {
		_, _ = io.WriteString(js.w, "\n")
	}
	_, _ = io.WriteString(js.w, "]\n")
	if table.Flush(); table.Error() != nil {
		return nil, fmt.Errorf("export %s: %w: %w", cs.name, ErrArchiveWrite, table.Error())
	}
	files := make([]manifestFile, 0, 2)
	for _, f := range []*hashedFile{js, cs} {
		sum, err := f.close()
		if err != nil {
			return nil, err
		}
		files = append(files, manifestFile{Name: filepath.Base(f.name), Kind: string(kind), Format: filepath.Ext(f.name)[1:], Rows: n, SHA256: sum})
	}
	return files, nil
}

// hashedFile is a file being written through a buffer and a SHA-256.
type hashedFile struct {
	name string
	f    *os.File
	h    hash.Hash
	w    *bufio.Writer
	done bool
}

func createHashed(name string) (*hashedFile, error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("export: %w: %w", ErrArchiveWrite, err)
	}
	h := sha256.New()
	return &hashedFile{name: name, f: f, h: h, w: bufio.NewWriterSize(io.MultiWriter(f, h), 64<<10)}, nil
}

// close flushes and closes the file and returns its SHA-256 in hex.
func (hf *hashedFile) close() (string, error) {
	hf.done = true
	err := hf.w.Flush()
	if err == nil {
		err = hf.f.Sync()
	}
	if cerr := hf.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("export %s: %w: %w", hf.name, ErrArchiveWrite, err)
	}
	return hex.EncodeToString(hf.h.Sum(nil)), nil
}

// abort closes a file that was not finished.
func (hf *hashedFile) abort() {
	if !hf.done {
		_ = hf.f.Close()
	}
}
