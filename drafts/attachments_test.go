package drafts_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/drafts"
	"chancery/feeds"
	"chancery/feeds/bluesky"
)

// publishWithMedia queues a one-variant draft carrying media on account
// "a" of net and flushes the outbox; it returns what the network got.
func publishWithMedia(t *testing.T, net *recordingNet, media []drafts.Attachment) feeds.Outgoing {
	t.Helper()
	db := openDB(t)
	svc := drafts.NewService(db, nil)
	pub := drafts.NetworkPublisher{Accounts: oneAccount{accounts.Account{ID: "a", Network: accounts.Mastodon}}, Networks: feeds.Registry{accounts.Mastodon: net}}
	d, err := svc.New([]string{"a"})
	if err != nil {
		t.Fatal(err)
	}
	d.SetText("en", "Open house at the chancery")
	d.Media = media
	if _, err := svc.Submit(d, pub); err != nil {
		t.Fatal(err)
	}
	res, err := drafts.NewOutbox(db, pub, nil).Flush(context.Background())
	if err != nil || res.Sent != 1 {
		entries, _ := db.Entries()
		t.Fatalf("flush: %+v, %v; entries %+v", res, err, entries)
	}
	return net.got[0]
}

func TestAttachedPhotoLosesItsMetadataAndOutlivesTheOriginal(t *testing.T) {
	usb := filepath.Join(t.TempDir(), "usb")
	src := writeFile(t, filepath.Join(usb, "IMG_0001.JPG"),
		withSegment(withSegment(encodeJPEG(t, gradient(64, 48)), 0xE1, exifSegment(1)), 0xFE, []byte("GPS comment")))
	if !bytes.Contains(mustRead(t, src), []byte("GPS")) {
		t.Fatal("the test photo carries no GPS data")
	}
	dir := filepath.Join(t.TempDir(), "attachments")
	a, err := drafts.NewAttachments(dir, nil).Import(src)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(a.Path) != dir || a.Name != "IMG_0001.JPG" {
		t.Errorf("attachment %+v, want a copy in %s named after the original", a, dir)
	}
	copied := mustRead(t, a.Path)
	for _, leak := range []string{"Exif", "GPS", "48.2082"} {
		if bytes.Contains(copied, []byte(leak)) {
			t.Errorf("the copy still holds %q", leak)
		}
	}
	if ms := markers(t, copied); slices.ContainsFunc(ms, func(m byte) bool { return m >= 0xE1 && m <= 0xEF || m == 0xFE }) {
		t.Errorf("the copy keeps metadata segments: % x", ms)
	}
	if err := os.RemoveAll(usb); err != nil { // the stick is taken away
		t.Fatal(err)
	}
	got := publishWithMedia(t, &recordingNet{media: true}, []drafts.Attachment{{Path: a.Path, Name: a.Name, Alt: "The garden"}})
	if len(got.Media) != 1 || got.Media[0].MIME != "image/jpeg" || got.Media[0].Alt != "The garden" {
		t.Fatalf("published media %+v", got.Media)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(got.Media[0].Data))
	if err != nil || cfg.Width != 64 || cfg.Height != 48 {
		t.Errorf("published image %+v, %v", cfg, err)
	}
	if bytes.Contains(got.Media[0].Data, []byte("GPS")) {
		t.Error("the published image holds GPS data")
	}
}

func TestAttachedPhotoIsTurnedUprightAsItsExifSays(t *testing.T) {
	// Orientation 6: the camera was turned; the picture is shown rotated a
	// quarter turn clockwise, so its top left corner ends up top right.
	src := writeFile(t, filepath.Join(t.TempDir(), "turned.jpg"), withSegment(encodeJPEG(t, gradient(40, 20)), 0xE1, exifSegment(6)))
	a, err := drafts.NewAttachments(t.TempDir(), nil).Import(src)
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(bytes.NewReader(mustRead(t, a.Path)))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 20 || b.Dy() != 40 {
		t.Fatalf("copy is %v, want 20×40", b)
	}
	if r, g, _, _ := img.At(18, 1).RGBA(); r>>8 < 200 || g>>8 > 80 {
		t.Errorf("top right pixel %v, want the red corner", img.At(18, 1))
	}
}

func TestImagesAreMadeToFitBluesky(t *testing.T) {
	limits := bluesky.New(nil, nil).Capabilities().Images
	if limits.MaxBytes != 1_000_000 || limits.MaxImages != 4 || limits.MaxSide != 2000 {
		t.Fatalf("Bluesky limits %+v", limits)
	}
	cases := []struct {
		name     string
		img      image.Image
		wantMIME string
		wantExt  string
	}{
		{"opaque noise becomes a JPEG", noise(2400, 1400, false), "image/jpeg", ".jpg"},
		{"transparent noise stays a PNG", noise(2400, 400, true), "image/png", ".png"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := encodePNG(t, c.img)
			if len(data) <= 1_000_000 {
				t.Fatalf("test image of %d bytes already fits", len(data))
			}
			a, err := drafts.NewAttachments(t.TempDir(), nil).Import(writeFile(t, filepath.Join(t.TempDir(), "big.png"), data))
			if err != nil {
				t.Fatal(err)
			}
			got := publishWithMedia(t, &recordingNet{media: true, images: limits}, []drafts.Attachment{a})
			m := got.Media[0]
			cfg, format, err := image.DecodeConfig(bytes.NewReader(m.Data))
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Data) > 1_000_000 || cfg.Width > 2000 || cfg.Height > 2000 {
				t.Errorf("sent %d bytes, %d×%d", len(m.Data), cfg.Width, cfg.Height)
			}
			if m.MIME != c.wantMIME || "image/"+format != m.MIME || filepath.Ext(m.Name) != c.wantExt {
				t.Errorf("sent %s named %s, decoded as %s", m.MIME, m.Name, format)
			}
			if b := c.img.Bounds(); abs(cfg.Width*b.Dy()-cfg.Height*b.Dx()) > b.Dx() {
				t.Errorf("aspect ratio lost: %d×%d", cfg.Width, cfg.Height)
			}
		})
	}
}

func abs(n int) int { return max(n, -n) }

func TestImportRefusesWhatItCannotSafelyCopy(t *testing.T) {
	dir := t.TempDir()
	huge := filepath.Join(dir, "huge.png")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.Write(encodePNG(t, gradient(8, 8)))
	if err == nil {
		err = f.Truncate(drafts.MaxSourceBytes + 1) // sparse: cheap to make
	}
	if f.Close(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		path string
		want error
	}{
		{"decompression bomb", writeFile(t, filepath.Join(dir, "bomb.png"), bombPNG(t, 60000, 60000)), drafts.ErrImageTooLarge},
		{"file over 64 MiB", huge, drafts.ErrImageTooLarge},
		{"not an image", writeFile(t, filepath.Join(dir, "notes.png"), []byte("Agenda for the national day reception")), drafts.ErrNotImage},
		{"missing file", filepath.Join(dir, "gone.jpg"), drafts.ErrAttachment},
	}
	store := filepath.Join(t.TempDir(), "attachments")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := drafts.NewAttachments(store, nil).Import(c.path); !errors.Is(err, c.want) {
				t.Errorf("err = %v, want %v", err, c.want)
			}
		})
	}
	if _, err := os.Stat(store); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("refused images left something behind: %v", err)
	}
}

func TestImportReportsACopyThatCannotBeWritten(t *testing.T) {
	parent := t.TempDir()
	blocker := writeFile(t, filepath.Join(parent, "attachments"), []byte("not a folder"))
	src := writeFile(t, filepath.Join(t.TempDir(), "flag.png"), encodePNG(t, gradient(8, 8)))
	_, err := drafts.NewAttachments(blocker, nil).Import(src)
	if !errors.Is(err, drafts.ErrAttachmentCopy) {
		t.Errorf("err = %v, want ErrAttachmentCopy", err)
	}
}

func TestSweepRemovesOnlyCopiesNothingRefersTo(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	atts := drafts.NewAttachments(dir, func() time.Time { return now })
	db := openDB(t)
	old := now.Add(-2 * time.Hour)
	file := func(name string, mtime time.Time) string {
		p := writeFile(t, filepath.Join(dir, name), encodePNG(t, image.NewGray(image.Rect(0, 0, 1, 1))))
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
		return p
	}
	inDraft, queued, failed := file("draft.png", old), file("queued.png", old), file("failed.png", old)
	orphan, young, partial := file("orphan.png", old), file("young.png", now.Add(-time.Minute)), file(".part-123", old)
	outside := writeFile(t, filepath.Join(t.TempDir(), "original.png"), []byte("x"))
	if err := db.PutDraft(drafts.Draft{ID: "d1", Media: []drafts.Attachment{{Path: inDraft}, {Path: outside}}}); err != nil {
		t.Fatal(err)
	}
	entries := []drafts.Entry{
		{ID: "e1", DraftID: "d2", Account: "a", Media: []drafts.Attachment{{Path: queued}}, State: drafts.Queued},
		{ID: "e2", DraftID: "d2", Account: "a", Media: []drafts.Attachment{{Path: failed}}, State: drafts.Failed, Seq: 1},
	}
	if err := db.Enqueue("d2", entries); err != nil {
		t.Fatal(err)
	}
	n, err := atts.Sweep(db)
	if err != nil || n != 2 {
		t.Errorf("swept %d, %v; want 2", n, err)
	}
	for p, want := range map[string]bool{inDraft: true, queued: true, failed: true, young: true, outside: true, orphan: false, partial: false} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", filepath.Base(p), err == nil, want)
		}
	}
	if n, err := drafts.NewAttachments(filepath.Join(dir, "never-made"), nil).Sweep(db); n != 0 || err != nil {
		t.Errorf("sweep of a missing folder: %d, %v", n, err)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
