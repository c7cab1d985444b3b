package team_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"chancery/drafts"
	"chancery/team"
)

// The author withdraws a post: it can no longer be approved, only its
// author can withdraw it, and submitting it again starts a new revision.
// A return carries its comment to the author's laptop.
func TestWithdrawReturnAndResubmit(t *testing.T) {
	srv, net := newServer(t), newNetwork(t)
	alice, bob := newLaptop(t, net), newLaptop(t, net)
	alice.connect(srv.member("alice", "chancery_staff", "vienna"))
	bob.connect(srv.member("bob", "chancery_approver", "vienna"))
	d := alice.write("Draft one.", "Brouillon un.")
	_, err := alice.svc.Submit(d)
	alice.must(err)
	alice.sync()
	bob.sync()

	if err := bob.svc.Withdraw(d.ID); !errors.Is(err, team.ErrNotYours) {
		t.Fatalf("bob withdraws alice's post: %v", err)
	}
	it := bob.item(d.ID)
	_, err = srv.as("bob").Exec(context.Background(), `INSERT INTO chancery.events
	  (seq, id, mission, post, revision, kind, content_hash, actor, at)
	  VALUES (0, 'direct-withdraw-1', 'vienna', $1, 1, 'withdraw', $2, '', now())`, d.ID, it.Latest().Hash)
	if sqlstate(err) != "CHA07" {
		t.Fatalf("withdrawal by another login: %v, want CHA07", err)
	}

	alice.must(alice.svc.Withdraw(d.ID))
	alice.sync()
	bob.must(bob.svc.Approve(d.ID)) // bob's laptop has not heard yet
	bob.sync()
	if got := bob.refused(); len(got) != 1 || got[0] != "approve:"+team.ReasonState.MessageID() {
		t.Fatalf("approval of a withdrawn post: %v", got)
	}
	if it := bob.item(d.ID); it.State != team.StateWithdrawn || len(it.Refused) != 1 {
		t.Fatalf("bob's view: %+v", it)
	}

	it, err = alice.svc.Submit(d)
	alice.must(err)
	if it.Latest().Number != 2 {
		t.Fatalf("resubmitted as revision %d", it.Latest().Number)
	}
	alice.sync()
	bob.sync()
	if err := bob.svc.Return(d.ID, " "); !errors.Is(err, team.ErrNoComment) {
		t.Fatalf("return without a comment: %v", err)
	}
	bob.must(bob.svc.Return(d.ID, "Add the opening hours."))
	bob.sync()
	alice.sync()
	c, err := alice.svc.Comments(d.ID)
	alice.must(err)
	if len(c) != 1 || c[0].Actor != "bob" || c[0].Revision != 2 || c[0].Text != "Add the opening hours." {
		t.Fatalf("comments: %+v", c)
	}
	if it := alice.item(d.ID); it.State != team.StateReturned || len(net.published()) != 0 {
		t.Fatalf("after the return: %+v", it)
	}
}

// A revision with an image is published only by a laptop that has the
// image file: without it the laptop neither claims nor publishes it.
func TestImageMissingHereBlocksTheClaim(t *testing.T) {
	srv, net := newServer(t), newNetwork(t)
	alice, bob := newLaptop(t, net), newLaptop(t, net)
	alice.connect(srv.member("alice", "chancery_staff", "vienna"))
	bob.connect(srv.member("bob", "chancery_approver", "vienna"))
	img := filepath.Join(t.TempDir(), "flag.png")
	if err := os.WriteFile(img, []byte("not really a png"), 0o600); err != nil {
		t.Fatal(err)
	}
	d := alice.write("With a picture.", "Avec une image.")
	d.Media = []drafts.Attachment{{Path: img, Name: "flag.png", Alt: "The flag at half-mast"}}
	it, err := alice.svc.Submit(d)
	alice.must(err)
	if m := it.Latest().Content.Media; len(m) != 1 || m[0].Alt != "The flag at half-mast" {
		t.Fatalf("media of the revision: %+v", m)
	}
	alice.sync()
	bob.sync()
	bob.must(bob.svc.Approve(d.ID))
	bob.sync()
	if err := os.Remove(img); err != nil {
		t.Fatal(err)
	}
	if res := alice.sync(); res.Claimed != 0 || srv.count("kind = 'claim'") != 0 {
		t.Fatalf("claimed without the image: %+v", res)
	}
	if _, err := alice.svc.Publish(context.Background(), d.ID); !errors.Is(err, team.ErrNoAccount) {
		t.Fatalf("publish without the image: %v", err)
	}
	// On a colleague's laptop the path could name one of the colleague's
	// own files: there the image is not published even when the path exists.
	if err := os.WriteFile(img, []byte("bob's own file"), 0o600); err != nil {
		t.Fatal(err)
	}
	bob.sync()
	if _, err := bob.svc.Publish(context.Background(), d.ID); !errors.Is(err, team.ErrNoAccount) {
		t.Fatalf("publish from the approver's laptop: %v, want ErrNoAccount", err)
	}
	if it := alice.item(d.ID); it.State != team.StateApproved || len(net.published()) != 0 {
		t.Fatalf("after: %+v", it)
	}
}

// A colleague's laptop publishes the approved post before the author's
// laptop hears of the approval: the author's laptop publishes nothing and
// forgets the draft, unless it was edited since.
func TestAnotherLaptopPublishes(t *testing.T) {
	srv, net := newServer(t), newNetwork(t)
	alice, dave, bob := newLaptop(t, net), newLaptop(t, net), newLaptop(t, net)
	alice.connect(srv.member("alice", "chancery_staff", "vienna"))
	dave.connect(srv.member("dave", "chancery_staff", "vienna"))
	bob.connect(srv.member("bob", "chancery_approver", "vienna"))
	kept := alice.write("Edited after submitting.", "Modifié après.")
	gone := alice.write("Published by Dave.", "Publié par Dave.")
	for _, d := range []drafts.Draft{kept, gone} {
		_, err := alice.svc.Submit(d)
		alice.must(err)
	}
	kept.SetText("en", "Edited after submitting, again.")
	_, err := alice.drafts.Save(kept)
	alice.must(err)
	alice.sync()
	bob.sync()
	bob.must(bob.svc.Approve(kept.ID))
	bob.must(bob.svc.Approve(gone.ID))
	bob.sync()
	dave.sync()
	for _, d := range []drafts.Draft{kept, gone} {
		if _, err := dave.svc.Publish(context.Background(), d.ID); err != nil {
			t.Fatal(err)
		}
	}
	dave.sync()
	if got := net.published(); len(got) != 4 {
		t.Fatalf("dave's laptop published %q", got)
	}
	alice.sync()
	if got := net.published(); len(got) != 4 {
		t.Fatalf("after alice's sync: %q", got)
	}
	if _, err := alice.drafts.Get(gone.ID); !errors.Is(err, drafts.ErrNoDraft) {
		t.Fatalf("published draft: %v", err)
	}
	if d, err := alice.drafts.Get(kept.ID); err != nil || d.Text("en") != "Edited after submitting, again." {
		t.Fatalf("edited draft: %+v, %v", d, err)
	}
	if it := alice.item(gone.ID); it.State != team.StatePublished || it.ClaimedBy != "dave" {
		t.Fatalf("alice's view: %+v", it)
	}
}
