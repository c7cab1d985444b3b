package app

import (
	"testing"

	"chancery/team"
)

// Approve and Return show only where the server said the login may
// approve; a staff login reads who may instead, and learns its new rights
// at the next sync.
func TestReviewButtonsOnlyForApprovers(t *testing.T) {
	fr := newFakeReview("alice")
	fr.setApprover() // the server said: nowhere
	fr.put(reviewItem("p1", "vienna", "bob", team.StateSubmitted, "Text"))
	_, p := openReview(t, fr)
	selectPost(t, p, "p1")
	if findButton(p.detail, "Approve") != nil || findButton(p.detail, "Return…") != nil {
		t.Fatalf("a staff login sees the approver's buttons: %q", texts(p.detail))
	}
	if !contains(p.detail, "Only an approver of this mission can approve or return this post.") {
		t.Errorf("detail does not say who may approve: %q", texts(p.detail))
	}

	fr.setApprover("vienna")
	eventually(t, "the buttons of a login made approver", func() bool {
		return findButton(p.detail, "Approve") != nil && findButton(p.detail, "Return…") != nil
	})
	if contains(p.detail, "Only an approver of this mission can approve or return this post.") {
		t.Errorf("an approver is told only approvers may: %q", texts(p.detail))
	}

	fr.setApprover("bern")
	eventually(t, "the buttons gone with the rights", func() bool { return findButton(p.detail, "Approve") == nil })
}

// Before the server has said, the buttons show and the server judges.
func TestReviewButtonsWhileRightsUnknown(t *testing.T) {
	fr := newFakeReview("alice")
	fr.put(reviewItem("p1", "vienna", "bob", team.StateSubmitted, "Text"))
	_, p := openReview(t, fr)
	selectPost(t, p, "p1")
	if findButton(p.detail, "Approve") == nil {
		t.Fatalf("no Approve before the rights are known: %q", texts(p.detail))
	}
}

// A staff login's badge counts only its returned posts: a colleague's
// waiting post is not its to review.
func TestReviewBadgeCountsForApproversOnly(t *testing.T) {
	fr := newFakeReview("alice")
	fr.setApprover("beijing")
	fr.put(reviewItem("p1", "vienna", "bob", team.StateSubmitted, "Text"))
	fr.put(reviewItem("p2", "vienna", "alice", team.StateReturned, "Mine"))
	fr.put(reviewItem("p4", "beijing", "carol", team.StateSubmitted, "Text"))
	f := newFixture(t)
	f.params.Review = fr
	u := f.start(t)
	badges := u.review.badges
	eventually(t, "the counts", func() bool {
		return badges["vienna"].Visible() && badges["vienna"].Text == "1 post to review" &&
			badges["beijing"].Visible() && badges["beijing"].Text == "1 post to review"
	})
	fr.setApprover("vienna", "beijing")
	eventually(t, "the counts of an approver", func() bool { return badges["vienna"].Text == "2 posts to review" })
}
