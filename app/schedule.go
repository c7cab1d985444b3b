package app

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/translations"
)

// Errors of the composer's schedule.
var (
	errBadSchedule  = translations.NewProblem("error.bad_schedule", "scheduled date or time not understood")
	errPastSchedule = translations.NewProblem("error.past_schedule", "scheduled time is not in the future")
)

const (
	dayLayout  = "2006-01-02"
	hourLayout = "15:04"
)

// buildSchedule makes the "publish later" rows: a date and a time in the
// time zone of a reference mission, chosen among the targets' missions,
// then the local time of every chosen mission and the user's own.
func (c *composer) buildSchedule() fyne.CanvasObject {
	loc := c.u.loc
	c.day, c.hour = c.newField(), c.newField()
	c.day.SetPlaceHolder("YYYY-MM-DD")
	c.hour.SetPlaceHolder("HH:MM")
	c.reference = newEscSelect(c.win, nil, nil)
	c.offerReferences()
	if !c.draft.ScheduledAt.IsZero() {
		t := c.draft.ScheduledAt.In(c.zone())
		c.day.SetText(t.Format(dayLayout))
		c.hour.SetText(t.Format(hourLayout))
	} else {
		c.resetSchedule()
	}
	c.when = widget.NewLabel("")
	c.when.Wrapping = fyne.TextWrapWord
	c.timerNote = widget.NewLabel("")
	c.timerNote.Wrapping = fyne.TextWrapWord
	c.timerNote.Importance = widget.WarningImportance
	c.scheduled = newEscCheck(c.win, loc.T("composer.schedule"), func(bool) { c.updateWhen(); c.scheduleChanged() })
	c.scheduled.Checked = !c.draft.ScheduledAt.IsZero()
	c.day.OnChanged = func(string) { c.updateWhen(); c.scheduleChanged() }
	c.hour.OnChanged = c.day.OnChanged
	c.reference.OnChanged = func(string) { c.updateWhen(); c.scheduleChanged() }
	c.updateWhen()
	row := container.NewHBox(c.scheduled, container.NewGridWrap(fyne.NewSize(130, c.day.MinSize().Height), c.day),
		container.NewGridWrap(fyne.NewSize(80, c.hour.MinSize().Height), c.hour),
		widget.NewLabel(loc.T("composer.schedule_zone")), c.reference)
	return container.NewVBox(row, c.when, c.timerNote)
}

// offerReferences offers the missions of the chosen targets as the
// schedule's time zone, keeping the choice when it is still among them;
// a reopened draft starts in the zone it was scheduled in.
func (c *composer) offerReferences() {
	if c.reference == nil {
		return
	}
	current := c.referenceMission().ID
	var ids, names []string
	for _, m := range c.u.missions {
		if slices.ContainsFunc(c.draft.Targets, func(id string) bool { return c.account(id).Mission == m.ID }) {
			ids = append(ids, m.ID)
			names = append(names, m.Name(c.u.loc.Lang()))
			if current == "" && c.draft.Zone != "" && m.TimeZone == c.draft.Zone {
				current = m.ID
			}
		}
	}
	c.refIDs = ids
	c.reference.Options = names
	i := max(slices.Index(ids, current), 0)
	if len(ids) == 0 {
		c.reference.ClearSelected()
		c.reference.Disable()
		return
	}
	c.reference.Enable()
	if c.reference.SelectedIndex() != i || c.reference.Selected != names[i] {
		c.reference.SetSelectedIndex(i)
	}
	c.reference.Refresh()
}

// referenceMission is the mission whose time zone the schedule is typed
// in, if targets are chosen.
func (c *composer) referenceMission() accounts.Mission {
	if c.reference == nil {
		return accounts.Mission{}
	}
	i := c.reference.SelectedIndex()
	if i < 0 || i >= len(c.refIDs) {
		return accounts.Mission{}
	}
	for _, m := range c.u.missions {
		if m.ID == c.refIDs[i] {
			return m
		}
	}
	return accounts.Mission{}
}

// resetSchedule proposes the next full hour in the reference zone.
func (c *composer) resetSchedule() {
	t := c.u.now().In(c.zone()).Add(time.Hour)
	t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), 0, 0, 0, t.Location())
	c.day.SetText(t.Format(dayLayout))
	c.hour.SetText(t.Format(hourLayout))
}

// zone is the reference mission's time zone, or local time.
func (c *composer) zone() *time.Location {
	if m := c.referenceMission(); m.ID != "" {
		return m.Location()
	}
	return time.Local
}

// scheduledTime parses the date and time in the reference zone.
func (c *composer) scheduledTime() (time.Time, error) {
	t, err := time.ParseInLocation(dayLayout+" "+hourLayout,
		strings.TrimSpace(c.day.Text)+" "+strings.TrimSpace(c.hour.Text), c.zone())
	if err != nil {
		return time.Time{}, fmt.Errorf("%q %q: %w", c.day.Text, c.hour.Text, errBadSchedule)
	}
	return t, nil
}

// scheduleProblem says why the schedule cannot be used, or "".
func (c *composer) scheduleProblem() string {
	if c.scheduled == nil || !c.scheduled.Checked {
		return ""
	}
	t, err := c.scheduledTime()
	if err == nil && !t.After(c.u.now()) {
		err = errPastSchedule
	}
	if err != nil {
		return c.u.loc.Error(err)
	}
	return ""
}

// updateWhen says when the post will go out: in each chosen mission's
// local time and the user's own, or, inline, why that time cannot be.
func (c *composer) updateWhen() {
	if c.when == nil {
		return
	}
	loc := c.u.loc
	c.when.Importance = widget.LowImportance
	c.timerNote.Hide()
	switch problem := c.scheduleProblem(); {
	case !c.scheduled.Checked:
		c.when.SetText(loc.T("composer.publish_now"))
	case problem != "":
		c.when.Importance = widget.DangerImportance
		c.when.SetText(problem)
	default:
		t, _ := c.scheduledTime()
		c.when.SetText(loc.T("composer.schedule_times", "Times", c.missionTimes(t), "Local", t.Local().Format("2006-01-02 15:04")))
		if names := c.needTimer(); len(names) > 0 {
			c.timerNote.SetText(loc.T("composer.needs_timer", "Accounts", loc.List(names)))
			c.timerNote.Show()
		}
	}
	c.when.Refresh()
	if c.publishBtn != nil {
		c.gatePublish()
	}
}

// missionTimes is "Vienna 09:00 · Beijing 16:00 · New York 03:00" for the
// chosen missions, with the date where it is not the reference's.
func (c *composer) missionTimes(t time.Time) string {
	ref := t.In(c.zone()).Format(dayLayout)
	var parts []string
	for i, id := range c.refIDs {
		for _, m := range c.u.missions {
			if m.ID != id {
				continue
			}
			local := t.In(m.Location())
			layout := hourLayout
			if local.Format(dayLayout) != ref {
				layout = dayLayout + " " + hourLayout
			}
			parts = append(parts, c.reference.Options[i]+" "+local.Format(layout))
		}
	}
	return strings.Join(parts, " · ")
}

// needTimer names the chosen accounts whose network cannot hold a
// scheduled post on its server: they publish only if Chancery, or its
// timer, runs at that time.
func (c *composer) needTimer() []string {
	var names []string
	for _, id := range c.draft.Targets {
		a := c.account(id)
		server := a.Network == accounts.Mastodon
		if c.u.p.Actions != nil {
			server = c.u.p.Actions.Capabilities(a).ServerScheduling
		}
		if !server {
			mission, handle := c.targetName(id)
			names = append(names, mission+" · "+handle)
		}
	}
	return names
}

func (c *composer) scheduleChanged() {
	if err := c.applySchedule(); err == nil {
		c.changed()
	}
}

// applySchedule copies the schedule into the draft, refusing a time that is
// unreadable or already past.
func (c *composer) applySchedule() error {
	if !c.scheduled.Checked {
		c.draft.ScheduledAt, c.draft.Zone = time.Time{}, ""
		return nil
	}
	t, err := c.scheduledTime()
	if err != nil {
		return err
	}
	if !t.After(c.u.now()) {
		return fmt.Errorf("%s: %w", t, errPastSchedule)
	}
	c.draft.ScheduledAt, c.draft.Zone = t.UTC(), c.zone().String()
	return nil
}
