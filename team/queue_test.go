package team_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"chancery/accounts"
	"chancery/drafts"
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

// A colleague's transaction that holds the log's writers' lock and stays
// open (or a connection gone silent) fails the Sync after the service's
// timeout instead of holding it for ever; the event waits in the queue,
// not refused, and goes out once the lock is released.
func TestHeldLockFailsTheSyncInsteadOfHanging(t *testing.T) {
	srv, net := newServer(t), newNetwork(t)
	ctx := context.Background()
	alice := newLaptop(t, net)
	alice.connect(srv.member("alice", "chancery_staff", "vienna"))
	srv.member("dave", "chancery_staff", "vienna")
	svc := team.New(team.Options{
		Store: alice.db, Accounts: alice.ws, Secrets: accounts.NewKeyring(), Timeout: 2 * time.Second,
	})
	tx, err := srv.as("dave").Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := send(tx, ev{id: "held-sub-1", post: "held", rev: 1, kind: "submit", content: "x"}); err != nil {
		t.Fatal(err)
	}
	_, err = svc.Submit(alice.write("Held.", "Retenu."))
	alice.must(err)
	done := make(chan error, 1)
	go func() {
		_, err := svc.Sync(ctx)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, team.ErrServer) {
			t.Fatalf("sync while the lock is held: %v, want ErrServer", err)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("the sync still waits for the lock")
	}
	if got := alice.refused(); len(got) != 0 {
		t.Fatalf("refused: %v", got)
	}
	_ = tx.Rollback(ctx)
	if res, err := svc.Sync(ctx); err != nil || res.Pushed != 1 {
		t.Fatalf("sync after the lock is released: %+v, %v", res, err)
	}
}

// Connecting the profile to another login (or server) forgets the secret
// of the previous one: no password stays in the keyring unused.
func TestReconnectForgetsThePreviousSecret(t *testing.T) {
	srv, net := newServer(t), newNetwork(t)
	l := newLaptop(t, net)
	first := l.connect(srv.member("alice", "chancery_staff", "vienna"))
	second := l.connect(srv.member("dave", "chancery_staff", "vienna"))
	keys := accounts.NewKeyring()
	if _, err := keys.Secret(first.SecretID()); !errors.Is(err, accounts.ErrNoSecret) {
		t.Fatalf("alice's secret after connecting as dave: %v, want ErrNoSecret", err)
	}
	if got, err := keys.Secret(second.SecretID()); err != nil || got != "pw-dave" {
		t.Fatalf("dave's secret: %q, %v", got, err)
	}
	if second.Device != first.Device {
		t.Fatal("the laptop's device id changed")
	}
}

// A login added to a mission after its cursor moved past that mission's
// events still receives them: bob, approver of Beijing, pulls a Beijing
// post made after alice's Vienna one; once IT adds him to Vienna, alice's
// post waits for him too, and he can approve it.
func TestJoiningAMissionPullsItsEarlierPosts(t *testing.T) {
	srv, net := newServer(t), newNetwork(t)
	alice, frank, bob := newLaptop(t, net), newLaptop(t, net), newLaptop(t, net)
	alice.connect(srv.member("alice", "chancery_staff", "vienna"))
	frank.connect(srv.member("frank", "chancery_approver", "beijing"))
	bob.connect(srv.member("bob", "chancery_approver", "beijing"))
	d := alice.write("Vienna first.", "Vienne d'abord.")
	_, err := alice.svc.Submit(d)
	alice.must(err)
	alice.sync()
	if err := send(srv.as("frank"), ev{id: "join-sub-1", mission: "beijing", post: "join-b", rev: 1, kind: "submit", content: "{}"}); err != nil {
		t.Fatal(err)
	}
	if res := bob.sync(); res.Pulled != 1 {
		t.Fatalf("bob's first sync: %+v, want the Beijing event only", res)
	}
	srv.member("bob", "chancery_approver", "vienna")
	if res := bob.sync(); res.Pulled != 1 {
		t.Fatalf("bob's sync after joining Vienna: %+v, want alice's earlier event", res)
	}
	waiting, err := bob.svc.List("vienna", team.StateSubmitted)
	bob.must(err)
	if len(waiting) != 1 || waiting[0].Post != d.ID {
		t.Fatalf("bob's Vienna list: %+v", waiting)
	}
	if res := bob.sync(); res.Pulled != 0 {
		t.Fatalf("a later sync pulled again: %+v", res)
	}
	bob.must(bob.svc.Approve(d.ID))
	if res := bob.sync(); res.Pushed != 1 || res.Refused != 0 {
		t.Fatalf("bob's approval: %+v", res)
	}
}

// The server checks an event's mission, not the accounts its content
// names: a post submitted (by hand) in New York whose content targets
// Vienna's press account, and approved by New York's approver, is not
// published by any laptop, since Vienna's approvers never saw it.
func TestContentCannotTargetAnotherMissionsAccount(t *testing.T) {
	srv, net := newServer(t), newNetwork(t)
	alice := newLaptop(t, net)
	alice.connect(srv.member("alice", "chancery_staff", "new-york"))
	srv.member("bob", "chancery_approver", "new-york")
	a, err := alice.ws.Account(alice.account)
	alice.must(err)
	if a.Mission != "vienna" {
		t.Fatalf("the press account is of %s", a.Mission)
	}
	c := team.Content{
		Targets:  []string{a.ID},
		Refs:     []team.AccountRef{{ID: a.ID, Network: string(a.Network), Server: a.Server, Handle: a.Handle}},
		Variants: []drafts.Variant{{Lang: "en", Text: "Not reviewed by Vienna."}},
	}
	raw, hash, err := c.Encode()
	alice.must(err)
	if err := send(srv.as("alice"), ev{id: "cross-sub-1", mission: "new-york", post: "cross", rev: 1, kind: "submit", content: raw}); err != nil {
		t.Fatal(err)
	}
	if err := send(srv.as("bob"), ev{id: "cross-app-1", mission: "new-york", post: "cross", rev: 1, kind: "approve", hash: hash}); err != nil {
		t.Fatal(err)
	}
	alice.sync()
	if _, err := alice.svc.Publish(context.Background(), "cross"); !errors.Is(err, team.ErrMixedMission) {
		t.Fatalf("publish: %v, want ErrMixedMission", err)
	}
	if n := srv.count("kind = 'claim'"); n != 0 || len(net.published()) != 0 {
		t.Fatalf("%d claims, posts %q", n, net.published())
	}
}
