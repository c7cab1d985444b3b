package team_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"chancery/team"
)

// Alice writes offline and submits; her laptop reconnects and pushes; Bob,
// an approver on his own laptop, approves; Alice's laptop claims and
// publishes once (one post per language), and reports it published.
func TestSubmitOfflineApprovePublishOnce(t *testing.T) {
	srv, net := newServer(t), newNetwork(t)
	aliceDSN := srv.member("alice", "chancery_staff", "vienna")
	bobDSN := srv.member("bob", "chancery_approver", "vienna", "beijing")
	p := newProxy(t, fmt.Sprintf("127.0.0.1:%d", cluster.Port))
	alice, bob := newLaptop(t, net), newLaptop(t, net)
	alice.connect(p.through(aliceDSN))
	bob.connect(bobDSN)

	p.setDown(true)
	d := alice.write("The consular section is closed on Friday.", "La section consulaire est fermée vendredi.")
	it, err := alice.svc.Submit(d)
	alice.must(err)
	if it.State != team.StateSubmitted || !it.Pending || it.Author != "alice" || it.Mission != "vienna" {
		t.Fatalf("submitted offline: %+v", it)
	}
	if _, err := alice.svc.Sync(context.Background()); !errors.Is(err, team.ErrServer) {
		t.Fatalf("sync offline: %v, want ErrServer", err)
	}
	if srv.count("true") != 0 {
		t.Fatal("an event reached the server while offline")
	}

	p.setDown(false)
	if res := alice.sync(); res.Pushed != 1 || res.Pulled != 1 {
		t.Fatalf("sync on reconnect: %+v", res)
	}
	if it := alice.item(d.ID); it.Pending || it.State != team.StateSubmitted {
		t.Fatalf("after the push: %+v", it)
	}

	bob.sync()
	waiting, err := bob.svc.List("vienna", team.StateSubmitted)
	bob.must(err)
	if len(waiting) != 1 || waiting[0].Post != d.ID || waiting[0].Latest().Content.Variants[0].Text != d.Text("en") {
		t.Fatalf("bob's list: %+v", waiting)
	}
	bob.must(bob.svc.Approve(d.ID))
	bob.sync()
	if len(net.published()) != 0 {
		t.Fatal("the approver's laptop published")
	}

	res := alice.sync()
	if res.Claimed != 1 || res.Published != 1 {
		t.Fatalf("alice's sync after approval: %+v", res)
	}
	want := []string{"en: " + d.Text("en"), "fr: " + d.Text("fr")}
	if got := net.published(); !slices.Equal(got, want) {
		t.Fatalf("posts on the network: %q, want %q", got, want)
	}
	alice.sync()
	bob.sync()
	if got := net.published(); len(got) != 2 {
		t.Fatalf("posts after more syncs: %q", got)
	}
	for _, l := range []*laptop{alice, bob} {
		if it := l.item(d.ID); it.State != team.StatePublished || it.ClaimedBy != "alice" {
			t.Fatalf("state seen by a laptop: %+v", it)
		}
	}
	if _, err := alice.drafts.Get(d.ID); err == nil {
		t.Fatal("the published draft is still a draft")
	}
	if n := srv.count("kind = 'claim'"); n != 1 {
		t.Fatalf("%d claims", n)
	}
}

// The author cannot approve her own post, even when she bypasses the
// client and inserts the approval herself; nor can she pretend to be bob.
func TestAuthorCannotApproveEvenBypassingTheClient(t *testing.T) {
	srv, net := newServer(t), newNetwork(t)
	srv.member("bob", "chancery_approver", "vienna")
	// alice is both staff and approver here: the author rule still holds.
	dsn := srv.member("carol", "chancery_approver", "vienna")
	carol := newLaptop(t, net)
	carol.connect(dsn)
	d := carol.write("Visa appointments open on Monday.", "Les rendez-vous visa ouvrent lundi.")
	_, err := carol.svc.Submit(d)
	carol.must(err)
	carol.sync()

	carol.must(carol.svc.Approve(d.ID))
	carol.sync()
	if got := carol.refused(); !slices.Equal(got, []string{"approve:" + team.ReasonOwnPost.MessageID()}) {
		t.Fatalf("refused events: %v", got)
	}
	carol.sync() // a refused event is never sent again
	if n := srv.count("kind = 'approve'"); n != 0 {
		t.Fatalf("%d approvals stored", n)
	}

	it := carol.item(d.ID)
	rev := it.Latest()
	conn := srv.as("carol")
	_, err = conn.Exec(context.Background(), `INSERT INTO chancery.events
	  (seq, id, mission, post, revision, kind, content_hash, actor, at)
	  VALUES (0, 'direct-approve-1', 'vienna', $1, $2, 'approve', $3, 'bob', now())`, d.ID, rev.Number, rev.Hash)
	if sqlstate(err) != "CHA03" {
		t.Fatalf("direct approval by the author: %v, want CHA03", err)
	}
	// Claiming as bob: the actor is the login, whatever the row says.
	_, err = conn.Exec(context.Background(), `INSERT INTO chancery.events
	  (seq, id, mission, post, revision, kind, content_hash, content, actor, at)
	  VALUES (0, 'direct-submit-2', 'vienna', 'other-post', 1, 'submit', encode(sha256(''::bytea), 'hex'), '', 'bob', now())`)
	if err != nil {
		t.Fatal(err)
	}
	var actor string
	if err := srv.admin.QueryRow(context.Background(), "SELECT actor FROM chancery.events WHERE id = 'direct-submit-2'").Scan(&actor); err != nil || actor != "carol" {
		t.Fatalf("actor %q (%v), want carol", actor, err)
	}
	// Not a member of beijing: row-level security or the trigger refuses.
	_, err = conn.Exec(context.Background(), `INSERT INTO chancery.events
	  (seq, id, mission, post, revision, kind, content_hash, content, actor, at)
	  VALUES (0, 'direct-submit-3', 'beijing', 'post-3', 1, 'submit', encode(sha256(''::bytea), 'hex'), '', 'carol', now())`)
	if s := sqlstate(err); s != "CHA01" && s != "42501" {
		t.Fatalf("event in another mission: %v", err)
	}
}

// An edit after approval voids it: the new revision waits for review, a
// claim of the approved one is refused, and an approval of the old one
// made offline is refused as stale and kept with its reason.
func TestEditAfterApprovalVoidsIt(t *testing.T) {
	srv, net := newServer(t), newNetwork(t)
	alice, bob := newLaptop(t, net), newLaptop(t, net)
	alice.connect(srv.member("alice", "chancery_staff", "vienna"))
	bob.connect(srv.member("bob", "chancery_approver", "vienna"))
	d := alice.write("Reception at 18:00.", "Réception à 18h.")
	_, err := alice.svc.Submit(d)
	alice.must(err)
	alice.sync()
	bob.sync()
	bob.must(bob.svc.Approve(d.ID))
	bob.sync()

	// Alice edits before her laptop hears of the approval.
	d.SetText("en", "Reception at 19:00.")
	d, err = alice.drafts.Save(d)
	alice.must(err)
	it, err := alice.svc.Submit(d)
	alice.must(err)
	if it.Latest().Number != 2 {
		t.Fatalf("revision %d, want 2", it.Latest().Number)
	}
	res := alice.sync()
	if res.Claimed != 0 || len(net.published()) != 0 {
		t.Fatalf("published an approval voided by an edit: %+v, %q", res, net.published())
	}
	if it := alice.item(d.ID); it.State != team.StateSubmitted || len(it.Revisions) != 2 {
		t.Fatalf("after the edit: %+v", it)
	}
	diff, err := alice.svc.Diff(d.ID, 1, 2)
	alice.must(err)
	if len(diff) != 2 || !diff[0].Changed() || diff[1].Changed() {
		t.Fatalf("diff: %+v", diff)
	}

	// A claim naming the approved revision 1 is refused by the server.
	rev1 := it.Revisions[0]
	_, err = srv.as("alice").Exec(context.Background(), `INSERT INTO chancery.events
	  (seq, id, mission, post, revision, kind, content_hash, actor, at)
	  VALUES (0, 'direct-claim-1', 'vienna', $1, 1, 'claim', $2, '', now())`, d.ID, rev1.Hash)
	if sqlstate(err) != "CHA04" {
		t.Fatalf("claim of a voided approval: %v, want CHA04", err)
	}

	// Bob had approved revision 1 again offline: stale.
	bobOld := bob.item(d.ID)
	if bobOld.Latest().Number != 1 {
		t.Fatalf("bob's laptop already knew revision 2")
	}
	_, err = srv.as("bob").Exec(context.Background(), `INSERT INTO chancery.events
	  (seq, id, mission, post, revision, kind, content_hash, actor, at)
	  VALUES (0, 'direct-approve-old', 'vienna', $1, 1, 'approve', $2, '', now())`, d.ID, rev1.Hash)
	if sqlstate(err) != "CHA04" {
		t.Fatalf("approval of revision 1: %v, want CHA04", err)
	}
	bob.sync()
	bob.must(bob.svc.Approve(d.ID))
	bob.sync()
	alice.sync()
	if got := net.published(); len(got) != 2 || got[0] != "en: Reception at 19:00." {
		t.Fatalf("published: %q", got)
	}
}

// The log is append-only: UPDATE, DELETE and TRUNCATE are refused, to
// staff by privilege and to the owner by the triggers.
func TestLogIsAppendOnly(t *testing.T) {
	srv, net := newServer(t), newNetwork(t)
	alice := newLaptop(t, net)
	alice.connect(srv.member("alice", "chancery_staff", "vienna"))
	_, err := alice.svc.Submit(alice.write("Text.", "Texte."))
	alice.must(err)
	alice.sync()
	ctx := context.Background()
	for _, stmt := range []string{
		"UPDATE chancery.events SET comment = 'changed'",
		"DELETE FROM chancery.events",
		"TRUNCATE chancery.events",
	} {
		if _, err := srv.as("alice").Exec(ctx, stmt); sqlstate(err) != "42501" {
			t.Errorf("%s as staff: %v, want 42501", stmt, err)
		}
		if _, err := srv.admin.Exec(ctx, stmt); sqlstate(err) != "CHA09" {
			t.Errorf("%s as owner: %v, want CHA09", stmt, err)
		}
	}
	if srv.count("true") != 1 {
		t.Fatal("the log changed")
	}
}

// Two laptops race to publish the same approved revision: one claim wins,
// the other is refused, and the network gets each post once.
func TestTwoLaptopsRaceToPublish(t *testing.T) {
	srv, net := newServer(t), newNetwork(t)
	alice, dave, bob := newLaptop(t, net), newLaptop(t, net), newLaptop(t, net)
	alice.connect(srv.member("alice", "chancery_staff", "vienna"))
	dave.connect(srv.member("dave", "chancery_staff", "vienna"))
	bob.connect(srv.member("bob", "chancery_approver", "vienna"))
	d := alice.write("National day.", "Fête nationale.")
	_, err := alice.svc.Submit(d)
	alice.must(err)
	alice.sync()
	bob.sync()
	bob.must(bob.svc.Approve(d.ID))
	bob.sync()
	dave.sync()

	// Alice's laptop claims what she wrote as soon as it hears of the
	// approval; Dave asks to publish at the same moment.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	wg.Go(func() { _, errs[0] = alice.svc.Sync(context.Background()) })
	wg.Go(func() { _, errs[1] = dave.svc.Publish(context.Background(), d.ID) })
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	alice.sync()
	dave.sync()
	if got := net.published(); len(got) != 2 {
		t.Fatalf("posts on the network: %q", got)
	}
	// The loser's claim was refused (23505), or never made when the
	// winner's claim was pulled first.
	lost := append(alice.refused(), dave.refused()...)
	if len(lost) > 1 || len(lost) == 1 && lost[0] != "claim:"+team.ReasonClaimed.MessageID() {
		t.Fatalf("refused events %v", lost)
	}
	if srv.count("kind = 'claim'") != 1 || srv.count("kind = 'published'") != 1 {
		t.Fatal("not one claim and one published")
	}
	alice.sync()
	if _, err := alice.drafts.Get(d.ID); err == nil {
		t.Fatal("the author's draft outlived its publication")
	}
}

// The answer of a push is lost after the server stored the event, then the
// laptop is killed: on restart the resend is harmless and nothing is
// stored twice or lost.
func TestLostAnswerThenKill(t *testing.T) {
	srv, net := newServer(t), newNetwork(t)
	p := newProxy(t, fmt.Sprintf("127.0.0.1:%d", cluster.Port))
	alice := newLaptop(t, net)
	alice.connect(p.through(srv.member("alice", "chancery_staff", "vienna")))
	d := alice.write("Lost and found.", "Objets trouvés.")
	_, err := alice.svc.Submit(d)
	alice.must(err)
	p.cutWhen(func() bool { return srv.has("post = $1", d.ID) })
	if _, err := alice.svc.Sync(context.Background()); err == nil {
		t.Fatal("sync succeeded although its answer was dropped")
	}
	if p.cutCount() == 0 || srv.count("post = $1", d.ID) != 1 {
		t.Fatal("the server did not act before the answer was dropped")
	}
	if it := alice.item(d.ID); !it.Pending {
		t.Fatal("the event left the queue without an answer")
	}
	p.cutWhen(nil)
	alice.restart()
	if res := alice.sync(); res.Pulled != 1 || res.Refused != 0 {
		t.Fatalf("sync after restart: %+v", res)
	}
	if srv.count("post = $1", d.ID) != 1 {
		t.Fatal("the resend stored the event twice")
	}
	if it := alice.item(d.ID); it.Pending || it.State != team.StateSubmitted || len(alice.refused()) != 0 {
		t.Fatalf("after the resend: %+v", it)
	}
}

// Alice's laptop wins the claim while the network is down, and is killed
// before it could publish: after the restart it publishes each post once
// and reports it published.
func TestKilledAfterClaimPublishesOnceAfterRestart(t *testing.T) {
	srv, network := newServer(t), newNetwork(t)
	alice, bob := newLaptop(t, network), newLaptop(t, network)
	alice.connect(srv.member("alice", "chancery_staff", "vienna"))
	bob.connect(srv.member("bob", "chancery_approver", "vienna"))
	d := alice.write("Embassy open day.", "Journée portes ouvertes.")
	_, err := alice.svc.Submit(d)
	alice.must(err)
	alice.sync()
	bob.sync()
	bob.must(bob.svc.Approve(d.ID))
	bob.sync()

	network.stop()
	if res := alice.sync(); res.Claimed != 1 || res.Published != 0 {
		t.Fatalf("sync with the network down: %+v", res)
	}
	if it := alice.item(d.ID); it.State != team.StateClaimed || it.ClaimedBy != "alice" {
		t.Fatalf("after the claim: %+v", it)
	}
	alice.restart()
	network.start(t)
	if res := alice.sync(); res.Published != 1 {
		t.Fatalf("sync after restart: %+v", res)
	}
	alice.sync()
	if got := network.published(); len(got) != 2 {
		t.Fatalf("posts: %q", got)
	}
	if it := alice.item(d.ID); it.State != team.StatePublished || srv.count("kind = 'published'") != 1 {
		t.Fatalf("after publishing: %+v", it)
	}
}

// Row-level security: a login sees only its missions' part of the log.
func TestEachLoginSeesOnlyItsMissions(t *testing.T) {
	srv, net := newServer(t), newNetwork(t)
	alice, frank := newLaptop(t, net), newLaptop(t, net)
	alice.connect(srv.member("alice", "chancery_staff", "vienna"))
	frank.connect(srv.member("frank", "chancery_approver", "beijing"))
	if login, err := frank.svc.Login(); err != nil || login != "frank" {
		t.Fatalf("login %q, %v", login, err)
	}
	d := alice.write("Vienna only.", "Vienne seulement.")
	_, err := alice.svc.Submit(d)
	alice.must(err)
	alice.sync()
	if res := frank.sync(); res.Pulled != 0 {
		t.Fatalf("frank pulled %d events of vienna", res.Pulled)
	}
	var n int
	if err := srv.as("frank").QueryRow(context.Background(), "SELECT count(*) FROM chancery.events").Scan(&n); err != nil || n != 0 {
		t.Fatalf("frank reads %d events (%v)", n, err)
	}
	if _, err := frank.svc.Item(d.ID); !errors.Is(err, team.ErrNoPost) {
		t.Fatalf("frank's item: %v", err)
	}
}
