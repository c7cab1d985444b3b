package team_test

import (
	"context"
	"errors"
	"net"
	"testing"

	"chancery/team"
)

// The server says, at connect and at each sync, where the login may
// approve: an approver in its missions, staff nowhere, and nobody in a
// mission it does not belong to.
func TestCanApproveAsksTheServer(t *testing.T) {
	srv, nw := newServer(t), newNetwork(t)
	staff, approver := newLaptop(t, nw), newLaptop(t, nw)

	if _, err := staff.svc.CanApprove("vienna"); !errors.Is(err, team.ErrRightsUnknown) {
		t.Fatalf("before connect: err = %v, want ErrRightsUnknown", err)
	}
	staff.connect(srv.member("sam", "chancery_staff", "vienna"))
	approver.connect(srv.member("rita", "chancery_approver", "vienna", "bern"))

	for _, c := range []struct {
		l       *laptop
		mission string
		want    bool
	}{
		{staff, "vienna", false},
		{approver, "vienna", true},
		{approver, "bern", true},
		{approver, "paris", false},
	} {
		got, err := c.l.svc.CanApprove(c.mission)
		if err != nil || got != c.want {
			t.Errorf("CanApprove(%s) = %v, %v; want %v", c.mission, got, err, c.want)
		}
	}

	// IT takes the role back: the next sync learns it.
	if _, err := srv.admin.Exec(context.Background(), "REVOKE chancery_approver FROM rita"); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.admin.Exec(context.Background(), "GRANT chancery_staff TO rita"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = srv.admin.Exec(context.Background(), "REVOKE chancery_staff FROM rita") })
	approver.sync()
	if got, err := approver.svc.CanApprove("vienna"); err != nil || got {
		t.Fatalf("after the role was revoked: %v, %v; want false", got, err)
	}
}

// Offline, the profile answers with what the server last said, also after
// a restart.
func TestCanApproveOfflineKeepsTheLastAnswer(t *testing.T) {
	srv, nw := newServer(t), newNetwork(t)
	l := newLaptop(t, nw)
	cfg := l.connect(srv.member("rita", "chancery_approver", "vienna"))
	l.sync()

	cfg.DSN = "host=127.0.0.1 port=" + closedPort(t) + " user=" + cfg.Login + " dbname=" + srv.name + " sslmode=require connect_timeout=5"
	l.must(l.db.PutTeamConfig(cfg))
	l.restart()
	if _, err := l.svc.Sync(context.Background()); err == nil {
		t.Fatal("sync reached a closed port")
	}
	got, err := l.svc.CanApprove("vienna")
	if err != nil || !got {
		t.Fatalf("offline: CanApprove = %v, %v; want the last answer, true", got, err)
	}
	if got, _ := l.svc.CanApprove("bern"); got {
		t.Fatal("offline: approver of a mission the server never named")
	}
}

// closedPort is a local port nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	_ = ln.Close()
	return port
}
