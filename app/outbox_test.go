package app

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"chancery/drafts"
	"chancery/timer"
)

func TestOutboxShowsEntriesWhoseOutcomeIsUnknown(t *testing.T) {
	f := newFixture(t)
	u := f.start(t)
	cases := []struct {
		e    drafts.Entry
		want string
	}{
		{drafts.Entry{State: drafts.Queued, Uncertain: true}, "Outcome unknown · checking before sending again"},
		{drafts.Entry{State: drafts.Sending, Uncertain: true}, "Outcome unknown · checking before sending again"},
		{drafts.Entry{State: drafts.Failed, Uncertain: true}, "May have been published · check the account, then Retry or Remove"},
		{drafts.Entry{State: drafts.Queued}, "Waiting"},
		{drafts.Entry{State: drafts.Failed}, "Failed"},
	}
	for _, c := range cases {
		if got := u.entryState(c.e); got != c.want {
			t.Errorf("%s uncertain %v: %q, want %q", c.e.State, c.e.Uncertain, got, c.want)
		}
	}
	// A failed entry stays as it is through flushes: the dialog shows it
	// with its Retry.
	e := drafts.Entry{
		ID: "e1", Account: "vienna-demo", Lang: "fr", Text: "Avis", State: drafts.Failed, Uncertain: true,
		Error: drafts.ErrUncheckable.Error(),
	}
	if err := f.drafts.PutEntry(e); err != nil {
		t.Fatal(err)
	}
	overlay := openOutbox(t, u, "May have been published")
	if findButton(overlay, "Retry") == nil {
		t.Fatalf("outbox dialog: %q", texts(overlay))
	}
}

// openOutbox opens the outbox and waits until it shows want.
func openOutbox(t *testing.T, u *ui, want string) fyne.CanvasObject {
	t.Helper()
	u.showOutbox()
	var overlay fyne.CanvasObject
	eventually(t, "the outbox showing "+want, func() bool {
		overlay = u.window.Canvas().Overlays().Top()
		return overlay != nil && contains(overlay, want)
	})
	return overlay
}

func TestOutboxShowsWhereAndWhenAndChangesWaitingEntries(t *testing.T) {
	f := newFixture(t)
	u := f.start(t)
	at := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC) // 09:00 in Vienna
	entries := []drafts.Entry{
		{
			ID: "s1", Account: "vienna-demo", Lang: "de", Text: "Guten Morgen", State: drafts.Queued, ScheduledAt: at, NotBefore: at,
			Zone: "Europe/Vienna", Where: drafts.WhereServer, ScheduledID: "900",
		},
		{
			ID: "l1", Account: "beijing-demo", Lang: "en", Text: "Good morning", State: drafts.Queued, ScheduledAt: at, NotBefore: at,
			Zone: "Asia/Shanghai", Where: drafts.WhereLocal, LocalReason: "http 422: scheduling disabled",
		},
		{
			ID: "l2", Account: "vienna-demo", Lang: "fr", Text: "Bonjour", State: drafts.Queued, ScheduledAt: at, NotBefore: at,
			Zone: "Europe/Vienna",
		},
		{
			ID: "d1", Account: "new-york-demo", Lang: "en", Text: "Done", State: drafts.Sent, RemoteID: "7",
			URL: "https://demo.invalid/posts/7", UpdatedAt: testNow.Add(-time.Hour),
		},
	}
	for _, e := range entries {
		if err := f.drafts.PutEntry(e); err != nil {
			t.Fatal(err)
		}
	}
	overlay := openOutbox(t, u, "Guten Morgen")
	for _, want := range []string{
		"Scheduled on Demo · Vienna time: ", "09:00", "On this computer · Beijing time: ", "16:00",
		"Your time: ", "scheduling disabled", "Sent ", "Vienna · ", "Beijing · ",
	} {
		if !contains(overlay, want) {
			t.Errorf("outbox lacks %q: %q", want, texts(overlay))
		}
	}
	links := 0
	for _, o := range visible(overlay) {
		if h, ok := o.(*widget.Hyperlink); ok && h.URL != nil && h.URL.String() == "https://demo.invalid/posts/7" {
			links++
		}
	}
	if links != 1 {
		t.Errorf("%d links to the sent post, want 1", links)
	}
	for _, label := range []string{"Edit", "Reschedule", "Send now", "Cancel post"} {
		if n := countButtons(overlay, label); n != 3 {
			t.Errorf("%d %q buttons, want one per waiting entry", n, label)
		}
	}
	// Cancel the local one: it leaves the outbox (off the UI goroutine).
	buttons := []*widget.Button{}
	for _, b := range findButtons(overlay) {
		if b.Text == "Cancel post" {
			buttons = append(buttons, b)
		}
	}
	test.Tap(buttons[1]) // newest first: l2, l1, s1
	eventually(t, "the cancelled entry gone and the outbox shown again", func() bool {
		_, err := f.drafts.Entry("l1")
		overlay = u.window.Canvas().Overlays().Top()
		return err != nil && overlay != nil && contains(overlay, "Guten Morgen") && !contains(overlay, "Good morning")
	})
	// Reschedule refuses a time in the past inline, then moves it.
	test.Tap(findButton(overlay, "Reschedule")) // l2
	eventually(t, "the reschedule dialog", func() bool {
		return contains(u.window.Canvas().Overlays().Top(), "Reschedule the post")
	})
	dlg := u.window.Canvas().Overlays().Top()
	var fields []*widget.Entry
	for _, o := range visible(dlg) {
		if e, ok := o.(*widget.Entry); ok {
			fields = append(fields, e)
		}
	}
	if len(fields) != 2 || fields[0].Text != "2026-12-07" || fields[1].Text != "09:00" {
		t.Fatalf("reschedule fields %v", fields)
	}
	fields[0].SetText("2026-11-01")
	test.Tap(findButton(dlg, "Save"))
	if !contains(dlg, "That time is in the past.") {
		t.Errorf("no inline refusal of a past time: %q", texts(dlg))
	}
	fields[0].SetText("2026-12-08")
	fields[1].SetText("10:30")
	test.Tap(findButton(dlg, "Save"))
	eventually(t, "the entry moved", func() bool {
		e, err := f.drafts.Entry("l2")
		return err == nil && e.ScheduledAt.Equal(time.Date(2026, 12, 8, 9, 30, 0, 0, time.UTC))
	})
}

func countButtons(o fyne.CanvasObject, label string) int {
	n := 0
	for _, b := range findButtons(o) {
		if b.Text == label {
			n++
		}
	}
	return n
}

type fakeTimer struct{ st timer.Status }

func (f fakeTimer) Status(context.Context) (timer.Status, error) { return f.st, nil }

func TestSettingsSayWhetherTheTimerIsInstalled(t *testing.T) {
	for _, c := range []struct {
		st   timer.Status
		want string
	}{
		{timer.Status{}, "Timer not installed"},
		{timer.Status{Installed: true}, "Timer installed: it publishes"},
		{timer.Status{Installed: true, LastRun: time.Date(2026, 11, 28, 11, 55, 0, 0, time.UTC)}, "it last ran"},
	} {
		f := newFixture(t)
		f.params.Timer = fakeTimer{c.st}
		u := f.start(t)
		u.showSettings()
		eventually(t, c.want, func() bool { return contains(u.window.Canvas().Overlays().Top(), c.want) })
	}
}
