package app

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/drafts"
	"chancery/feeds"
	"chancery/translations"
)

var testNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

type fixture struct {
	maint   *fakeMaintenance
	keyring *switchableKeyring
	signIns *fakeSignIns
	drafts  *memDrafts
	store   *memStore
	net     *scriptedNetwork
	opened  []string
	params  Params
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{store: newMemStore()}
	f.net = &scriptedNetwork{posts: func(a accounts.Account) []feeds.Post {
		return []feeds.Post{
			{ID: "1", Author: a.Mission + " author", Text: "Consular notice for " + a.Mission + " https://example.org/notice", Lang: "en", URL: "https://example.org/posts/" + a.ID, CreatedAt: testNow.Add(-5 * time.Minute), Counts: feeds.Counts{Replies: 1, Reposts: 2, Likes: 3}},
			{ID: "2", Author: a.Mission + " author", Text: "Avis consulaire", Lang: "fr", CreatedAt: testNow.Add(-3 * time.Hour)},
		}
	}}
	f.maint = &fakeMaintenance{size: 40 << 20, retention: 2000}
	f.keyring = &switchableKeyring{secrets: map[string]string{}}
	f.signIns = &fakeSignIns{password: "right"}
	ws := accounts.NewWorkspace(f.store, accounts.NewSessionSecrets(f.keyring), func() time.Time { return testNow })
	if _, err := ws.EnsureDefault(); err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return testNow }
	registry := feeds.Registry{accounts.Demo: f.net}
	f.drafts = newMemDrafts()
	pub := drafts.NetworkPublisher{Accounts: ws, Networks: registry}
	f.params = Params{
		Admin:          ws,
		Maintenance:    f.maint,
		SignIns:        f.signIns,
		Drafts:         drafts.NewService(f.drafts, clock, drafts.WithLanguages(ws)),
		Missions:       ws,
		Outbox:         drafts.NewOutbox(f.drafts, pub, clock),
		Publishing:     pub,
		Workspace:      ws,
		Timelines:      f.store,
		Refresher:      feeds.NewRefresher(registry, f.store, clock),
		Prefs:          f.store,
		SystemLanguage: "en",
		Now:            func() time.Time { return testNow },
		OpenURL:        func(u *url.URL) error { f.opened = append(f.opened, u.String()); return nil },
	}
	return f
}

func (f *fixture) start(t *testing.T) *ui {
	t.Helper()
	a := test.NewTempApp(t)
	u := newUI(a, f.params)
	u.window.Resize(fyne.NewSize(1400, 800))
	u.window.Show()
	return u
}

// uiQueue stands in for the UI goroutine: background work queues its UI
// updates, and the test goroutine runs them, so widgets are only ever touched
// from the test goroutine.
type uiQueue struct {
	mu  sync.Mutex
	fns []func()
}

func (q *uiQueue) do(fn func()) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.fns = append(q.fns, fn)
}

func (q *uiQueue) drain() {
	for {
		q.mu.Lock()
		fns := q.fns
		q.fns = nil
		q.mu.Unlock()
		if len(fns) == 0 {
			return
		}
		for _, fn := range fns {
			fn()
		}
	}
}

var queue = &uiQueue{}

func TestMain(m *testing.M) {
	uiDo = queue.do
	os.Exit(m.Run())
}

// eventually runs queued UI work until cond holds, failing after a deadline
// generous enough for a busy machine running the race detector.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		queue.drain()
		if cond() {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func TestMainWindowShowsFiveMissionColumns(t *testing.T) {
	f := newFixture(t)
	u := f.start(t)
	if got := u.window.Title(); got != "Chancery" {
		t.Errorf("title %q", got)
	}
	if len(u.columns) != 5 {
		t.Fatalf("%d columns, want 5", len(u.columns))
	}
	want := []string{"Vienna", "The Hague", "Beijing", "New York", "Washington"}
	for i, c := range u.columns {
		if c.title.Text != want[i] {
			t.Errorf("column %d titled %q, want %q", i, c.title.Text, want[i])
		}
	}
	eventually(t, "posts in every column", func() bool {
		for _, c := range u.columns {
			if len(c.posts) != 2 || c.refreshed.IsZero() {
				return false
			}
		}
		return true
	})
	content := u.window.Content()
	if contains(content, "Demo · @vienna@demo") || !contains(content, "1 account") {
		t.Error("a column's accounts are not folded into its header")
	}
	test.Tap(u.columns[0].toggle)
	for _, s := range []string{"Consular notice for vienna", "13:00 local", "Refreshed now", "Demo · @vienna@demo", "5 min ago", "3 h ago", "EN · 1 reply · 2 reposts · 3 likes"} {
		if !contains(content, s) {
			t.Errorf("window does not show %q; it shows %q", s, texts(content))
		}
	}
	// Beijing's clock is in its own zone (UTC+8).
	if got := u.columns[2].clock.Text; got != "20:00 local" {
		t.Errorf("Beijing clock %q", got)
	}
}

func TestOfflineShowsCacheAndOneBannerThenCatchesUp(t *testing.T) {
	f := newFixture(t)
	ws := f.params.Workspace.(*accounts.Workspace)
	accts, _ := ws.Accounts()
	cached := feeds.Post{ID: "c1", Author: "Cache", Text: "Seen before the flight", CreatedAt: testNow.Add(-48 * time.Hour)}
	if _, err := f.store.PutPosts(feeds.TimelineKey{Account: accts[0].ID, Kind: feeds.Home}, []feeds.Post{cached}, testNow.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	f.net.fail(fmt.Errorf("dial: %w", feeds.ErrOffline))
	u := f.start(t)
	var col *column
	eventually(t, "cached post and the offline banner", func() bool {
		col = u.byAcct[accts[0].ID]
		return len(col.posts) == 1 && u.offline.Visible()
	})
	if !contains(col.root, "Seen before the flight") || !contains(col.root, "Offline · refreshed 1 h ago") {
		t.Errorf("column shows %q", texts(col.root))
	}
	if !contains(u.window.Content(), "Offline: showing what was saved.") {
		t.Error("no offline banner")
	}
	for _, c := range u.columns {
		if len(c.problems.Objects) != 0 {
			t.Errorf("column %s shows its own offline error: %q", c.mission.ID, texts(c.problems))
		}
	}
	f.net.fail(nil)
	u.refreshAll()
	eventually(t, "caught up", func() bool { return len(col.posts) == 3 && !u.offline.Visible() })
	if !contains(col.root, "Refreshed now") {
		t.Errorf("column after reconnecting: %q", texts(col.root))
	}
}

func TestFailedRefreshShowsInlineErrorWithRetry(t *testing.T) {
	f := newFixture(t)
	f.net.fail(fmt.Errorf("http 401: %w", feeds.ErrUnauthorized))
	u := f.start(t)
	col := u.columns[0]
	eventually(t, "inline error", func() bool { return len(col.problems.Objects) == 1 })
	if !contains(col.root, "Sign in again to continue.") || findButton(col.root, "Sign in again") == nil {
		t.Errorf("column shows %q", texts(col.root))
	}
	retry := findButton(col.root, "Retry")
	if retry == nil {
		t.Fatal("no Retry button")
	}
	f.net.fail(nil)
	test.Tap(retry)
	eventually(t, "retry succeeds", func() bool { return len(col.posts) == 2 && len(col.problems.Objects) == 0 })
}

func TestRemoveDemoAccountAsksThenRemoves(t *testing.T) {
	f := newFixture(t)
	u := f.start(t)
	eventually(t, "posts", func() bool { return len(u.columns[0].posts) == 2 })
	menu := u.columns[0].accountMenuItems(u.columns[0].accts[0])
	remove := menu[len(menu)-1]
	if remove.Label != "Remove" || len(menu) != 6 || menu[0].Label != "Move to The Hague" {
		t.Fatalf("account menu: %q … %q (%d items)", menu[0].Label, remove.Label, len(menu))
	}
	remove.Action()
	overlay := u.window.Canvas().Overlays().Top()
	if overlay == nil || !contains(overlay, "Remove @vienna@demo from this mission?") {
		t.Fatal("no confirmation dialog")
	}
	test.Tap(findButton(overlay, "Remove"))
	eventually(t, "account removed", func() bool {
		as, _ := f.store.Accounts()
		return len(as) == 4 && len(u.columns[0].accts) == 0
	})
	if !contains(u.columns[0].root, "No accounts in this mission.") {
		t.Errorf("column shows %q", texts(u.columns[0].root))
	}
	if ps, _ := f.store.Posts(feeds.TimelineKey{Account: "vienna-demo", Kind: feeds.Home}, 10); len(ps) != 0 {
		t.Errorf("cached posts of the removed account remain: %d", len(ps))
	}
}

func TestLanguageSettingSwitchesAndPersists(t *testing.T) {
	t.Setenv("LANGUAGE", "")
	t.Cleanup(func() { followLanguage("") })
	f := newFixture(t)
	u := f.start(t)
	u.showSettings()
	overlay := u.window.Canvas().Overlays().Top()
	selects := findSelects(overlay)
	if len(selects) != 3 {
		t.Fatalf("settings show %d choices, want language, refresh interval and retention", len(selects))
	}
	selects[0].SetSelected("Français")
	selects[1].SetSelected("Every 15 minutes")
	selects[2].SetSelected("500 posts")
	eventually(t, "the database size", func() bool { return contains(overlay, "40.0 MB") })
	test.Tap(findButton(overlay, "Compact now"))
	eventually(t, "compacted", func() bool { return contains(overlay, "40.0 MB → 10.0 MB") })
	test.Tap(findButton(overlay, "Save"))
	eventually(t, "retention saved", func() bool { return f.maint.Retention() == 500 })
	if got := time.Duration(u.interval.Load()); got != 15*time.Minute {
		t.Errorf("auto-refresh interval %v", got)
	}
	if got := lang.L("Cancel"); got != "Annuler" {
		t.Errorf("Fyne's own texts did not follow: Cancel is %q", got)
	}
	if got := u.columns[1].title.Text; got != "La Haye" {
		t.Errorf("after switching to French, column 2 is %q", got)
	}
	test.Tap(u.columns[0].toggle)
	if !contains(u.window.Content(), "Ajouter un compte") || !contains(u.window.Content(), "Nouvelle publication") {
		t.Errorf("French labels missing: %q", texts(u.window.Content()))
	}
	// The settings are written off the UI goroutine, after the window
	// changed.
	eventually(t, "settings saved", func() bool {
		raw, _, _ := f.store.Setting(settingsKey)
		var s guiSettings
		return json.Unmarshal(raw, &s) == nil && s.Language == "fr" && s.RefreshMinutes == 15
	})
	// A new window on the same profile starts in French.
	u2 := f.start(t)
	if got := u2.columns[2].title.Text; got != "Pékin" {
		t.Errorf("restarted column 3 is %q", got)
	}
}

func TestWindowSizeAndColumnWidthsAreRemembered(t *testing.T) {
	f := newFixture(t)
	u := f.start(t)
	u.splits[0].SetOffset(0.3)
	u.splits[2].SetOffset(0.6)
	u.window.Resize(fyne.NewSize(1234, 777))
	u.quit()
	u.shutdown() // what Run does once the window's loop has ended
	raw, ok, _ := f.store.Setting(settingsKey)
	if !ok {
		t.Fatal("settings not saved on close")
	}
	var s guiSettings
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	if s.Width != 1234 || s.Height != 777 || len(s.Splits) != 4 || s.Splits[0] != 0.3 || s.Splits[2] != 0.6 {
		t.Errorf("saved %+v", s)
	}
	u2 := newUI(test.NewTempApp(t), f.params)
	if got := u2.splits[0].Offset; got != 0.3 {
		t.Errorf("restored first split %v", got)
	}
	if got := u2.splits[1].Offset; got != 0.25 { // one of the four columns it splits
		t.Errorf("restored second split %v", got)
	}
}

func TestTappingALinkOpensOnlyWebLinks(t *testing.T) {
	var opened []string
	open := func(u *url.URL) { opened = append(opened, u.String()) }
	segs := bodySegments("See https://example.org/a. Not javascript:alert(1) nor file:///etc/passwd, and http://x.test/b)", open)
	var links []string
	for _, s := range segs {
		if h, ok := s.(*widget.HyperlinkSegment); ok {
			links = append(links, h.URL.String())
			h.OnTapped()
		}
	}
	want := []string{"https://example.org/a", "http://x.test/b"}
	if fmt.Sprint(links) != fmt.Sprint(want) || fmt.Sprint(opened) != fmt.Sprint(want) {
		t.Errorf("links %q opened %q, want %q", links, opened, want)
	}
	var text strings.Builder
	for _, s := range segs {
		text.WriteString(s.Textual())
	}
	if !strings.Contains(text.String(), "javascript:alert(1)") {
		t.Errorf("plain text lost: %q", text.String())
	}
}

func TestPostDetailsShowAbsoluteTimes(t *testing.T) {
	f := newFixture(t)
	u := f.start(t)
	eventually(t, "posts", func() bool { return len(u.columns[2].posts) == 2 })
	u.columns[2].list.Select(0)
	overlay := u.window.Canvas().Overlays().Top()
	if overlay == nil {
		t.Fatal("no detail dialog")
	}
	for _, s := range []string{"Beijing time: November 28, 2026, 19:55 CST", "Open in browser"} {
		if !contains(overlay, s) {
			t.Errorf("details lack %q: %q", s, texts(overlay))
		}
	}
	test.Tap(findButton(overlay, "Open in browser"))
	if fmt.Sprint(f.opened) != "[https://example.org/posts/beijing-demo]" {
		t.Errorf("opened %q", f.opened)
	}
}

func TestRowsHaveOneHeightWhateverTheText(t *testing.T) {
	test.NewTempApp(t)
	loc := translations.New("en")
	long := feeds.Post{ID: "1", Author: "A", Text: strings.Repeat("Une déclaration plus longue sur la politique étrangère. ", 40)}
	short := feeds.Post{ID: "2", Author: "B", Text: "Short."}
	var heights []float32
	for _, p := range []feeds.Post{long, short} {
		r := newPostRow()
		r.set(newEntry(p), loc, testNow, false, 300)
		r.Resize(fyne.NewSize(300, r.MinSize().Height))
		heights = append(heights, r.MinSize().Height)
		if got := r.body.MinSize().Height; got > r.heights[1] {
			t.Errorf("post %s: body wants %v, the row gives it %v", p.ID, got, r.heights[1])
		}
	}
	if heights[0] != heights[1] || heights[0] <= 0 {
		t.Errorf("row heights %v, want one positive height", heights)
	}
	if n := len([]rune(newEntry(long).text)); n > rowChars+1 {
		t.Errorf("a row lays out %d characters, at most %d", n, rowChars+1)
	}
}
