package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"chancery/drafts"
)

// The schedule is typed in the time of a mission chosen among the
// targets'; the local time of every chosen mission is shown, a time in the
// past is refused inline, and accounts whose network cannot hold a
// scheduled post are named.
func TestScheduleAcrossMissions(t *testing.T) {
	f := previewFixture(t)
	u := f.start(t)
	c := u.openComposer(drafts.Draft{})
	for _, id := range []string{"v-m", "beijing-demo", "new-york-demo"} {
		test.Tap(c.checks[id])
	}
	if got := strings.Join(c.reference.Options, ","); got != "Vienna,Beijing,New York" {
		t.Fatalf("reference missions offered: %q", got)
	}
	if c.reference.Selected != "Vienna" {
		t.Errorf("reference %q, want the first", c.reference.Selected)
	}
	test.Type(c.texts["en"], "Town hall")
	test.Type(c.texts["fr"], "Assemblée")
	test.Tap(c.scheduled)
	c.reference.SetSelected("Beijing")
	c.day.SetText("2026-12-07")
	c.hour.SetText("16:00")
	want := "Vienna 09:00 · Beijing 16:00 · New York 03:00 · "
	if !strings.HasPrefix(c.when.Text, want) || !strings.HasSuffix(c.when.Text, " your time") {
		t.Errorf("schedule says %q, want %q…", c.when.Text, want)
	}
	if !c.timerNote.Visible() || !strings.Contains(c.timerNote.Text, "Beijing · @beijing@demo, New York · @new-york@demo:") ||
		strings.Contains(c.timerNote.Text, "amb@m.example") {
		t.Errorf("timer note %q (shown %v)", c.timerNote.Text, c.timerNote.Visible())
	}
	beijing, _ := time.LoadLocation("Asia/Shanghai")
	eventually(t, "saved in Beijing's zone", func() bool {
		d := f.storedDraft(t)
		return d.ScheduledAt.Equal(time.Date(2026, 12, 7, 16, 0, 0, 0, beijing)) && d.Zone == "Asia/Shanghai"
	})

	// Over midnight, the date is given too.
	c.hour.SetText("05:30")
	if !strings.HasPrefix(c.when.Text, "Vienna 2026-12-06 22:30 · Beijing 05:30 · New York 2026-12-06 16:30") {
		t.Errorf("schedule says %q", c.when.Text)
	}

	// Noon in Beijing on the test day is already past (testNow is 20:00 there).
	c.day.SetText("2026-11-28")
	c.hour.SetText("12:00")
	if c.when.Text != "The scheduled time has already passed." || c.when.Importance != widget.DangerImportance || c.timerNote.Visible() {
		t.Errorf("a past time says %q", c.when.Text)
	}
	if !c.publishBtn.Disabled() {
		t.Error("Publish enabled for a past time")
	}
	c.day.SetText("2026-11-29")
	if strings.Contains(c.when.Text, "passed") {
		t.Errorf("tomorrow is refused: %q", c.when.Text)
	}

	// Reopened, the draft is in the zone it was scheduled in.
	c.saver.flush()
	c.close()
	eventually(t, "closed", func() bool { _, open := u.composers[c.draft.ID]; return !open })
	again := u.openComposer(f.storedDraft(t))
	if again.reference.Selected != "Beijing" || again.hour.Text != "12:00" || again.day.Text != "2026-11-29" {
		t.Errorf("reopened in %q at %s %s", again.reference.Selected, again.day.Text, again.hour.Text)
	}
}
