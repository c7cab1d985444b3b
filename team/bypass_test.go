package team_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// These tests bypass the client: each login speaks plain SQL to the server,
// as it could with psql, and the rules must still hold.

const directEvent = `INSERT INTO chancery.events
  (seq, id, mission, post, revision, kind, content_hash, content, comment, actor, at)
  VALUES (0, $1, $2, $3, $4, $5,
    CASE WHEN $5 = 'submit' THEN encode(sha256(convert_to($6, 'UTF8')), 'hex') ELSE $7 END,
    CASE WHEN $5 = 'submit' THEN $6 ELSE '' END, $8, 'mallory', now())`

// ev is one event sent directly: content for a submit, the hash of the
// revision it names otherwise.
type ev struct {
	id, mission, post string
	rev               int
	kind, content     string
	hash, comment     string
}

func send(db interface {
	Exec(context.Context, string, ...any) (pgconn.CommandTag, error)
}, e ev,
) error {
	if e.mission == "" {
		e.mission = "vienna"
	}
	_, err := db.Exec(context.Background(), directEvent, e.id, e.mission, e.post, e.rev, e.kind, e.content, e.hash, e.comment)
	return err
}

func code(err error) string {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// hashOf is the server's hash of a submitted revision.
func (s *server) hashOf(post string, rev int) string {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var h string
	q := "SELECT content_hash FROM chancery.events WHERE post = $1 AND revision = $2 AND kind = 'submit'"
	if err := s.admin.QueryRow(context.Background(), q, post, rev).Scan(&h); err != nil {
		s.t.Fatal(err)
	}
	return h
}

// An approver whose transaction holds an old snapshot (REPEATABLE READ
// begun before the author's edit) must not approve the revision the edit
// replaced: the approval would later let the new, unreviewed revision be
// claimed and published.
func TestStaleSnapshotCannotApprove(t *testing.T) {
	srv := newServer(t)
	srv.member("alice", "chancery_staff", "vienna")
	srv.member("bob", "chancery_approver", "vienna")
	ctx := context.Background()
	alice, bob := srv.as("alice"), srv.as("bob")
	if err := send(alice, ev{id: "snap-sub-1", post: "snap", rev: 1, kind: "submit", content: "first"}); err != nil {
		t.Fatal(err)
	}
	h1 := srv.hashOf("snap", 1)

	for _, iso := range []pgx.TxIsoLevel{pgx.RepeatableRead, pgx.Serializable} {
		tx, err := bob.BeginTx(ctx, pgx.TxOptions{IsoLevel: iso})
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM chancery.events").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if iso == pgx.RepeatableRead {
			if err := send(alice, ev{id: "snap-sub-2", post: "snap", rev: 2, kind: "submit", content: "second"}); err != nil {
				t.Fatal(err)
			}
		}
		err = send(tx, ev{id: "snap-approve-" + string(iso[:4]), post: "snap", rev: 1, kind: "approve", hash: h1})
		_ = tx.Rollback(ctx)
		if err == nil {
			t.Fatalf("%s: an approval of the replaced revision was accepted", iso)
		}
		if c := code(err); c != "40001" {
			t.Fatalf("%s: approval from an old snapshot: %v, want 40001 (try again)", iso, err)
		}
	}
	h2 := srv.hashOf("snap", 2)
	if err := send(alice, ev{id: "snap-claim-2", post: "snap", rev: 2, kind: "claim", hash: h2}); code(err) != "CHA05" {
		t.Fatalf("claim of the unreviewed revision: %v, want CHA05", err)
	}
	// The same approval in a READ COMMITTED transaction is judged on the
	// latest log: stale.
	if err := send(bob, ev{id: "snap-approve-rc", post: "snap", rev: 1, kind: "approve", hash: h1}); code(err) != "CHA04" {
		t.Fatalf("stale approval: %v, want CHA04", err)
	}
	if n := srv.count("kind IN ('approve', 'claim')"); n != 0 {
		t.Fatalf("%d approvals or claims stored", n)
	}
}

// A staff login cannot grant itself a role or a mission, act as an
// approver, publish without a claim, claim twice, or move the sequence.
func TestStaffCannotPromoteItselfOrSkipSteps(t *testing.T) {
	srv := newServer(t)
	srv.member("alice", "chancery_staff", "vienna")
	srv.member("bob", "chancery_approver", "vienna")
	srv.member("dave", "chancery_staff", "vienna")
	srv.member("frank", "chancery_approver", "beijing")
	ctx := context.Background()
	alice, bob, dave, frank := srv.as("alice"), srv.as("bob"), srv.as("dave"), srv.as("frank")
	for _, stmt := range []string{
		"GRANT chancery_approver TO alice",
		"SET ROLE chancery_approver",
		"INSERT INTO chancery.members (login, mission) VALUES ('alice', 'beijing')",
		"UPDATE chancery.members SET mission = 'beijing'",
		"DELETE FROM chancery.members",
		"SELECT setval('chancery.events_seq', 1000000)",
		"SELECT nextval('chancery.events_seq')",
		"ALTER TABLE chancery.events DISABLE TRIGGER events_check",
		"SELECT chancery.refuse('CHA01', 'x')",
	} {
		if _, err := alice.Exec(ctx, stmt); code(err) != "42501" {
			t.Errorf("%s as staff: %v, want 42501", stmt, err)
		}
	}
	// COPY skips nothing either: with row-level security it is refused.
	_, err := alice.PgConn().CopyFrom(ctx, strings.NewReader("1\tcopy-1\tvienna\tp\t1\tapprove\th\t\t\tbob\t2020-01-01\n"),
		"COPY chancery.events (seq, id, mission, post, revision, kind, content_hash, content, comment, actor, at) FROM STDIN")
	if code(err) != "0A000" {
		t.Errorf("COPY into the log as staff: %v, want 0A000", err)
	}
	var n int
	if err := alice.QueryRow(ctx, "SELECT count(*) FROM chancery.members").Scan(&n); err != nil || n != 1 {
		t.Fatalf("alice reads %d membership rows (%v), want her own only", n, err)
	}

	if err := send(alice, ev{id: "skip-sub-1", post: "skip", rev: 1, kind: "submit", content: "text"}); err != nil {
		t.Fatal(err)
	}
	h := srv.hashOf("skip", 1)
	steps := []struct {
		who  *pgx.Conn
		e    ev
		want string
	}{
		{dave, ev{id: "skip-app-dave", post: "skip", rev: 1, kind: "approve", hash: h}, "CHA02"},
		{frank, ev{id: "skip-app-frank", mission: "beijing", post: "skip", rev: 1, kind: "approve", hash: h}, "CHA05"},
		{frank, ev{id: "skip-app-frank2", post: "skip", rev: 1, kind: "approve", hash: h}, "CHA01"},
		{bob, ev{id: "skip-app-hash", post: "skip", rev: 1, kind: "approve", hash: "00"}, "CHA04"},
		{alice, ev{id: "skip-claim-early", post: "skip", rev: 1, kind: "claim", hash: h}, "CHA05"},
		{alice, ev{id: "skip-pub-early", post: "skip", rev: 1, kind: "published", hash: h}, "CHA08"},
		{dave, ev{id: "skip-sub-dave", post: "skip", rev: 2, kind: "submit", content: "hijack"}, "CHA07"},
		{bob, ev{id: "skip-app-bob", post: "skip", rev: 1, kind: "approve", hash: h}, ""},
		{alice, ev{id: "skip-claim-1", post: "skip", rev: 1, kind: "claim", hash: h}, ""},
		{dave, ev{id: "skip-claim-2", post: "skip", rev: 1, kind: "claim", hash: h}, "CHA12"},
		{dave, ev{id: "skip-pub-dave", post: "skip", rev: 1, kind: "published", hash: h}, "CHA08"},
		{alice, ev{id: "skip-sub-2", post: "skip", rev: 2, kind: "submit", content: "late edit"}, "CHA05"},
		{alice, ev{id: "skip-pub-1", post: "skip", rev: 1, kind: "published", hash: h}, ""},
		{alice, ev{id: "skip-pub-2", post: "skip", rev: 1, kind: "published", hash: h}, "23505"},
	}
	for _, s := range steps {
		if err := send(s.who, s.e); code(err) != s.want {
			t.Fatalf("%s: %v, want %q", s.e.id, err, s.want)
		}
	}
	if n := srv.count("actor <> 'mallory' AND kind IN ('approve', 'claim', 'published')"); n != 3 {
		t.Fatalf("%d approve, claim and published events, want 3", n)
	}
}

// A resend under an existing id stores nothing, whatever seq, actor and
// time the row names; only the server's copy is kept.
func TestResendCannotForgeServerColumns(t *testing.T) {
	srv := newServer(t)
	srv.member("alice", "chancery_staff", "vienna")
	alice := srv.as("alice")
	ctx := context.Background()
	if err := send(alice, ev{id: "forge-sub-1", post: "forge", rev: 1, kind: "submit", content: "text"}); err != nil {
		t.Fatal(err)
	}
	const forged = `INSERT INTO chancery.events
	  (seq, id, mission, post, revision, kind, content_hash, content, actor, at)
	  VALUES (424242, 'forge-sub-1', 'vienna', 'forge', 1, 'submit', 'x', 'other', 'bob', '2000-01-01')`
	if _, err := alice.Exec(ctx, forged+" ON CONFLICT (id) DO NOTHING"); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Exec(ctx, forged+" ON CONFLICT DO NOTHING"); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Exec(ctx, forged); code(err) != "23505" {
		t.Fatalf("plain resend: %v, want 23505", err)
	}
	if n := srv.count("seq = 424242 OR actor <> 'alice' OR content <> 'text' OR at < '2001-01-01'"); n != 0 {
		t.Fatalf("%d forged rows", n)
	}
	// Content rides only on a submit; a review event carrying text is invalid.
	_, err := alice.Exec(ctx, `INSERT INTO chancery.events
	  (seq, id, mission, post, revision, kind, content_hash, content, actor, at)
	  SELECT 0, 'forge-wd-1', 'vienna', 'forge', 1, 'withdraw', content_hash, 'smuggled', '', now()
	  FROM chancery.events WHERE id = 'forge-sub-1'`)
	if code(err) != "23514" {
		t.Fatalf("withdraw carrying content: %v, want 23514", err)
	}
}

// Rows of one statement are judged one after the other: a submit and its
// author's approval in one INSERT, or in a WITH query, are refused.
func TestOneStatementCannotSelfApprove(t *testing.T) {
	srv := newServer(t)
	srv.member("carol", "chancery_approver", "vienna")
	carol := srv.as("carol")
	ctx := context.Background()
	const row = `(0, '%s', 'vienna', '%s', 1, '%s', encode(sha256(convert_to('t', 'UTF8')), 'hex'), '%s', '', 'x', now())`
	cols := `INSERT INTO chancery.events (seq, id, mission, post, revision, kind, content_hash, content, comment, actor, at) VALUES `
	for name, stmt := range map[string]string{
		"values": cols + fmt.Sprintf(row, "one-sub-a", "one-a", "submit", "t") + ", " + fmt.Sprintf(row, "one-app-a", "one-a", "approve", ""),
		"with": "WITH s AS (" + cols + fmt.Sprintf(row, "one-sub-b", "one-b", "submit", "t") + " RETURNING 1) " +
			cols + fmt.Sprintf(row, "one-app-b", "one-b", "approve", ""),
	} {
		if _, err := carol.Exec(ctx, stmt); code(err) != "CHA03" && code(err) != "CHA04" {
			t.Errorf("%s: %v, want a refusal", name, err)
		}
	}
	if n := srv.count("true"); n != 0 {
		t.Fatalf("%d events stored", n)
	}
}

// The log's owner (here a superuser, as IT may run the schema) reads every
// mission but cannot act in review: its login could drop the rules.
func TestOwnerTakesNoPartInReview(t *testing.T) {
	srv := newServer(t)
	srv.mu.Lock()
	defer srv.mu.Unlock()
	err := send(srv.admin, ev{id: "owner-sub-1", post: "owner", rev: 1, kind: "submit", content: "x"})
	if code(err) != "42501" {
		t.Fatalf("an event by the owner: %v, want 42501", err)
	}
}
