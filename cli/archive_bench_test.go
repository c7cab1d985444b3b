package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/cli"
	"chancery/drafts"
	"chancery/feeds"
	"chancery/storage"
	"chancery/translations"
)

// seedArchive fills a profile's archive with n records, a tenth of them
// published and the rest received, over a year.
func seedArchive(tb testing.TB, n int) *storage.DB {
	tb.Helper()
	db, err := storage.Open(filepath.Join(tb.TempDir(), "chancery.db"), storage.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	if err := db.PutMission(accounts.Mission{ID: "vienna", Names: map[string]string{"en": "Vienna"}}); err != nil {
		tb.Fatal(err)
	}
	a := accounts.Account{ID: "vienna-m", Mission: "vienna", Network: accounts.Mastodon, Server: "https://social.example", Handle: "ambassade"}
	if err := db.PutAccount(a); err != nil {
		tb.Fatal(err)
	}
	start := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	step := 365 * 24 * time.Hour / time.Duration(n)
	var batch []feeds.Post
	for i := range n {
		at := start.Add(time.Duration(i) * step)
		if i%10 == 0 {
			e := drafts.Entry{
				ID: fmt.Sprintf("e%d", i), DraftID: fmt.Sprintf("d%d", i), Account: a.ID, Lang: "fr",
				Text: fmt.Sprintf("Communiqué n° %d : le consulat sera fermé lundi, « jour férié ».", i), State: drafts.Sent,
				RemoteID: fmt.Sprint(110_000_000 + i), URL: fmt.Sprintf("https://social.example/@ambassade/%d", 110_000_000+i),
				CreatedAt: at, UpdatedAt: at,
			}
			if err := db.PutEntry(e); err != nil {
				tb.Fatal(err)
			}
			continue
		}
		batch = append(batch, feeds.Post{
			ID: fmt.Sprintf("n%d:%d", i, 120_000_000+i), Author: "A Citizen", AuthorHandle: "citizen@other.example",
			Text: fmt.Sprintf("@ambassade Question %d, about a visa, \"urgent\", 签证", i), Lang: "en", CreatedAt: at,
			URL: fmt.Sprintf("https://other.example/@citizen/%d", 120_000_000+i), Notification: "mention",
		})
		if len(batch) == 500 {
			if _, err := db.PutPosts(feeds.TimelineKey{Account: a.ID, Kind: feeds.Mentions}, batch, at); err != nil {
				tb.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	if _, err := db.PutPosts(feeds.TimelineKey{Account: a.ID, Kind: feeds.Mentions}, batch, start); err != nil {
		tb.Fatal(err)
	}
	return db
}

func exportArchive(tb testing.TB, db *storage.DB, dir string) {
	tb.Helper()
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), cli.Services{Archive: db, Loc: translations.New("en"), Out: &out, Err: &errOut},
		[]string{"export", "--archive", "--out", dir})
	if code != cli.ExitOK {
		tb.Fatalf("export --archive: exit %d, %s", code, errOut.String())
	}
}

// TestExportArchiveAtRealisticSize exports a year of a busy account's
// records and checks every file against the manifest.
func TestExportArchiveAtRealisticSize(t *testing.T) {
	const n = 6000
	db := seedArchive(t, n)
	dir := t.TempDir()
	exportArchive(t, db, dir)
	_, rows := readManifest(t, dir)
	if rows["published.json"] != n/10 || rows["received.csv"] != n-n/10 {
		t.Errorf("rows %v, want %d published and %d received", rows, n/10, n-n/10)
	}
}

// BenchmarkExportArchive exports archives of growing size: the time per
// record (ns/record) stays flat when the export is linear.
func BenchmarkExportArchive(b *testing.B) {
	for _, n := range []int{2000, 8000, 32000} {
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
			db := seedArchive(b, n)
			dir := b.TempDir()
			for b.Loop() {
				exportArchive(b, db, dir)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/record")
		})
	}
}
