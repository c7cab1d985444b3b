package app

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/feeds"
)

// An account's health, as its column shows it: the state stored with the
// account (so it shows at start, from the cache) and the time of its last
// successful refresh, both updated by every refresh; and, for this session,
// the error of its last failed refresh (c.failures), which words the
// server's problem.

// severity orders states from fine to most in need of the user: a column
// says the worst of its accounts.
func severity(s accounts.State) int {
	switch s {
	case accounts.StateOffline:
		return 1
	case accounts.StateError:
		return 2
	case accounts.StateWrongAddress:
		return 3
	case accounts.StateNeedsSignIn:
		return 4
	}
	return 0
}

// reportable reports whether a refresh error is shown in the column: being
// offline is said once, by the window's banner, and a cancellation is no
// failure; a server that refused the connection is this account's problem.
func reportable(err error) bool {
	switch {
	case err == nil, errors.Is(err, context.Canceled):
		return false
	case errors.Is(err, feeds.ErrUnreachable):
		return true
	}
	return !errors.Is(err, feeds.ErrOffline)
}

// noteHealth applies the outcome of a refresh of account id, finished at
// at: its state and, on success, the time of its last success. The rows
// change at once; they are rebuilt only when "Sign in again" comes or goes.
func (c *column) noteHealth(id string, err error, at time.Time) {
	state, known := feeds.StateOf(err)
	if !known {
		return
	}
	for i := range c.accts {
		a := &c.accts[i]
		if a.ID != id {
			continue
		}
		rebuild := (a.State == accounts.StateNeedsSignIn) != (state == accounts.StateNeedsSignIn)
		a.State = state
		if err == nil && at.After(a.LastOK) {
			a.LastOK = at
		}
		if label := c.rowLabels[id]; label != nil && !rebuild {
			c.showHealth(label, *a)
		} else {
			c.showAccounts()
		}
		c.budgetAfterRefresh(id)
	}
}

// healthText says how account a is: "ok · 09:14", "offline since 09:14",
// "wrong address or server down · last ok 09:14", the server's problem in
// a few words, or nothing (a demo account, an account never refreshed,
// one that needs signing in again: its button says so).
func (c *column) healthText(a accounts.Account) string {
	loc := c.ui.loc
	if a.IsDemo() || a.State == accounts.StateNeedsSignIn {
		return ""
	}
	at := ""
	if !a.LastOK.IsZero() {
		at = c.clockTime(a.LastOK)
	}
	switch {
	case a.State == "" || a.State == accounts.StateOK:
		if at == "" {
			return ""
		}
		return loc.T("health.ok_at", "Time", at)
	case a.State == accounts.StateOffline && at != "":
		return loc.T("health.offline_since", "Time", at)
	case at != "":
		return loc.T("health.problem_since", "State", c.problemText(a), "Time", at)
	}
	return c.problemText(a)
}

// problemText names what is wrong with a in a few words: the server's
// problem when this session saw it, else the stored state.
func (c *column) problemText(a accounts.Account) string {
	loc := c.ui.loc
	if err := c.failures[a.ID]; err != nil && a.State == accounts.StateError {
		for _, p := range []struct {
			err error
			id  string
		}{
			{feeds.ErrNoFeed, "health.no_feed"},
			{feeds.ErrBudgetReached, "x.budget.reached"},
			{feeds.ErrRateLimited, "health.rate_limited"},
			{feeds.ErrServer, "health.server"},
			{feeds.ErrTooLarge, "health.too_large"},
			{feeds.ErrBadResponse, "health.bad_response"},
			{feeds.ErrRejected, "health.rejected"},
		} {
			if errors.Is(err, p.err) {
				return loc.T(p.id)
			}
		}
	}
	return loc.T("state." + string(a.State))
}

// clockTime is t on the reader's clock: the time today, else the date and
// time.
func (c *column) clockTime(t time.Time) string {
	t, now := t.Local(), c.ui.now().Local()
	hm := t.Format("15:04")
	if y, m, d := t.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return hm
	}
	return c.ui.loc.T("health.day_time", "Date", absoluteDate(c.ui.loc, t), "Time", hm)
}

// showHealth shows a's health in its row's label, coloured by how bad it is.
func (c *column) showHealth(label *widget.Label, a accounts.Account) {
	text := c.accountLabel(a)
	if h := c.healthText(a); h != "" {
		text += " · " + h
	}
	importance := widget.LowImportance
	switch severity(a.State) {
	case 0:
	case 1:
		importance = widget.WarningImportance
	default:
		importance = widget.DangerImportance
	}
	if a.IsDemo() || a.State == accounts.StateNeedsSignIn {
		importance = widget.LowImportance // the button says it
	}
	if label.Text != text || label.Importance != importance {
		label.Text, label.Importance = text, importance
		label.Refresh()
	}
}

// lastSuccess is when the column last refreshed: the latest success of
// this session or, before any, the latest stored with its accounts.
func (c *column) lastSuccess() time.Time {
	last := c.refreshed
	for _, a := range c.accts {
		if a.LastOK.After(last) {
			last = a.LastOK
		}
	}
	return last
}

// statusText is the column's status line: the worst of its accounts first,
// never hidden by another account's success, then when it last refreshed.
func (c *column) statusText() (string, widget.Importance) {
	loc, now := c.ui.loc, c.ui.now()
	last := c.lastSuccess()
	refreshed := loc.T("column.refreshed", "When", relativeTime(loc, now, last))
	switch {
	case last.IsZero() && len(c.running) > 0:
		refreshed = loc.T("column.refreshing")
	case last.IsZero():
		refreshed = loc.T("column.never_refreshed")
	}
	if c.ui.p.Refresher.Offline() && !last.IsZero() {
		return loc.T("column.offline_since", "When", relativeTime(loc, now, last)), widget.LowImportance
	}
	var worst *accounts.Account
	others := 0
	for i := range c.accts {
		a := &c.accts[i]
		if severity(a.State) == 0 {
			continue
		}
		if worst != nil {
			others++
		}
		if worst == nil || severity(a.State) > severity(worst.State) {
			worst = a
		}
	}
	switch {
	case worst == nil:
		return refreshed, widget.LowImportance
	case others == 0:
		return loc.T("health.problem_one", "Handle", worst.Handle, "State", c.problemText(*worst), "Refreshed", refreshed), widget.WarningImportance
	}
	return loc.N("column.problem_more", others, "Handle", worst.Handle, "State", c.problemText(*worst), "Refreshed", refreshed), widget.WarningImportance
}

// showStatusLine shows statusText in the column's status label.
func (c *column) showStatusLine() {
	text, importance := c.statusText()
	if c.status.Text != text || c.status.Importance != importance {
		c.status.Text, c.status.Importance = text, importance
		c.status.Refresh()
	}
}
