package app

import (
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/drafts"
)

// outboxPoll is how often the outbox is checked for posts that are due
// (scheduled, or waiting after an error).
const outboxPoll = 30 * time.Second

// outboxLoop flushes the outbox now and then, while the window is open.
func (u *ui) outboxLoop() {
	t := time.NewTicker(outboxPoll)
	defer t.Stop()
	for {
		u.flushNow()
		select {
		case <-u.ctx.Done():
			return
		case <-u.flushKick:
		case <-t.C:
		}
	}
}

// flushOutbox asks the outbox loop to publish what is due now.
func (u *ui) flushOutbox() {
	select {
	case u.flushKick <- struct{}{}:
	default:
	}
}

func (u *ui) flushNow() {
	res, err := u.p.Outbox.Flush(u.ctx)
	entries, listErr := u.p.Outbox.List()
	if len(res.SentAccounts) > 0 {
		// Show what was just published in its columns.
		if all, err := u.p.Workspace.Accounts(); err == nil {
			all = slices.DeleteFunc(all, func(a accounts.Account) bool { return !slices.Contains(res.SentAccounts, a.ID) })
			u.p.Refresher.Refresh(u.ctx, all, true)
		}
	}
	uiDo(func() {
		if err != nil && u.ctx.Err() == nil {
			u.showFailure("dialog.failed_send", err)
		}
		if listErr == nil {
			u.showOutboxCount(entries)
		}
	})
}

// showOutboxCount shows how many posts wait or failed, on the toolbar.
func (u *ui) showOutboxCount(entries []drafts.Entry) {
	waiting, failed := 0, 0
	for _, e := range entries {
		switch e.State {
		case drafts.Queued, drafts.Sending:
			waiting++
		case drafts.Failed:
			failed++
		}
	}
	parts := []string{}
	if waiting > 0 {
		parts = append(parts, u.loc.N("outbox.waiting", waiting))
	}
	if failed > 0 {
		parts = append(parts, u.loc.N("outbox.failed_count", failed))
	}
	u.outboxStatus.SetText(strings.Join(parts, " · "))
	u.outboxStatus.Importance = widget.LowImportance
	if failed > 0 {
		u.outboxStatus.Importance = widget.DangerImportance
	}
	u.outboxStatus.Refresh()
}

// entryState names where an entry stands; an entry whose outcome is
// unknown says so, and whether it waits for a check or for the user.
func (u *ui) entryState(e drafts.Entry) string {
	switch {
	case e.HandingOff:
		return u.loc.T("outbox.handing_off")
	case e.Uncertain && e.State == drafts.Failed:
		return u.loc.T("outbox.may_be_published")
	case e.Uncertain && (e.State == drafts.Queued || e.State == drafts.Sending):
		return u.loc.T("outbox.uncertain")
	}
	return u.loc.T("outbox.state." + string(e.State))
}
