package storage

import (
	"encoding/binary"
	"os"
	"testing"

	"chancery/feeds"
)

// tornDB writes a database whose last transactions both hold the setting
// "marker", so that it survives whichever meta page is torn, and returns
// its path.
func tornDB(t *testing.T) string {
	t.Helper()
	path := validDB(t)
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{`"kept"`, `"kept"`, `"kept"`} {
		if err := db.SetSetting("marker", []byte(v)); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// metaTxids returns the transaction ids of the file's two meta pages.
func metaTxids(b []byte) [2]uint64 {
	ps := pageSizeOf(b)
	ne := binary.NativeEndian
	return [2]uint64{
		ne.Uint64(b[pageHeaderSize+metaTxidOffset:]),
		ne.Uint64(b[ps+pageHeaderSize+metaTxidOffset:]),
	}
}

// A crash in the middle of writing a meta page leaves it torn; bbolt then
// opens from the other meta page, and so must Chancery instead of calling
// the file corrupt.
func TestOpenWithOneTornMetaPage(t *testing.T) {
	tests := []struct {
		name  string
		which func(txids [2]uint64) int // the meta page to tear
	}{
		{"newest meta page torn", func(tx [2]uint64) int { return newer(tx) }},
		{"older meta page torn", func(tx [2]uint64) int { return 1 - newer(tx) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tornDB(t)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			page := tt.which(metaTxids(b))
			// A torn write: the page count never reached the disk, the
			// transaction id did.
			tear := page*pageSizeOf(b) + pageHeaderSize + metaPgidOffset
			clear(b[tear : tear+8])
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := checkMetaSum(b[page*pageSizeOf(b)+pageHeaderSize:]); err == nil {
				t.Fatal("the tear left the checksum valid")
			}
			db, err := Open(path, Options{})
			if err != nil {
				t.Fatalf("Open with meta page %d torn: %v", page, err)
			}
			checkContents(t, db)
			if err := db.SetSetting("after", []byte(`"written"`)); err != nil {
				t.Fatalf("write after opening: %v", err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			again, err := Open(path, Options{})
			if err != nil {
				t.Fatalf("reopen: %v", err)
			}
			defer again.Close()
			checkContents(t, again)
			if v, ok, err := again.Setting("after"); err != nil || !ok || string(v) != `"written"` {
				t.Errorf("write after the repair: %q, %v, %v", v, ok, err)
			}
		})
	}
}

func newer(tx [2]uint64) int {
	if tx[1] > tx[0] {
		return 1
	}
	return 0
}

// checkContents checks what tornDB wrote.
func checkContents(t *testing.T, db *DB) {
	t.Helper()
	ps, err := db.Posts(feeds.TimelineKey{Account: "a", Kind: feeds.Home}, 1000)
	if err != nil || len(ps) != 300 {
		t.Errorf("Posts() = %d posts, %v; want 300", len(ps), err)
	}
	if v, ok, err := db.Setting("marker"); err != nil || !ok || string(v) != `"kept"` {
		t.Errorf("Setting(marker) = %q, %v, %v", v, ok, err)
	}
}
