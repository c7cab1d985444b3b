package app

import (
	"context"
	"errors"
	"slices"
	"time"

	"fyne.io/fyne/v2/widget"

	"chancery/drafts"
	"chancery/team"
)

// ReviewService is the team review (team.Service, with the login this
// profile signs in to the team server as). Its methods never touch a
// widget; the window calls them off the UI goroutine.
type ReviewService interface {
	// List returns the posts in review of a mission, most recent first.
	List(mission string, states ...team.State) ([]team.Item, error)
	Submit(d drafts.Draft) (team.Item, error)
	Approve(post string) error
	Return(post, comment string) error
	Withdraw(post string) error
	// Dismiss forgets a refused action once its reason was read.
	Dismiss(id string) error
	// Queued returns this laptop's events not yet in the pulled log.
	Queued() ([]team.Queued, error)
	RequiresReview(mission string) (bool, error)
	SetRequiresReview(mission string, on bool) error
	// CheckDirect refuses a draft whose mission publishes only through review.
	CheckDirect(d drafts.Draft) error
	// Sync pushes what waits here and pulls the colleagues' actions.
	Sync(ctx context.Context) (team.SyncResult, error)
	// Run keeps the profile in step with the server (LISTEN/NOTIFY) until
	// ctx ends; Changes signals, coalesced, that the items may have changed.
	Run(ctx context.Context, opts team.RunOptions)
	Changes() <-chan struct{}
	// Login is who this profile signs in as, or team.ErrNotConnected.
	Login() (string, error)
	// CanApprove is whether the login may approve in mission, as the
	// server last said, or team.ErrRightsUnknown before it said.
	CanApprove(mission string) (bool, error)
	// Connect sets up the profile's team server, as chancery team connect
	// does: dsn without its password, secret kept in the keyring.
	Connect(ctx context.Context, dsn, secret, certFile string) (team.Config, error)
}

// reviewState is the window's side of the team review: the open Review
// windows and what the last sync said. Only the UI goroutine touches it.
type reviewState struct {
	panels   []*reviewPanel
	synced   time.Time // the last sync that reached the server
	syncErr  error     // the last sync's failure, nil once one succeeds
	attempts int       // syncs tried since the window opened
	// badges are the columns' counts of posts waiting for the user, by
	// mission; counter reads them (reviewbadge.go).
	badges  map[string]*widget.Button
	counter *latestRunner[struct{}, reviewCounts]
}

// startReview runs the team service for as long as the window lives: its
// sync loop (woken by the server's notifications) and the reader of its
// changes, which refreshes the open Review windows.
func (u *ui) startReview() {
	if u.p.Review == nil {
		return
	}
	u.review = &reviewState{}
	svc, ctx := u.p.Review, u.ctx
	go svc.Run(ctx, team.RunOptions{OnSync: func(_ team.SyncResult, err error) {
		uiDo(func() { u.reviewSynced(err) })
	}})
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-svc.Changes():
				uiDo(u.reviewChanged)
			}
		}
	}()
}

// reviewSynced records a sync's outcome and shows it in the open windows.
func (u *ui) reviewSynced(err error) {
	rs := u.review
	rs.attempts++
	switch {
	case err == nil:
		rs.synced, rs.syncErr = u.now(), nil
	case errors.Is(err, context.Canceled):
		return
	default:
		rs.syncErr = err
	}
	u.reviewChanged()
}

// reviewChanged reloads the open Review windows; each coalesces the
// reloads asked while one runs into one more.
func (u *ui) reviewChanged() {
	if u.review == nil {
		return
	}
	u.recountReviews()
	for _, p := range u.review.panels {
		p.load()
	}
}

// syncReview syncs at once (the Sync button), off the UI goroutine.
func (u *ui) syncReview() {
	svc, ctx := u.p.Review, u.ctx
	go func() {
		_, err := svc.Sync(ctx)
		uiDo(func() { u.reviewSynced(err) })
	}()
}

func (u *ui) forgetReviewPanel(p *reviewPanel) {
	u.review.panels = slices.DeleteFunc(u.review.panels, func(o *reviewPanel) bool { return o == p })
}
