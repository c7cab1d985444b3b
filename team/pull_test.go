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
	srv.member("chancery_admin", "chancery_staff", "vienna")
	const posts = 1234
	if _, err := srv.admin.Exec(ctx, `INSERT INTO chancery.events
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
	if len(items) != posts || items[0].Author != "chancery_admin" {
		t.Fatalf("%d items", len(items))
	}
}
