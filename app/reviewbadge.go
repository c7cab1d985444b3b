package app

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/team"
)

// A column shows, in its header, how many of its mission's posts wait for
// the user in review (a colleague's to approve, or one returned to them);
// the badge opens the mission's Review view. The counts are read off the
// UI goroutine at start and at each change the team service signals.

// reviewCounts are the posts waiting for the user, by mission.
type reviewCounts map[string]int

// reviewBadge returns a column's review badge, hidden while nothing waits.
func (u *ui) reviewBadge(m accounts.Mission) fyne.CanvasObject {
	if u.review == nil {
		return container.NewHBox()
	}
	rs := u.review
	if rs.badges == nil {
		rs.badges = map[string]*widget.Button{}
		rs.counter = newLatestRunner(u.readReviewCounts, u.showReviewCounts)
	}
	id := m.ID
	b := widget.NewButtonWithIcon("", theme.DocumentIcon(), func() { u.showReview(id) })
	b.Hide()
	rs.badges[id] = b
	u.recountReviews()
	return b
}

// recountReviews reads the counts again; bursts are coalesced.
func (u *ui) recountReviews() {
	if u.review != nil && u.review.counter != nil {
		u.review.counter.submit(struct{}{})
	}
}

// readReviewCounts runs off the UI goroutine.
func (u *ui) readReviewCounts(struct{}) reviewCounts {
	svc := u.p.Review
	login, err := svc.Login()
	if err != nil {
		return reviewCounts{}
	}
	items, err := svc.List("", team.StateSubmitted, team.StateReturned)
	if err != nil {
		return reviewCounts{}
	}
	counts := reviewCounts{}
	approver := map[string]bool{}
	for _, it := range items {
		waiting := reviewWaiting.has(it, login)
		if waiting {
			if _, ok := approver[it.Mission]; !ok {
				approver[it.Mission] = mayApprove(svc, it.Mission)
			}
			waiting = approver[it.Mission]
		}
		if waiting || reviewReturned.has(it, login) {
			counts[it.Mission]++
		}
	}
	return counts
}

// mayApprove is whether the login may approve in mission, as the server
// last said; while it never said, the server judges, so it may.
func mayApprove(svc ReviewService, mission string) bool {
	on, err := svc.CanApprove(mission)
	return on || errors.Is(err, team.ErrRightsUnknown)
}

func (u *ui) showReviewCounts(counts reviewCounts) {
	for id, b := range u.review.badges {
		n := counts[id]
		b.SetText(u.loc.N("reviewui.badge", n))
		b.Hidden = n == 0
		b.Refresh()
	}
}
