package app

import (
	"testing"

	"chancery/drafts"
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
	u.showOutbox()
	overlay := u.window.Canvas().Overlays().Top()
	if overlay == nil || !contains(overlay, "May have been published") || findButton(overlay, "Retry") == nil {
		t.Fatalf("outbox dialog: %q", texts(overlay))
	}
}
