package team_test

import (
	"context"
	"testing"
	"time"

	"chancery/team"
)

// Run pushes what is queued at once, and wakes on a colleague's action
// through LISTEN/NOTIFY: no timer is due within the test.
func TestRunWakesOnNotification(t *testing.T) {
	srv, net := newServer(t), newNetwork(t)
	alice, bob := newLaptop(t, net), newLaptop(t, net)
	alice.connect(srv.member("alice", "chancery_staff", "vienna"))
	bob.connect(srv.member("bob", "chancery_approver", "vienna"))

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		alice.svc.Run(ctx, team.RunOptions{Every: time.Hour, Retry: time.Hour})
	}()
	t.Cleanup(func() { cancel(); <-done })

	d := alice.write("Flag at half-mast.", "Drapeau en berne.")
	_, err := alice.svc.Submit(d)
	alice.must(err)
	eventually(t, "the queued submit pushed by Run", func() bool { return srv.count("kind = 'submit'") == 1 })
	eventually(t, "alice's laptop listening", func() bool {
		var n int
		err := srv.admin.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity
		  WHERE usename = 'alice' AND query LIKE 'LISTEN%'`).Scan(&n)
		return err == nil && n > 0
	})
	drain(alice.svc.Changes())

	bob.sync()
	bob.must(bob.svc.Approve(d.ID))
	bob.sync()
	eventually(t, "publishing woken by the notification", func() bool { return len(net.published()) == 2 })
	eventually(t, "published reported", func() bool { return srv.count("kind = 'published'") == 1 })
	select {
	case <-alice.svc.Changes():
	case <-time.After(time.Minute):
		t.Fatal("no change signalled")
	}
}

func drain(ch <-chan struct{}) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}

// eventually polls cond until it holds or a generous deadline passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
