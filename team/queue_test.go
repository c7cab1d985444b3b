package team_test

import (
	"context"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"chancery/team"
)

// An event the server refuses as invalid data (here a comment holding a
// NUL byte, which PostgreSQL text cannot store: SQLSTATE 22021) is kept
// with its reason and never sent again, and does not hold back the events
// queued after it. The laptop pushes in READ COMMITTED even when the
// server's default isolation is SERIALIZABLE.
func TestInvalidEventIsRefusedAndDoesNotBlockTheQueue(t *testing.T) {
	srv, net := newServer(t), newNetwork(t)
	ctx := context.Background()
	srv.mu.Lock()
	_, err := srv.admin.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{srv.name}.Sanitize()+
		" SET default_transaction_isolation = 'serializable'")
	srv.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	alice, bob := newLaptop(t, net), newLaptop(t, net)
	alice.connect(srv.member("alice", "chancery_staff", "vienna"))
	bob.connect(srv.member("bob", "chancery_approver", "vienna"))
	d, d2 := alice.write("Press release.", "Communiqué."), alice.write("Second.", "Deuxième.")
	for _, dr := range []string{d.ID, d2.ID} {
		got, err := alice.drafts.Get(dr)
		alice.must(err)
		_, err = alice.svc.Submit(got)
		alice.must(err)
	}
	if res := alice.sync(); res.Pushed != 2 {
		t.Fatalf("push under a serializable default: %+v", res)
	}

	bob.sync()
	bob.must(bob.svc.Return(d.ID, "see\x00here"))
	bob.must(bob.svc.Approve(d2.ID))
	res := bob.sync()
	if res.Refused != 1 || res.Pushed != 1 {
		t.Fatalf("bob's sync: %+v, want one refused and one pushed", res)
	}
	if got := bob.refused(); !slices.Equal(got, []string{"return:" + team.ReasonInvalid.MessageID()}) {
		t.Fatalf("refused events: %v", got)
	}
	if res := bob.sync(); res.Pushed != 0 || res.Refused != 0 {
		t.Fatalf("a later sync sent something again: %+v", res)
	}
	if n := srv.count("kind = 'approve'"); n != 1 {
		t.Fatalf("%d approvals stored, want 1", n)
	}
	if n := srv.count("kind = 'return'"); n != 0 {
		t.Fatalf("%d returns stored", n)
	}
}
