package cli_test

import (
	"strings"
	"testing"
	"time"

	"chancery/drafts"
)

func TestOutboxListShowsEntriesWhoseOutcomeIsUnknown(t *testing.T) {
	p := newPubEnv(t)
	now := time.Now().UTC()
	for _, e := range []drafts.Entry{
		{
			ID: "e1", DraftID: "d1", Account: "vienna-demo", Lang: "fr", Text: "Checking first", State: drafts.Queued,
			Uncertain: true, Attempts: 1, NotBefore: now.Add(time.Hour), CreatedAt: now, UpdatedAt: now,
		},
		{
			ID: "e2", DraftID: "d1", Account: "the-hague-demo", Lang: "fr", Text: "Ask the user", State: drafts.Failed,
			Uncertain: true, Attempts: 1, Error: drafts.ErrUncheckable.Error(), CreatedAt: now, UpdatedAt: now, Seq: 1,
		},
		{
			ID: "e3", DraftID: "d1", Account: "beijing-demo", Lang: "fr", Text: "Plain wait", State: drafts.Queued,
			NotBefore: now.Add(time.Hour), CreatedAt: now, UpdatedAt: now, Seq: 2,
		},
	} {
		if err := p.db.PutEntry(e); err != nil {
			t.Fatal(err)
		}
	}
	uncertain := map[string]any{}
	for _, e := range p.outboxList() {
		uncertain[e["id"].(string)] = e["uncertain"]
	}
	if uncertain["e1"] != true || uncertain["e2"] != true || uncertain["e3"] != false {
		t.Errorf("uncertain in --json: %v", uncertain)
	}
	out := p.ok("", "outbox", "list")
	for _, want := range []string{
		"Outcome unknown · checking before sending again", "May have been published · check the account", "Waiting",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("outbox list lacks %q:\n%s", want, out)
		}
	}
}
