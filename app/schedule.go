package app

import (
	"fmt"
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

// buildSchedule makes the "publish later" row: a date and a time in the
// mission's time zone, with the user's own time beside it.
func (c *composer) buildSchedule() fyne.CanvasObject {
	loc := c.u.loc
	c.day, c.hour = widget.NewEntry(), widget.NewEntry()
	c.day.SetPlaceHolder("YYYY-MM-DD")
	c.hour.SetPlaceHolder("HH:MM")
	if !c.draft.ScheduledAt.IsZero() {
		t := c.draft.ScheduledAt.In(c.zone())
		c.day.SetText(t.Format(dayLayout))
		c.hour.SetText(t.Format(hourLayout))
	} else {
		c.resetSchedule()
	}
	c.when = widget.NewLabel("")
	c.when.Importance = widget.LowImportance
	c.scheduled = widget.NewCheck(loc.T("composer.schedule"), func(bool) { c.updateWhen(); c.scheduleChanged() })
	c.scheduled.Checked = !c.draft.ScheduledAt.IsZero()
	c.day.OnChanged = func(string) { c.updateWhen(); c.scheduleChanged() }
	c.hour.OnChanged = c.day.OnChanged
	c.updateWhen()
	return container.NewHBox(c.scheduled, container.NewGridWrap(fyne.NewSize(130, c.day.MinSize().Height), c.day),
		container.NewGridWrap(fyne.NewSize(80, c.hour.MinSize().Height), c.hour), c.when)
}

// resetSchedule proposes the next full hour in the mission's time zone.
func (c *composer) resetSchedule() {
	t := c.u.now().In(c.zone()).Add(time.Hour)
	t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), 0, 0, 0, t.Location())
	c.day.SetText(t.Format(dayLayout))
	c.hour.SetText(t.Format(hourLayout))
}

// zone is the time zone of the first target's mission, or local time.
func (c *composer) zone() *time.Location {
	if m, ok := c.firstMission(); ok {
		return m.Location()
	}
	return time.Local
}

func (c *composer) firstMission() (accounts.Mission, bool) {
	if len(c.draft.Targets) == 0 {
		return accounts.Mission{}, false
	}
	a := c.account(c.draft.Targets[0])
	missions, _ := c.u.p.Workspace.Missions()
	for _, m := range missions {
		if m.ID == a.Mission {
			return m, true
		}
	}
	return accounts.Mission{}, false
}

// scheduledTime parses the date and time in the mission's zone.
func (c *composer) scheduledTime() (time.Time, error) {
	t, err := time.ParseInLocation(dayLayout+" "+hourLayout,
		strings.TrimSpace(c.day.Text)+" "+strings.TrimSpace(c.hour.Text), c.zone())
	if err != nil {
		return time.Time{}, fmt.Errorf("%q %q: %w", c.day.Text, c.hour.Text, errBadSchedule)
	}
	return t, nil
}

// updateWhen says when the post will go out, in the mission's zone and in
// the user's own.
func (c *composer) updateWhen() {
	if c.when == nil {
		return
	}
	loc := c.u.loc
	t, err := c.scheduledTime()
	switch {
	case !c.scheduled.Checked:
		c.when.SetText(loc.T("composer.publish_now"))
	case err != nil:
		c.when.SetText(loc.Error(err))
	default:
		name := c.zone().String()
		if m, ok := c.firstMission(); ok {
			name = m.Name(loc.Lang())
		}
		c.when.SetText(loc.T("composer.schedule_at", "Zone", name, "Local", t.Local().Format("2006-01-02 15:04")))
	}
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
