package storage

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

var t0 = time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)

// openTest opens a database in a fresh temporary directory, closed at the end.
func openTest(t testing.TB, opts Options) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "chancery.db"), opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// addAccount stores a mission (if needed) and an account in it.
func addAccount(t testing.TB, db *DB, mission, id string) {
	t.Helper()
	if err := db.PutMission(accounts.Mission{ID: mission, Names: map[string]string{"en": mission}}); err != nil {
		t.Fatal(err)
	}
	a := accounts.Account{ID: id, Mission: mission, Network: accounts.Mastodon, Server: "https://example.org", Handle: "@" + id}
	if err := db.PutAccount(a); err != nil {
		t.Fatal(err)
	}
}

// post returns a realistic post with the given id, minutes after t0.
func post(account, id string, minutes int) feeds.Post {
	return feeds.Post{
		ID:           id,
		Account:      account,
		Network:      accounts.Mastodon,
		Author:       "Embassy press office",
		AuthorHandle: "@press@example.org",
		Text:         postText(id),
		Lang:         "en",
		CreatedAt:    t0.Add(time.Duration(minutes) * time.Minute),
		URL:          "https://example.org/@press/" + id,
		Counts:       feeds.Counts{Replies: 2, Reposts: 5, Likes: 17},
	}
}

// postText is about 300 bytes of text.
func postText(id string) string {
	s := fmt.Sprintf("Post %s: consular services will be closed on Monday for the national holiday. "+
		"For emergencies, call the duty officer. Visa appointments move to Tuesday; please check your e-mail "+
		"for the new time. Beware of fraudulent websites asking for fees: the embassy never asks for payment by phone.", id)
	return s[:min(len(s), 300)]
}

// ids lists the ids of posts, in order.
func ids(posts []feeds.Post) string {
	out := make([]string, len(posts))
	for i, p := range posts {
		out[i] = p.ID
	}
	return strings.Join(out, ",")
}

// fileSum returns the sha256 of a file's bytes.
func fileSum(t testing.TB, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}
