package storage

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// alertRun opens the profile at path as one run of the app would, puts
// posts into a timeline as a refresh does and returns the alerts raised.
func alertRun(t *testing.T, path string, now time.Time, posts []feeds.Post) []feeds.Alert {
	t.Helper()
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	al := feeds.NewAlerter(db, db, db, func() time.Time { return now })
	if err := al.Prime(); err != nil {
		t.Fatal(err)
	}
	key := feeds.TimelineKey{Account: "vie-1", Kind: feeds.Home}
	added, err := db.PutPosts(key, posts, now)
	if err != nil {
		t.Fatal(err)
	}
	alerts, err := al.Check(feeds.Result{Key: key, Added: added, At: now})
	if err != nil {
		t.Fatal(err)
	}
	return alerts
}

func watchPost(id, text string, at time.Time) feeds.Post {
	return feeds.Post{
		ID: id, Account: "vie-1", Network: accounts.Mastodon, Author: "Anna", AuthorHandle: "@anna@example.org",
		Text: text, CreatedAt: at, URL: "https://example.org/@anna/" + id,
	}
}

func TestWatchAlertsEachNewPostOnceAcrossRestarts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chancery.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.PutMission(accounts.Mission{ID: "vienna", TimeZone: "UTC", HostLanguage: "de", Names: map[string]string{"en": "Vienna"}}); err != nil {
		t.Fatal(err)
	}
	if err := db.PutAccount(accounts.Account{ID: "vie-1", Mission: "vienna", Network: accounts.Mastodon, Server: "https://example.org", Handle: "@embassy"}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	start := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)

	// First run: the backlog, older than the watch, raises nothing.
	if got := alertRun(t, path, start, []feeds.Post{watchPost("old", "Visa fraud warning", start.Add(-time.Hour))}); len(got) != 0 {
		t.Fatalf("backlog alerted: %+v", got)
	}
	// Second run: one new matching post (a German word, accents ignored)
	// and one that does not match.
	later := start.Add(time.Hour)
	got := alertRun(t, path, later, []feeds.Post{
		watchPost("new", "Achtung: BETRUG mit Visa-Terminen", later.Add(-time.Minute)),
		watchPost("other", "Reception tonight", later.Add(-2*time.Minute)),
	})
	if len(got) != 1 || got[0].Post.ID != "new" || got[0].Mission.ID != "vienna" || got[0].Words[0] != "visa" {
		t.Fatalf("second run alerts: %+v", got)
	}
	// Third run, after a restart: the same post refreshed again (an edit
	// counts as new to the cache) never alerts twice; a newer one does.
	edited := watchPost("new", "Achtung: BETRUG mit Visa-Terminen (edited)", later.Add(-time.Minute))
	edited.ID = "new-edit" // another id, the same link: the same post
	edited.URL = "https://example.org/@anna/new"
	third := later.Add(time.Hour)
	got = alertRun(t, path, third, []feeds.Post{edited, watchPost("newer", "passport office closed", third)})
	if len(got) != 1 || got[0].Post.ID != "newer" {
		t.Fatalf("third run alerts: %+v", got)
	}
}

func TestWatchQuietHoursInTheMissionsZoneClaimWithoutAlert(t *testing.T) {
	if _, err := time.LoadLocation("Asia/Shanghai"); err != nil {
		t.Skip("no time zone data")
	}
	db := openTest(t, Options{})
	if err := db.PutMission(accounts.Mission{ID: "beijing", TimeZone: "Asia/Shanghai", HostLanguage: "zh-Hans"}); err != nil {
		t.Fatal(err)
	}
	if err := db.PutAccount(accounts.Account{ID: "bj", Mission: "beijing", Network: accounts.Bluesky, Server: "https://example.org", Handle: "embassy.example.org"}); err != nil {
		t.Fatal(err)
	}
	since := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	w := feeds.Watch{Words: []string{"签证"}, QuietFrom: "22:00", QuietTo: "07:00", Since: since}
	if err := db.SetWatch("beijing", w); err != nil {
		t.Fatal(err)
	}
	key := feeds.TimelineKey{Account: "bj", Kind: feeds.Mentions}
	check := func(now time.Time, id string) []feeds.Alert {
		t.Helper()
		p := feeds.Post{ID: id, Account: "bj", Author: "Li", Text: "请警惕签证诈骗", CreatedAt: now, Notification: "mention"}
		n, err := db.PutPosts(key, []feeds.Post{p}, now)
		if err != nil {
			t.Fatal(err)
		}
		got, err := feeds.NewAlerter(db, db, db, func() time.Time { return now }).Check(feeds.Result{Key: key, Added: n})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	// 15:30 UTC is 23:30 in Beijing: quiet, though it is day in Europe.
	if got := check(time.Date(2026, 3, 10, 15, 30, 0, 0, time.UTC), "night"); len(got) != 0 {
		t.Fatalf("alerted in quiet hours: %+v", got)
	}
	// 01:00 UTC is 09:00 in Beijing.
	if got := check(time.Date(2026, 3, 11, 1, 0, 0, 0, time.UTC), "morning"); len(got) != 1 {
		t.Fatalf("morning alerts: %+v", got)
	}
	// The night's post, refreshed again in the morning, stays quiet.
	if got := check(time.Date(2026, 3, 11, 1, 5, 0, 0, time.UTC), "night"); len(got) != 0 {
		t.Fatalf("quiet post alerted later: %+v", got)
	}
}

func TestPruneAlertsForgetsOnlyOldClaims(t *testing.T) {
	db := openTest(t, Options{})
	claim := func(key string, at time.Time) bool {
		t.Helper()
		fresh, err := db.ClaimAlerts([]feeds.AlertClaim{{Key: key, PostTime: at}})
		if err != nil {
			t.Fatalf("claim %s: %v", key, err)
		}
		return fresh[0]
	}
	for key, at := range map[string]time.Time{"old": t0.Add(-30 * 24 * time.Hour), "recent": t0} {
		if !claim(key, at) {
			t.Fatalf("claim %s: not fresh", key)
		}
	}
	if err := db.PruneAlerts(t0.Add(-feeds.AlertKeep)); err != nil {
		t.Fatal(err)
	}
	if claim("recent", t0) {
		t.Error("recent claim forgotten")
	}
	if !claim("old", t0.Add(-30*24*time.Hour)) {
		t.Error("old claim kept")
	}
}

func TestClaimAlertsRecordsABatchOnceInOneWrite(t *testing.T) {
	db := openTest(t, Options{})
	claims := []feeds.AlertClaim{{Key: "a", PostTime: t0}, {Key: "b", PostTime: t0}, {Key: "a", PostTime: t0}}
	fresh, err := db.ClaimAlerts(claims)
	if err != nil {
		t.Fatal(err)
	}
	if want := []bool{true, true, false}; !slices.Equal(fresh, want) {
		t.Errorf("first batch: fresh %v, want %v (a key twice in one batch counts once)", fresh, want)
	}
	if fresh, _ = db.ClaimAlerts(claims[:2]); slices.Contains(fresh, true) {
		t.Errorf("second batch: fresh %v, want none", fresh)
	}
}
