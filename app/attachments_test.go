package app

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"chancery/accounts"
	"chancery/drafts"
	"chancery/feeds"
)

// mastodonFixture is a fixture whose Vienna mission also has a Mastodon
// account ("v-m") that takes images, and whose attached images are copied
// into dir.
func mastodonFixture(t *testing.T, dir string) (*fixture, *scriptedNetwork) {
	t.Helper()
	f := newFixture(t)
	masto := &scriptedNetwork{id: accounts.Mastodon, posts: f.net.posts, media: true}
	reg := feeds.Registry{accounts.Demo: f.net, accounts.Mastodon: masto}
	pub := drafts.NetworkPublisher{Accounts: f.params.Workspace.(*accounts.Workspace), Networks: reg}
	f.params.Publishing = pub
	f.params.Outbox = drafts.NewOutbox(f.drafts, pub, func() time.Time { return testNow })
	f.params.Refresher = feeds.NewRefresher(reg, f.store, func() time.Time { return testNow })
	f.params.Attachments = drafts.NewAttachments(dir, nil)
	if err := f.store.PutAccount(accounts.Account{ID: "v-m", Mission: "vienna", Network: accounts.Mastodon, Server: "https://m.example", Handle: "@amb@m.example"}); err != nil {
		t.Fatal(err)
	}
	return f, masto
}

func TestAttachingCopiesTheImageIntoTheProfile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "attachments")
	f, masto := mastodonFixture(t, dir)
	src := filepath.Join(t.TempDir(), "door.png")
	if err := os.WriteFile(src, pngBytes(t), 0o600); err != nil {
		t.Fatal(err)
	}
	u := f.start(t)
	c := u.openComposer(drafts.Draft{})
	test.Tap(c.checks["v-m"])
	c.attach(src)
	if len(c.copies.Objects) != 1 || !contains(c.copies, "Copying door.png") {
		t.Error("no progress shown while the image is copied")
	}
	eventually(t, "copied", func() bool { return len(c.draft.Media) == 1 })
	if len(c.copies.Objects) != 0 {
		t.Error("the progress row stayed")
	}
	a := c.draft.Media[0]
	if filepath.Dir(a.Path) != dir || a.Name != "door.png" || !contains(c.images, "door.png") {
		t.Errorf("draft holds %+v, want a copy in %s shown as door.png", a, dir)
	}
	if err := os.Remove(src); err != nil { // the original goes away
		t.Fatal(err)
	}
	test.Type(c.texts["en"], "Open house")
	test.Type(c.texts["fr"], "Portes ouvertes")
	eventually(t, "saved", func() bool {
		d := f.storedDraft(t)
		return len(d.Media) == 1 && d.Media[0].Path == a.Path && d.Text("fr") == "Portes ouvertes"
	})
	test.Tap(findButton(c.win.Content(), "Publish"))
	eventually(t, "published", func() bool { return len(masto.sent()) == 2 })
	if got := masto.sent()[0]; len(got.Media) != 1 || got.Media[0].MIME != "image/png" || len(got.Media[0].Data) == 0 {
		t.Errorf("published %+v", got.Media)
	}
}

func TestAttachingSomethingThatIsNotAnImageSaysSo(t *testing.T) {
	f, _ := mastodonFixture(t, filepath.Join(t.TempDir(), "attachments"))
	src := filepath.Join(t.TempDir(), "minutes.png")
	if err := os.WriteFile(src, []byte("Minutes of the staff meeting"), 0o600); err != nil {
		t.Fatal(err)
	}
	u := f.start(t)
	c := u.openComposer(drafts.Draft{})
	c.attach(src)
	eventually(t, "refused", func() bool {
		top := c.win.Canvas().Overlays().Top()
		return top != nil && contains(top, "not an image")
	})
	if len(c.draft.Media) != 0 || len(c.copies.Objects) != 0 {
		t.Errorf("draft media %+v, %d copies going on", c.draft.Media, len(c.copies.Objects))
	}
}
