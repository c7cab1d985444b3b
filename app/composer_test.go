package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/drafts"
	"chancery/feeds"
)

// composeFor opens the window on a fixture and a composer with one target.
func composeFor(t *testing.T, target string) (*fixture, *ui, *composer) {
	t.Helper()
	f := newFixture(t)
	u := f.start(t)
	c := u.openComposer(drafts.Draft{})
	test.Tap(c.checks[target])
	return f, u, c
}

// storedDraft returns the only draft in the store, or an empty draft while
// none is stored yet.
func (f *fixture) storedDraft(t *testing.T) drafts.Draft {
	t.Helper()
	ds, _ := f.drafts.Drafts()
	if len(ds) > 1 {
		t.Fatalf("%d drafts stored, want 1", len(ds))
	}
	if len(ds) == 0 {
		return drafts.Draft{}
	}
	return ds[0]
}

func TestComposerSavesEveryChangeAndCounts(t *testing.T) {
	f, _, c := composeFor(t, "vienna-demo")
	if _, ok := c.texts["de"]; !ok {
		t.Error("choosing the Vienna account did not add a German variant")
	}
	test.Type(c.texts["en"], "Consular notice")
	test.Type(c.texts["fr"], "Avis consulaire")
	eventually(t, "autosave", func() bool {
		d := f.storedDraft(t)
		return d.Text("en") == "Consular notice" && d.Text("fr") == "Avis consulaire" && len(d.Targets) == 1
	})
	// The status follows the save: the draft is in storage before the
	// window is told.
	eventually(t, "saved status", func() bool { return strings.HasPrefix(c.status.Text, "Draft saved at") })
	eventually(t, "counter", func() bool { return c.counters["en"].Text == "Demo 15/40" })
	if c.publishBtn.Disabled() {
		t.Error("Publish disabled within the limit")
	}
	test.Type(c.texts["en"], strings.Repeat(" more", 6))
	eventually(t, "over the limit, the counter marked and Publish disabled", func() bool {
		return c.counters["en"].Importance == widget.DangerImportance && c.publishBtn.Disabled()
	})
	want := "Publish is unavailable: The EN text is 5 characters too long for Vienna · @vienna@demo (45/40)."
	if c.blocked.Text != want || !c.blocked.Visible() {
		t.Errorf("reason %q, want %q", c.blocked.Text, want)
	}
	for range 5 {
		c.texts["en"].TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
	}
	eventually(t, "Publish enabled again", func() bool { return !c.publishBtn.Disabled() && !c.blocked.Visible() })
	if got := c.texts["en"].Text(); got != "Consular notice more more more more more" {
		t.Errorf("text %q", got)
	}
}

func TestComposerWarnsWhenOneOfficialLanguageIsMissing(t *testing.T) {
	f, u, c := composeFor(t, "beijing-demo")
	test.Type(c.texts["en"], "Visa fraud warning")
	test.Type(c.texts["zh-Hans"], "签证诈骗提醒")
	test.Tap(findButton(c.win.Content(), "Publish"))
	overlay := c.win.Canvas().Overlays().Top()
	if overlay == nil || !contains(overlay, "This post has no French version") {
		t.Fatalf("no official-languages warning")
	}
	test.Tap(findButton(overlay, "Publish anyway"))
	eventually(t, "both variants published", func() bool { return len(f.net.sent()) == 2 })
	got := f.net.sent()
	if got[0].Lang != "en" || got[1].Lang != "zh-Hans" || got[0].IdempotencyKey == "" {
		t.Errorf("published %+v", got)
	}
	if ds, _ := f.drafts.Drafts(); len(ds) != 0 {
		t.Errorf("the published draft is still listed")
	}
	eventually(t, "outbox status", func() bool { return u.outboxStatus.Text == "" })
}

func TestComposerWithBothOfficialLanguagesPublishesWithoutAsking(t *testing.T) {
	f, _, c := composeFor(t, "washington-demo")
	test.Type(c.texts["en"], "Hello")
	test.Type(c.texts["fr"], "Bonjour")
	test.Tap(findButton(c.win.Content(), "Publish"))
	if c.win.Canvas().Overlays().Top() != nil {
		t.Fatal("asked although both official languages are there")
	}
	eventually(t, "published", func() bool { return len(f.net.sent()) == 2 })
}

func TestComposerSchedulesInTheMissionsTimeZone(t *testing.T) {
	f, u, c := composeFor(t, "vienna-demo")
	test.Type(c.texts["en"], "Scheduled")
	test.Type(c.texts["fr"], "Programmé")
	test.Tap(c.scheduled)
	c.day.SetText("2026-12-05")
	c.hour.SetText("09:30")
	vienna, _ := time.LoadLocation("Europe/Vienna")
	want := time.Date(2026, 12, 5, 9, 30, 0, 0, vienna)
	if !strings.HasPrefix(c.when.Text, "Vienna 09:30 · ") {
		t.Errorf("schedule says %q", c.when.Text)
	}
	eventually(t, "schedule saved", func() bool { return f.storedDraft(t).ScheduledAt.Equal(want) })
	if z := f.storedDraft(t).Zone; z != "Europe/Vienna" {
		t.Errorf("zone %q", z)
	}
	test.Tap(findButton(c.win.Content(), "Publish"))
	eventually(t, "queued", func() bool { es, _ := f.drafts.Entries(); return len(es) == 2 })
	es, _ := f.drafts.Entries()
	if !es[0].NotBefore.Equal(want) || len(f.net.sent()) != 0 {
		t.Errorf("scheduled entry %+v went out early (%d sent)", es[0], len(f.net.sent()))
	}

	past := u.openComposer(drafts.Draft{})
	test.Tap(past.checks["vienna-demo"])
	test.Type(past.texts["en"], "Too late")
	test.Type(past.texts["fr"], "Trop tard")
	test.Tap(past.scheduled)
	past.day.SetText("2026-11-01")
	eventually(t, "a past schedule refused inline", func() bool {
		return past.when.Text == "The scheduled time has already passed." && past.when.Importance == widget.DangerImportance &&
			past.publishBtn.Disabled() && past.blocked.Text == "Publish is unavailable: The scheduled time has already passed."
	})
	past.publishKey()
	if es, _ := f.drafts.Entries(); len(es) != 2 || past.win.Canvas().Overlays().Top() != nil {
		t.Errorf("Ctrl+Enter with a past schedule queued %d entries", len(es)-2)
	}
}

func TestDraftReopensExactlyAsLeft(t *testing.T) {
	_, u, c := composeFor(t, "the-hague-demo")
	test.Type(c.texts["nl"], "Fijne feestdagen")
	test.Type(c.warning, "holiday")
	c.close()
	eventually(t, "closed", func() bool { _, open := u.composers[c.draft.ID]; return !open })
	u.showDrafts()
	var overlay fyne.CanvasObject
	eventually(t, "drafts listed", func() bool { overlay = u.window.Canvas().Overlays().Top(); return overlay != nil })
	if !contains(overlay, "Fijne feestdagen — The Hague · @the-hague@demo — edited now (12:00)") {
		t.Fatalf("drafts list shows %q", texts(overlay))
	}
	test.Tap(findButton(overlay, "Open"))
	again := u.composers[c.draft.ID]
	if again == nil {
		t.Fatal("Open did not open the draft")
	}
	if !again.checks["the-hague-demo"].Checked || again.texts["nl"].Text() != "Fijne feestdagen" || again.warning.Text != "holiday" {
		t.Errorf("reopened: targets %v, nl %q, warning %q", again.draft.Targets, again.texts["nl"].Text(), again.warning.Text)
	}
}

// Typing one key at a time, with the window drawn between keys as a real
// one is, must give exactly the text typed, whatever the column width.
func TestComposerKeepsEveryTypedCharacter(t *testing.T) {
	const text = "Visa fraud warning: we never ask for payment by gift card or transfer."
	for _, width := range []float32{700, 760, 820, 880, 940, 1000} {
		f := newFixture(t)
		u := f.start(t)
		c := u.openComposer(drafts.Draft{})
		c.win.Resize(fyne.NewSize(width, 500))
		test.Tap(c.checks["washington-demo"])
		c.win.Canvas().Focus(c.texts["en"])
		for _, r := range text {
			c.win.Canvas().Focused().TypedRune(r)
			test.RenderObjectToMarkup(c.texts["en"])
		}
		if got := c.texts["en"].Text(); got != text {
			t.Errorf("at width %v the entry holds %q", width, got)
		}
		c.win.Close()
	}
}

func TestComposerAttachesDescribedImagesAndChoosesAnAudience(t *testing.T) {
	f := newFixture(t)
	masto := &scriptedNetwork{id: accounts.Mastodon, posts: f.net.posts, media: true}
	reg := feeds.Registry{accounts.Demo: f.net, accounts.Mastodon: masto}
	ws := f.params.Workspace.(*accounts.Workspace)
	f.params.Publishing = drafts.NetworkPublisher{Accounts: ws, Networks: reg}
	f.params.Outbox = drafts.NewOutbox(f.drafts, f.params.Publishing.(drafts.NetworkPublisher), func() time.Time { return testNow })
	f.params.Refresher = feeds.NewRefresher(reg, f.store, func() time.Time { return testNow })
	if err := f.store.PutAccount(accounts.Account{ID: "v-m", Mission: "vienna", Network: accounts.Mastodon, Server: "https://m.example", Handle: "@amb@m.example"}); err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(t.TempDir(), "door.png")
	if err := os.WriteFile(img, pngBytes(t), 0o600); err != nil {
		t.Fatal(err)
	}
	u := f.start(t)
	c := u.openComposer(drafts.Draft{})
	if c.audience.Visible() {
		t.Error("audience offered with no Mastodon target")
	}
	test.Tap(c.checks["v-m"])
	if !c.audience.Visible() {
		t.Fatal("no audience choice for a Mastodon target")
	}
	c.visibility.SetSelected("Followers only")
	c.attach(img)
	test.Type(fieldsIn(c.images)[0], "The chancery's front door")
	test.Type(c.texts["en"], "Open house")
	test.Type(c.texts["fr"], "Portes ouvertes")
	eventually(t, "saved", func() bool {
		d := f.storedDraft(t)
		return len(d.Media) == 1 && d.Media[0].Alt == "The chancery's front door" && d.Visibility == "private"
	})
	test.Tap(findButton(c.win.Content(), "Publish"))
	eventually(t, "published", func() bool { return len(masto.sent()) == 2 })
	got := masto.sent()[0]
	if got.Visibility != "private" || len(got.Media) != 1 || got.Media[0].Alt != "The chancery's front door" || got.Media[0].MIME != "image/png" {
		t.Errorf("published %+v", got)
	}

	demoPost := u.openComposer(drafts.Draft{})
	test.Tap(demoPost.checks["vienna-demo"])
	demoPost.attach(img)
	test.Type(demoPost.texts["en"], "Hello")
	test.Type(demoPost.texts["fr"], "Bonjour")
	eventually(t, "images on a network without media refused", func() bool {
		return demoPost.publishBtn.Disabled() && strings.Contains(demoPost.blocked.Text, "cannot publish images")
	})
}

// fieldsIn returns the composer's one-line fields under o.
func fieldsIn(o fyne.CanvasObject) []*composerField {
	var out []*composerField
	for _, obj := range visible(o) {
		if f, ok := obj.(*composerField); ok {
			out = append(out, f)
		}
	}
	return out
}

func TestADraftOpensInOneWindowOnly(t *testing.T) {
	f := newFixture(t)
	u := f.start(t)
	c := u.openComposer(drafts.Draft{})
	test.Type(c.texts["fr"], "Bonjour")
	c.saver.flush()
	if again := u.openComposer(f.storedDraft(t)); again != c {
		t.Error("the same draft opened in a second window")
	}
	c.close()
	eventually(t, "closed", func() bool { _, open := u.composers[c.draft.ID]; return !open })
	if again := u.openComposer(f.storedDraft(t)); again == c {
		t.Error("a closed composer was reused")
	}
}

func TestQuittingSavesTheLastKeystrokes(t *testing.T) {
	f := newFixture(t)
	u := f.start(t)
	c := u.openComposer(drafts.Draft{})
	test.Type(c.texts["en"], "typed just before quitting")
	u.quit()
	if got := f.storedDraft(t).Text("en"); got != "typed just before quitting" {
		t.Errorf("saved %q", got)
	}
}

func TestComposerStaysOpenWhenItCannotSave(t *testing.T) {
	f := newFixture(t)
	u := f.start(t)
	c := u.openComposer(drafts.Draft{})
	f.drafts.mu.Lock()
	f.drafts.broken = fmt.Errorf("disk full")
	f.drafts.mu.Unlock()
	test.Type(c.texts["en"], "precious words")
	c.close()
	var overlay fyne.CanvasObject
	eventually(t, "an explanation", func() bool { overlay = c.win.Canvas().Overlays().Top(); return overlay != nil })
	if !contains(overlay, "could not be saved") {
		t.Errorf("explanation %q", texts(overlay))
	}
	if _, open := u.composers[c.draft.ID]; !open {
		t.Fatal("the window closed although its text was not saved")
	}
	test.Tap(findButton(overlay, "Close"))
	f.drafts.mu.Lock()
	f.drafts.broken = nil
	f.drafts.mu.Unlock()
	c.close()
	eventually(t, "closed", func() bool { _, open := u.composers[c.draft.ID]; return !open })
	if got := f.storedDraft(t).Text("en"); got != "precious words" {
		t.Errorf("after the disk recovered: %q", got)
	}
}
