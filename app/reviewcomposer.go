package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/drafts"
)

// composerReview is the composer's side of the team review: Submit for
// review, which replaces Publish when a chosen account's mission
// publishes only through review.
type composerReview struct {
	button   *escButton
	required map[string]bool // missions that publish only through review
	ready    bool            // required was read
	// connected: a team server is set up, so any post may be submitted.
	connected bool
}

// reviewButton makes the Submit for review button; it stays hidden until
// the team server is known to be set up, and always without a service.
func (c *composer) reviewButton() fyne.CanvasObject {
	c.review = &composerReview{}
	c.review.button = newEscButton(c.win, c.u.loc.T("reviewui.submit"), theme.MailSendIcon(), c.submitForReview)
	c.review.button.Hide()
	svc := c.u.p.Review
	if svc == nil {
		return c.review.button
	}
	missions := make([]string, len(c.u.missions))
	for i, m := range c.u.missions {
		missions[i] = m.ID
	}
	go func() { // the profile's settings: off the UI goroutine
		_, err := svc.Login()
		connected := err == nil
		required := map[string]bool{}
		for _, id := range missions {
			on, err := svc.RequiresReview(id)
			required[id] = on || err != nil // when unsure, ask for review
		}
		uiDo(func() {
			c.review.required, c.review.ready, c.review.connected = required, true, connected
			c.showReviewMode()
		})
	}()
	return c.review.button
}

// reviewRequired tells whether a chosen account's mission publishes only
// through review.
func (c *composer) reviewRequired() bool {
	if c.review == nil || !c.review.ready {
		return false
	}
	for _, id := range c.draft.Targets {
		if c.review.required[c.account(id).Mission] {
			return true
		}
	}
	return false
}

// showReviewMode shows Submit for review beside Publish, or instead of it.
func (c *composer) showReviewMode() {
	if c.review == nil || !c.review.ready {
		return
	}
	b := c.review.button
	switch {
	case c.reviewRequired():
		b.Importance = widget.HighImportance
		b.Show()
		c.publishBtn.Hide()
	case c.review.connected:
		b.Importance = widget.MediumImportance
		b.Show()
		c.publishBtn.Show()
	default:
		b.Hide()
		c.publishBtn.Show()
	}
	b.Refresh()
}

// submitForReview saves the draft and submits it as the post's next
// revision, off the UI goroutine; the window then closes, the draft kept
// for a later edit.
func (c *composer) submitForReview() {
	if c.dialog != nil || c.closing || c.u.p.Review == nil {
		return
	}
	if err := c.applySchedule(); err != nil {
		c.message("dialog.failed_schedule", c.u.loc.Error(err))
		return
	}
	d, svc := c.draft.Clone(), c.u.p.Review
	c.review.button.Disable()
	go func() {
		c.saver.flush()
		_, err := svc.Submit(d)
		uiDo(func() {
			c.review.button.Enable()
			if err != nil {
				c.message("reviewui.failed_submit", c.u.loc.Error(err))
				return
			}
			c.forget()
			c.u.message(c.u.loc.T("reviewui.submitted_title"), c.u.loc.T("reviewui.submitted"))
		})
	}()
}

// checkDirect refuses, off the UI goroutine, a draft that must go through
// review (its mission's rule may have changed since the window opened).
func (c *composer) checkDirect(d drafts.Draft) error {
	if c.u.p.Review == nil {
		return nil
	}
	return c.u.p.Review.CheckDirect(d)
}
