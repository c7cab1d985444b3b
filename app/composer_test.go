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

// storedDraft returns the only draft in the store.
func (f *fixture) storedDraft(t *testing.T) drafts.Draft {
	t.Helper()
	ds, _ := f.drafts.Drafts()
	if len(ds) != 1 {
		t.Fatalf("%d drafts stored, want 1", len(ds))
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
	if !strings.HasPrefix(c.status.Text, "Draft saved at") {
		t.Errorf("status %q", c.status.Text)
	}
	if got := c.counters["en"].Text; got != "Demo 15/40" {
		t.Errorf("counter %q", got)
	}
	test.Type(c.texts["en"], strings.Repeat(" more", 6))
	if c.counters["en"].Importance != widget.DangerImportance {
		t.Errorf("over the limit, the counter %q is not marked", c.counters["en"].Text)
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
	if !strings.Contains(c.when.Text, "Vienna time") {
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
	test.Tap(findButton(past.win.Content(), "Publish"))
	eventually(t, "a past schedule refused", func() bool {
		overlay := past.win.Canvas().Overlays().Top()
		return overlay != nil && contains(overlay, "The scheduled time has already passed.")
	})
}

func TestDraftReopensExactlyAsLeft(t *testing.T) {
	f, u, c := composeFor(t, "the-hague-demo")
	test.Type(c.texts["nl"], "Fijne feestdagen")
	test.Type(c.warning, "holiday")
	c.saver.flush()
	c.win.Close()
	u.showDrafts()
	overlay := u.window.Canvas().Overlays().Top()
	if !contains(overlay, "Fijne feestdagen — the-hague-demo") {
		t.Fatalf("drafts list shows %q", texts(overlay))
	}
	test.Tap(findButton(overlay, "Open"))
	again := u.openComposer(f.storedDraft(t))
	if !again.checks["the-hague-demo"].Checked || again.texts["nl"].Text != "Fijne feestdagen" || again.warning.Text != "holiday" {
		t.Errorf("reopened: targets %v, nl %q, warning %q", again.draft.Targets, again.texts["nl"].Text, again.warning.Text)
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
		if got := c.texts["en"].Text; got != text {
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
	test.Type(entriesIn(c.images)[0], "The chancery's front door")
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
	test.Tap(findButton(demoPost.win.Content(), "Publish"))
	eventually(t, "images on a network without media refused", func() bool {
		overlay := demoPost.win.Canvas().Overlays().Top()
		return overlay != nil && contains(overlay, "cannot publish images")
	})
}

func TestADraftOpensInOneWindowOnly(t *testing.T) {
	f := newFixture(t)
	u := f.start(t)
	c := u.openComposer(drafts.Draft{})
	if again := u.openComposer(f.storedDraft(t)); again != c {
		t.Error("the same draft opened in a second window")
	}
	c.close()
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
	if _, open := u.composers[c.draft.ID]; !open {
		t.Fatal("the window closed although its text was not saved")
	}
	if overlay := c.win.Canvas().Overlays().Top(); overlay == nil || !contains(overlay, "could not be saved") {
		t.Error("no explanation")
	}
	f.drafts.mu.Lock()
	f.drafts.broken = nil
	f.drafts.mu.Unlock()
	c.close()
	if got := f.storedDraft(t).Text("en"); got != "precious words" {
		t.Errorf("after the disk recovered: %q", got)
	}
}
