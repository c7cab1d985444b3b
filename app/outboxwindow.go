package app

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/drafts"
	"chancery/feeds"
)

// showOutbox reads the outbox off the UI goroutine, then lists it: what
// waits (where, and when in the mission's time and the user's), what was
// sent (its link and time) and what failed (why).
func (u *ui) showOutbox() {
	go func() {
		entries, err := u.p.Outbox.List()
		uiDo(func() {
			if err != nil {
				u.showFailure("dialog.failed_read_outbox", err)
				return
			}
			u.outboxDialog(entries)
		})
	}()
}

func (u *ui) outboxDialog(entries []drafts.Entry) {
	loc := u.loc
	rows := container.NewVBox()
	var d dialog.Dialog
	for i := len(entries) - 1; i >= 0; i-- {
		rows.Add(u.outboxRow(entries[i], func() { d.Hide() }))
		rows.Add(widget.NewSeparator())
	}
	if len(entries) == 0 {
		rows.Add(widget.NewLabel(loc.T("outbox.none")))
	}
	d = newMessageDialog(loc.T("outbox.title"), loc.T("action.close"), container.NewVScroll(rows), u.window)
	d.Resize(fyne.NewSize(820, 520))
	u.showDialog(d)
}

// entryAccount finds the entry's account and mission among the columns.
func (u *ui) entryAccount(e drafts.Entry) (accounts.Account, accounts.Mission) {
	for _, c := range u.columns {
		for _, a := range c.accts {
			if a.ID == e.Account {
				return a, c.mission
			}
		}
	}
	return accounts.Account{ID: e.Account, Handle: e.Account}, accounts.Mission{}
}

// outboxRow is one entry: what and where, then its times, link or
// reason, and what can be done with it.
func (u *ui) outboxRow(e drafts.Entry, hide func()) fyne.CanvasObject {
	loc := u.loc
	acct, mission := u.entryAccount(e)
	who := acct.Handle
	if mission.ID != "" {
		who = mission.Name(loc.Lang()) + " · " + acct.Handle
	}
	title := widget.NewLabel(loc.T("outbox.row", "State", u.entryState(e),
		"Account", who, "Lang", strings.ToUpper(e.Lang), "Text", strings.Join(strings.Fields(e.Text), " ")))
	title.Truncation = fyne.TextTruncateEllipsis
	box := container.NewVBox(title)
	for _, line := range u.entryDetails(e, mission) {
		l := widget.NewLabel(line)
		l.Importance = widget.LowImportance
		l.Wrapping = fyne.TextWrapWord
		box.Add(l)
	}
	if e.State == drafts.Sent && e.URL != "" {
		if link, ok := feeds.SafeLink(e.URL); ok {
			box.Add(newEscHyperlink(u.window, e.URL, link))
		}
	}
	return container.NewBorder(nil, nil, nil, u.entryActions(e, mission, hide), box)
}

// entryDetails are the lines under an entry's title.
func (u *ui) entryDetails(e drafts.Entry, m accounts.Mission) []string {
	loc := u.loc
	var lines []string
	switch e.State {
	case drafts.Sent:
		lines = append(lines, loc.T("outbox.sent_at", "Time", absoluteTime(loc, e.UpdatedAt.Local())))
	case drafts.Failed:
		if e.Error != "" {
			lines = append(lines, e.Error)
		}
	}
	if e.State == drafts.Queued || e.State == drafts.Sending {
		if !e.ScheduledAt.IsZero() {
			where := loc.T("outbox.where_local")
			if e.Where == drafts.WhereServer {
				where = loc.T("outbox.where_server")
				if acct, _ := u.entryAccount(e); acct.Network != "" {
					where = loc.T("outbox.where_network", "Network", loc.T("network."+string(acct.Network)))
				}
			}
			lines = append(lines, where+" · "+u.scheduledTimes(e, m))
		}
		if e.LocalReason != "" {
			lines = append(lines, loc.T("outbox.server_refused", "Reason", e.LocalReason))
		}
	}
	return lines
}

// scheduledTimes is the entry's time in its mission's zone and the user's.
func (u *ui) scheduledTimes(e drafts.Entry, m accounts.Mission) string {
	loc := u.loc
	zone := m.Location()
	if z, err := time.LoadLocation(e.Zone); err == nil && e.Zone != "" {
		zone = z
	}
	name := m.Name(loc.Lang())
	if name == "" {
		name = zone.String()
	}
	return loc.T("post.time_mission", "Mission", name, "Time", absoluteTime(loc, e.ScheduledAt.In(zone))) +
		" · " + loc.T("post.time_local", "Time", absoluteTime(loc, e.ScheduledAt.Local()))
}

// waitingEntry reports whether e can still be changed.
func waitingEntry(e drafts.Entry) bool {
	return e.State == drafts.Queued && !e.Uncertain && !e.HandingOff
}

// entryActions are the buttons of an entry: for a waiting one edit,
// reschedule, send now and cancel; for a failed one retry and remove.
func (u *ui) entryActions(e drafts.Entry, m accounts.Mission, hide func()) fyne.CanvasObject {
	loc := u.loc
	actions := container.NewHBox()
	if waitingEntry(e) {
		actions.Add(newEscButton(u.window, loc.T("outbox.edit"), nil, func() { hide(); u.editEntry(e) }))
		actions.Add(newEscButton(u.window, loc.T("outbox.reschedule"), nil, func() { hide(); u.rescheduleEntry(e, m) }))
		actions.Add(newEscButton(u.window, loc.T("outbox.send_now"), nil, func() {
			hide()
			u.changeEntry(func() error { return u.p.Outbox.SendNow(u.ctx, e.ID) })
		}))
		actions.Add(newEscButton(u.window, loc.T("outbox.cancel"), nil, func() {
			hide()
			u.changeEntry(func() error { return u.p.Outbox.Cancel(u.ctx, e.ID) })
		}))
		return actions
	}
	if e.State == drafts.Failed {
		actions.Add(newEscButton(u.window, loc.T("action.retry"), nil, func() {
			hide()
			u.changeEntry(func() error { return u.p.Outbox.Retry(e.ID) })
		}))
	}
	if e.State != drafts.Sending && !e.HandingOff {
		actions.Add(newEscButton(u.window, loc.T("outbox.remove"), nil, func() {
			hide()
			u.changeEntry(func() error { return u.p.Outbox.Remove(e.ID) })
		}))
	}
	return actions
}

// changeEntry runs a change off the UI goroutine (it may wait for a flush
// and call the server), then shows the error, if any, flushes what became
// due and shows the outbox again.
func (u *ui) changeEntry(change func() error) {
	go func() {
		err := change()
		uiDo(func() {
			if err != nil && u.ctx.Err() == nil {
				u.showFailure("dialog.failed_change_post", err)
			}
			u.flushOutbox()
			if err == nil {
				u.showOutbox()
			}
		})
	}()
}

// editEntry lets the user change a waiting entry's text.
func (u *ui) editEntry(e drafts.Entry) {
	loc := u.loc
	text := newEscMultiLineEntry(u.window)
	text.Wrapping = fyne.TextWrapWord
	text.SetText(e.Text)
	text.SetMinRowsVisible(6)
	d := newConfirmDialog(loc.T("outbox.edit_title"), loc.T("action.save"), loc.T("action.cancel"), text, func(ok bool) {
		if ok && text.Text != e.Text {
			newText := text.Text
			u.changeEntry(func() error { return u.p.Outbox.Edit(u.ctx, e.ID, newText) })
		}
	}, u.window)
	d.Resize(fyne.NewSize(560, 320))
	u.showDialog(d)
}

// rescheduleEntry asks for a new date and time in the mission's zone.
func (u *ui) rescheduleEntry(e drafts.Entry, m accounts.Mission) {
	loc := u.loc
	zone := m.Location()
	if z, err := time.LoadLocation(e.Zone); err == nil && e.Zone != "" {
		zone = z
	}
	start := e.ScheduledAt
	if start.IsZero() {
		start = u.now().Add(time.Hour)
	}
	day, hour := newEscEntry(u.window), newEscEntry(u.window)
	day.SetText(start.In(zone).Format(dayLayout))
	hour.SetText(start.In(zone).Format(hourLayout))
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	form := widget.NewForm(
		widget.NewFormItem(loc.T("outbox.day"), day),
		widget.NewFormItem(loc.T("outbox.hour", "Zone", zone.String()), hour),
	)
	content := container.NewVBox(form, problem)
	d := dialog.NewCustomWithoutButtons(loc.T("outbox.reschedule_title"), content, u.window)
	save := newEscButton(u.window, loc.T("action.save"), nil, func() {
		at, err := time.ParseInLocation(dayLayout+" "+hourLayout, strings.TrimSpace(day.Text)+" "+strings.TrimSpace(hour.Text), zone)
		switch {
		case err != nil:
			problem.SetText(loc.T("outbox.bad_time"))
			return
		case !at.After(u.now()):
			problem.SetText(loc.Error(drafts.ErrPastTime))
			return
		}
		d.Hide()
		u.changeEntry(func() error { return u.p.Outbox.Reschedule(u.ctx, e.ID, at, zone.String()) })
	})
	save.Importance = widget.HighImportance
	d.SetButtons([]fyne.CanvasObject{newEscButton(u.window, loc.T("action.cancel"), nil, d.Hide), save})
	d.Resize(fyne.NewSize(480, 240))
	u.showDialog(d)
}
