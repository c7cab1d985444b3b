package team

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestWithoutPassword(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"postgres://alice:s3cret@db.example.org:5432/team?sslmode=verify-full", "postgres://alice@db.example.org:5432/team?sslmode=verify-full"},
		{"postgresql://alice@db.example.org/team?password=s3cret&sslmode=require", "postgresql://alice@db.example.org/team?sslmode=require"},
		{"host=db.example.org user=alice password='s3 cret' dbname=team", "host=db.example.org user=alice dbname=team"},
		{"host=db.example.org password=s3cret user=alice", "host=db.example.org user=alice"},
		{"host=db.example.org user=alice sslpassword=s3cret", "host=db.example.org user=alice"},
		{"host=db.example.org user=alice password = 's3\\'x' sslpassword = s3cret", "host=db.example.org user=alice"},
		{"postgres://alice@db.example.org/team?sslpassword=s3cret&sslmode=require", "postgres://alice@db.example.org/team?sslmode=require"},
	} {
		got := withoutPassword(c.in)
		if strings.Contains(got, "s3") || got != c.want {
			t.Errorf("withoutPassword(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// An address pgx cannot parse is reported without its password, in every
// form pgx's own redaction misses or not.
func TestBadAddressErrorHidesThePassword(t *testing.T) {
	for _, dsn := range []string{
		"host=127.0.0.1 user=alice password = s3cret port=x",
		"host=127.0.0.1 user=alice password=s3cret port=x",
		"host=127.0.0.1 user=alice password='s3 cret' port=x",
		"host=127.0.0.1 user=alice password='s3cret sslmode=require",
		"host=127.0.0.1 user=alice sslpassword=s3cret port=x",
		"postgres://alice:s3cret@127.0.0.1:badport/team",
		"postgres://alice:s3cret@[::1/team",
		"postgres://alice:s3%63ret@127.0.0.1:badport/team",
		"alice:s3cret@127.0.0.1/team",
		"postgres://alice@127.0.0.1:badport/team?password=s3cret",
	} {
		var s Service
		_, err := s.Connect(context.Background(), dsn, "", "")
		if !errors.Is(err, ErrBadDSN) {
			t.Errorf("Connect(%q): %v, want ErrBadDSN", dsn, err)
			continue
		}
		if strings.Contains(err.Error(), "s3") || strings.Contains(err.Error(), "cret") {
			t.Errorf("Connect(%q) error shows the password: %v", dsn, err)
		}
		if _, err := dial(context.Background(), Config{DSN: dsn}, ""); err == nil || strings.Contains(err.Error(), "s3") {
			t.Errorf("dial(%q): %v", dsn, err)
		}
	}
}

func TestHasPassword(t *testing.T) {
	for dsn, want := range map[string]bool{
		"postgres://alice:s3cret@db.example.org/team":                            true,
		"postgres://alice@db.example.org/team?password=s3cret":                   true,
		"postgres://alice@db.example.org/team?sslmode=verify-full&sslpassword=x": true,
		"host=db.example.org user=alice password='s3 cret'":                      true,
		"host=db.example.org user=alice password = s3cret":                       true,
		"postgres://alice@db.example.org:5432/team?sslmode=verify-full":          false,
		"postgres://db.example.org/team":                                         false,
		"host=db.example.org user=alice password=''":                             false,
		"host=db.example.org user=alice passfile=/home/alice/.pgpass":            false,
	} {
		if got := HasPassword(dsn); got != want {
			t.Errorf("HasPassword(%q) = %v, want %v", dsn, got, want)
		}
	}
}

// Only TLS reaches a remote server: a plain-text address is refused, and
// sslmode=prefer loses its plain-text fallback.
func TestOnlyTLS(t *testing.T) {
	pc, err := pgx.ParseConfig("postgres://alice@db.example.org/team?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	if err := useSecret(pc, "", "pw"); !errors.Is(err, ErrBadDSN) {
		t.Fatalf("sslmode=disable: %v", err)
	}
	// TLS whose certificate is not checked reaches anyone posing as the
	// server: refused for a remote host, accepted on this machine.
	for _, mode := range []string{"prefer", "require", "allow"} {
		pc, err = pgx.ParseConfig("postgres://alice@db.example.org/team?sslmode=" + mode)
		if err != nil {
			t.Fatal(err)
		}
		if err := useSecret(pc, "", "pw"); !errors.Is(err, ErrBadDSN) {
			t.Fatalf("sslmode=%s to a remote host: %v, want ErrBadDSN", mode, err)
		}
	}
	for _, dsn := range []string{
		"postgres://alice@db.example.org/team?sslmode=verify-ca",
		"postgres://alice@db.example.org,db2.example.org/team?sslmode=verify-full",
		"postgres://alice@127.0.0.1/team?sslmode=require",
		"postgres://alice@[::1]/team?sslmode=require",
		"postgres://alice@localhost/team?sslmode=prefer",
	} {
		pc, err = pgx.ParseConfig(dsn)
		if err != nil {
			t.Fatal(err)
		}
		if err := useSecret(pc, "", "pw"); err != nil {
			t.Fatalf("%s: %v", dsn, err)
		}
		if pc.TLSConfig == nil {
			t.Fatalf("%s: no TLS", dsn)
		}
	}
	pc, err = pgx.ParseConfig("postgres://alice@localhost/team?sslmode=prefer")
	if err != nil {
		t.Fatal(err)
	}
	if err := useSecret(pc, "", "pw"); err != nil {
		t.Fatal(err)
	}
	if pc.TLSConfig == nil || pc.Password != "pw" {
		t.Fatal("no TLS or no password")
	}
	for _, fb := range pc.Fallbacks {
		if fb.TLSConfig == nil {
			t.Fatal("a plain-text fallback is left")
		}
	}
	pc, err = pgx.ParseConfig("host=/var/run/postgresql user=alice dbname=team sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	if err := useSecret(pc, "", "pw"); err != nil {
		t.Fatalf("local socket: %v", err)
	}
}

func TestDiffLines(t *testing.T) {
	got := diffLines([]string{"a", "b", "c"}, []string{"a", "x", "c", "d"})
	want := []Line{{Same, "a"}, {Removed, "b"}, {Added, "x"}, {Same, "c"}, {Added, "d"}}
	if len(got) != len(want) {
		t.Fatalf("%v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("line %d: %v, want %v", i, got[i], want[i])
		}
	}
}

func TestEntryIDIsStableAndDistinct(t *testing.T) {
	a := EntryID("post", 2, "vienna-mastodon-abc", "en")
	if a != EntryID("post", 2, "vienna-mastodon-abc", "en") {
		t.Fatal("not stable")
	}
	for _, other := range []string{
		EntryID("post", 3, "vienna-mastodon-abc", "en"), EntryID("post", 2, "vienna-mastodon-abc", "fr"),
		EntryID("post", 2, "vienna-bluesky-abc", "en"), EntryID("post2", 2, "vienna-mastodon-abc", "en"),
	} {
		if other == a {
			t.Fatal("two entries share an id")
		}
	}
}
