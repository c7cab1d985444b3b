package drafts_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/drafts"
	"chancery/storage"
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

// missionDrafts returns a draft service that publishes each target's
// mission languages, over a default workspace in db.
func missionDrafts(t *testing.T, db *storage.DB) (*drafts.Service, *accounts.Workspace) {
	t.Helper()
	ws := accounts.NewWorkspace(db, nil, nil)
	if _, err := ws.EnsureDefault(); err != nil {
		t.Fatal(err)
	}
	return drafts.NewService(db, nil, drafts.WithLanguages(ws)), ws
}

func fiveLanguageDraft(t *testing.T, svc *drafts.Service, targets ...string) drafts.Draft {
	t.Helper()
	d, err := svc.New(targets)
	if err != nil {
		t.Fatal(err)
	}
	d.SetText("en", "Consular hours change on Friday.")
	d.SetText("fr", "Les heures du consulat changent vendredi.")
	d.SetText("de", "Die Öffnungszeiten ändern sich am Freitag.")
	d.SetText("zh-Hans", "领事办公时间周五调整。")
	d.SetText("nl", "De openingstijden veranderen vrijdag.")
	return d
}

func accountLangs(es []drafts.Entry) string {
	var got []string
	for _, e := range es {
		got = append(got, e.Account+"/"+e.Lang)
	}
	return strings.Join(got, " ")
}

func TestEachTargetPublishesOnlyItsMissionsLanguages(t *testing.T) {
	db := openDB(t)
	svc, _ := missionDrafts(t, db)
	d := fiveLanguageDraft(t, svc, "vienna-demo", "beijing-demo")

	plan, err := svc.Plan(d)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(plan.Unpublished, " "); got != "nl" {
		t.Errorf("unpublished %q, want nl", got)
	}
	entries, err := svc.Submit(d, lengthChecker{max: 500})
	if err != nil {
		t.Fatal(err)
	}
	want := "vienna-demo/en vienna-demo/fr vienna-demo/de beijing-demo/en beijing-demo/fr beijing-demo/zh-Hans"
	if got := accountLangs(entries); got != want {
		t.Errorf("queued %s\nwant   %s", got, want)
	}
	stored, _ := db.Entries()
	if got := accountLangs(stored); got != want {
		t.Errorf("stored %s", got)
	}
	for _, e := range stored {
		if e.Text != d.Text(e.Lang) {
			t.Errorf("%s/%s carries %q", e.Account, e.Lang, e.Text)
		}
	}
}

func TestAHostLanguageChangeChangesWhatIsQueued(t *testing.T) {
	db := openDB(t)
	svc, ws := missionDrafts(t, db)
	if _, err := ws.SetHostLanguage("vienna", "none"); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.SetHostLanguage("new-york", "nl"); err != nil {
		t.Fatal(err)
	}
	d := fiveLanguageDraft(t, svc, "vienna-demo", "new-york-demo")
	entries, err := svc.Submit(d, lengthChecker{max: 500})
	if err != nil {
		t.Fatal(err)
	}
	if got := accountLangs(entries); got != "vienna-demo/en vienna-demo/fr new-york-demo/en new-york-demo/fr new-york-demo/nl" {
		t.Errorf("queued %s", got)
	}
}

func TestATargetWithNoneOfItsLanguagesWrittenIsRefusedByName(t *testing.T) {
	db := openDB(t)
	svc, _ := missionDrafts(t, db)
	d, _ := svc.New([]string{"vienna-demo", "beijing-demo"})
	d.SetText("de", "Nur auf Deutsch.")
	d, _ = svc.Save(d)
	_, err := svc.Submit(d, lengthChecker{max: 500})
	if !errors.Is(err, drafts.ErrNoLanguageForAccount) || !strings.Contains(err.Error(), "beijing-demo") {
		t.Fatalf("submit: %v; want ErrNoLanguageForAccount naming beijing-demo", err)
	}
	if es, _ := db.Entries(); len(es) != 0 {
		t.Errorf("%d entries queued although one target publishes nothing", len(es))
	}
	if _, err := svc.Get(d.ID); err != nil {
		t.Errorf("the refused draft is gone: %v", err)
	}
	d.Targets = []string{"vienna-demo", "nobody"}
	if _, err := svc.Submit(d, lengthChecker{max: 500}); !errors.Is(err, accounts.ErrNoAccount) {
		t.Errorf("unknown target: %v", err)
	}
}

func TestPlanChecksOfficialLanguagesPerAccount(t *testing.T) {
	var d drafts.Draft
	d.Targets = []string{"a", "b", "c"}
	d.SetText("en", "Hello")
	d.SetText("fr", "Bonjour")
	d.SetText("de", "Hallo")
	d.SetText("es", " ")
	plan := drafts.PlanFor(d, map[string][]string{
		"a": {"en", "fr", "de"},
		"b": {"en", "de"}, // not a real mission: shows the check is per account
		"c": {"nl"},
	})
	cases := []struct{ langs, missing string }{
		{"en fr de", ""},
		{"en de", "fr"},
		{"", ""},
	}
	for i, c := range cases {
		got := plan.Targets[i]
		if strings.Join(got.Langs, " ") != c.langs || got.MissingOfficial != c.missing {
			t.Errorf("%s: langs %v missing %q; want %q missing %q", got.Account, got.Langs, got.MissingOfficial, c.langs, c.missing)
		}
	}
	if len(plan.Unpublished) != 0 {
		t.Errorf("unpublished %v (an empty variant is not written)", plan.Unpublished)
	}
}
