package app

import (
	"encoding/json"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"chancery/accounts"
	"chancery/feeds"
)

func TestColumnViewsShowNotificationsAndHashtags(t *testing.T) {
	f := newFixture(t)
	masto := &scriptedNetwork{id: accounts.Mastodon, posts: f.net.posts, kinds: []feeds.Kind{feeds.Home, feeds.Mentions, "tag:"}}
	reg := feeds.Registry{accounts.Demo: f.net, accounts.Mastodon: masto}
	f.params.Refresher = feeds.NewRefresher(reg, f.store, func() time.Time { return testNow })
	if err := f.store.PutAccount(accounts.Account{ID: "vienna-masto", Mission: "vienna", Network: accounts.Mastodon, Server: "https://social.example", Handle: "@embassy@social.example", State: accounts.StateOK}); err != nil {
		t.Fatal(err)
	}
	u := f.start(t)
	col := u.columns[0]
	eventually(t, "main timelines", func() bool { return len(col.posts) == 4 })
	sel := findSelects(col.root)[0]
	if got := sel.Options; len(got) != 3 || got[1] != "Notifications" || got[2] != "Hashtag…" {
		t.Fatalf("views offered: %q", got)
	}
	if other := findSelects(u.columns[1].root); len(other) != 0 {
		t.Errorf("a demo-only column offers a choice of views: %q", other[0].Options)
	}
	sel.SetSelected("Notifications")
	eventually(t, "notifications", func() bool { return len(col.posts) == 2 })
	if !contains(col.root, "[mentions] Consular notice for vienna") {
		t.Errorf("column shows %q", texts(col.root))
	}
	sel.SetSelected("Hashtag…")
	ask := u.window.Canvas().Overlays().Top()
	entry := entriesIn(ask)[0]
	test.Type(entry, "#OSCE")
	test.Tap(findButton(ask, "Show"))
	eventually(t, "hashtag", func() bool { return len(col.posts) == 2 && col.posts[0].ID == "tag:OSCE/1" })
	if col.viewLabel.Text != "#OSCE" {
		t.Errorf("view label %q", col.viewLabel.Text)
	}
	raw, _, _ := f.store.Setting(settingsKey)
	var s guiSettings
	_ = json.Unmarshal(raw, &s)
	if s.Views["vienna"] != "tag:OSCE" {
		t.Errorf("saved views %v", s.Views)
	}
	again := f.start(t)
	eventually(t, "restored view", func() bool { return again.columns[0].view == "tag:OSCE" && len(again.columns[0].posts) == 2 })
}
