package team_test

import (
	"context"
	"testing"

	"chancery/team"
)

// A long log is pulled page by page to its end, each page saved with its
// cursor; migrating again changes nothing.
func TestPullsALongLogInPages(t *testing.T) {
	srv, net := newServer(t), newNetwork(t)
	ctx := context.Background()
	if err := team.Migrate(ctx, srv.admin); err != nil {
		t.Fatalf("migrate again: %v", err)
	}
	srv.member("dave", "chancery_staff", "vienna")
	const posts = 1234
	if _, err := srv.as("dave").Exec(ctx, `INSERT INTO chancery.events
	  (seq, id, mission, post, revision, kind, content_hash, content, actor, at)
	  SELECT 0, 'bulk-event-' || i, 'vienna', 'post-' || i, 1, 'submit', encode(sha256(''::bytea), 'hex'), '', '', now()
	  FROM generate_series(1, $1) AS i`, posts); err != nil {
		t.Fatal(err)
	}
	alice := newLaptop(t, net)
	alice.connect(srv.member("alice", "chancery_staff", "vienna"))
	if res := alice.sync(); res.Pulled != posts {
		t.Fatalf("pulled %d of %d", res.Pulled, posts)
	}
	if res := alice.sync(); res.Pulled != 0 {
		t.Fatalf("pulled %d again", res.Pulled)
	}
	var last int64
	if err := srv.admin.QueryRow(ctx, "SELECT max(seq) FROM chancery.events").Scan(&last); err != nil {
		t.Fatal(err)
	}
	if c, err := alice.db.Cursor(); err != nil || c != last {
		t.Fatalf("cursor %d, want %d (%v)", c, last, err)
	}
	items, err := alice.svc.List("vienna", team.StateSubmitted)
	alice.must(err)
	if len(items) != posts || items[0].Author != "dave" {
		t.Fatalf("%d items", len(items))
	}
}

// Every kind of event sent again under its id, by its actor, is accepted
// and stores nothing, whatever happened since (the lost-answer case); the
// same id sent by another login is refused.
func TestResendOfEveryKindIsHarmless(t *testing.T) {
	srv, net := newServer(t), newNetwork(t)
	alice, bob := newLaptop(t, net), newLaptop(t, net)
	alice.connect(srv.member("alice", "chancery_staff", "vienna"))
	bob.connect(srv.member("bob", "chancery_approver", "vienna"))
	d := alice.write("Once.", "Une fois.")
	_, err := alice.svc.Submit(d)
	alice.must(err)
	alice.sync()
	bob.sync()
	bob.must(bob.svc.Return(d.ID, "Twice?"))
	bob.sync()
	alice.sync()
	_, err = alice.svc.Submit(d)
	alice.must(err)
	alice.sync()
	bob.sync()
	bob.must(bob.svc.Approve(d.ID))
	bob.sync()
	alice.sync()
	log, err := alice.db.PulledEvents()
	alice.must(err)
	kinds := map[team.Kind]bool{}
	for _, e := range log {
		kinds[e.Kind] = true
		tag, err := srv.as(e.Actor).Exec(context.Background(), `INSERT INTO chancery.events
		  (seq, id, mission, post, revision, kind, content_hash, content, comment, actor, at)
		  VALUES (0, $1, $2, $3, $4, $5, $6, $7, $8, '', now()) ON CONFLICT (id) DO NOTHING`,
			e.ID, e.Mission, e.Post, e.Revision, string(e.Kind), e.Hash, e.Content, e.Comment)
		if err != nil || tag.RowsAffected() != 0 {
			t.Fatalf("resend of %s: %v, %d rows", e.Kind, err, tag.RowsAffected())
		}
	}
	if len(kinds) != 5 || srv.count("true") != len(log) {
		t.Fatalf("kinds %v, %d events on the server, %d pulled", kinds, srv.count("true"), len(log))
	}
	_, err = srv.as("bob").Exec(context.Background(), `INSERT INTO chancery.events
	  (seq, id, mission, post, revision, kind, content_hash, actor, at)
	  VALUES (0, $1, 'vienna', $2, 2, 'withdraw', $3, '', now()) ON CONFLICT (id) DO NOTHING`, log[0].ID, d.ID, log[0].Hash)
	if sqlstate(err) != "CHA11" {
		t.Fatalf("another login's id: %v, want CHA11", err)
	}
}
