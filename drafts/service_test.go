package drafts_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"chancery/drafts"
)

func TestDraftLifecycle(t *testing.T) {
	db := openDB(t)
	clock := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	svc := drafts.NewService(db, func() time.Time { return clock })
	d, err := svc.New([]string{"vienna-demo"})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := svc.New([]string{"beijing-demo"})
	d.SetText("en", "Consular hours change on Friday.")
	d.SetText("fr", "Les heures du consulat changent vendredi.")
	d.SetText("en", "Consular hours change on Friday, 5 December.")
	clock = clock.Add(time.Minute)
	if _, err := svc.Save(d); err != nil {
		t.Fatal(err)
	}
	got, err := svc.Get(d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text("en") != "Consular hours change on Friday, 5 December." || got.Text("fr") == "" || len(got.Variants) != 2 {
		t.Errorf("reopened draft: %+v", got)
	}
	if !got.UpdatedAt.Equal(clock) {
		t.Errorf("updated at %v, want %v", got.UpdatedAt, clock)
	}
	list, _ := svc.List()
	if len(list) != 2 || list[0].ID != d.ID {
		t.Errorf("list order: %v then %v (want the last edited first)", list[0].ID, other.ID)
	}
	if err := svc.Delete(other.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Get(other.ID); !errors.Is(err, drafts.ErrNoDraft) {
		t.Errorf("deleted draft: %v", err)
	}
	if err := svc.Delete("nope"); !errors.Is(err, drafts.ErrNoDraft) {
		t.Errorf("deleting a missing draft: %v", err)
	}
}

func TestSubmitQueuesEveryVariantOnEveryTargetAtomically(t *testing.T) {
	db := openDB(t)
	svc := drafts.NewService(db, nil)
	d, _ := svc.New([]string{"vienna-demo", "the-hague-demo"})
	d.SetText("en", "Happy holidays")
	d.SetText("fr", "Joyeuses fêtes")
	d.SetText("de", "  ")
	d, _ = svc.Save(d)

	if _, err := svc.Submit(d, lengthChecker{max: 10}); !errors.Is(err, drafts.ErrTooLong) {
		t.Fatalf("too long: %v", err)
	}
	if _, err := svc.Get(d.ID); err != nil {
		t.Fatalf("a refused submit lost the draft: %v", err)
	}
	if es, _ := db.Entries(); len(es) != 0 {
		t.Fatalf("a refused submit queued %d entries", len(es))
	}

	entries, err := svc.Submit(d, lengthChecker{max: 500})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Account+"/"+e.Lang)
		if e.State != drafts.Queued || e.ID == "" {
			t.Errorf("entry %+v", e)
		}
	}
	if strings.Join(got, " ") != "vienna-demo/en vienna-demo/fr the-hague-demo/en the-hague-demo/fr" {
		t.Errorf("entries %v", got)
	}
	if _, err := svc.Get(d.ID); !errors.Is(err, drafts.ErrNoDraft) {
		t.Errorf("submitted draft still listed: %v", err)
	}
	stored, _ := db.Entries()
	if len(stored) != 4 || stored[0].ID != entries[0].ID || stored[3].ID != entries[3].ID {
		t.Errorf("stored queue order differs: %d entries", len(stored))
	}
}

func TestSubmitRefusesEmptyDrafts(t *testing.T) {
	svc := drafts.NewService(openDB(t), nil)
	d, _ := svc.New(nil)
	d.SetText("en", "text")
	if _, err := svc.Submit(d, lengthChecker{max: 500}); !errors.Is(err, drafts.ErrNoTargets) {
		t.Errorf("no targets: %v", err)
	}
	d.Targets = []string{"a"}
	d.SetText("en", " \n")
	if _, err := svc.Submit(d, lengthChecker{max: 500}); !errors.Is(err, drafts.ErrEmptyDraft) {
		t.Errorf("empty: %v", err)
	}
}

func TestMissingOfficialLanguage(t *testing.T) {
	cases := []struct {
		en, fr, de, want string
	}{
		{"Hello", "", "", "fr"},
		{"", "Bonjour", "", "en"},
		{"Hello", "Bonjour", "", ""},
		{"", "", "Hallo", ""},
		{" ", "Bonjour", "Hallo", "en"},
	}
	for _, c := range cases {
		var d drafts.Draft
		d.SetText("en", c.en)
		d.SetText("fr", c.fr)
		d.SetText("de", c.de)
		if got := drafts.MissingOfficialLanguage(d); got != c.want {
			t.Errorf("en=%q fr=%q de=%q: got %q, want %q", c.en, c.fr, c.de, got, c.want)
		}
	}
}
