package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/drafts"
	"chancery/feeds"
)

// warningNetwork counts as Mastodon does: 500 characters, the content
// warning included.
type warningNetwork struct{ *scriptedNetwork }

func (n warningNetwork) Length(_ accounts.Account, text string) (int, int) {
	return utf8.RuneCountInString(text), 500
}

func (n warningNetwork) WarningLength(_ accounts.Account, warning string) int {
	return utf8.RuneCountInString(warning)
}

// previewFixture has a Vienna account ("v-m") on a network that counts
// like Mastodon and takes images, beside the demo accounts.
func previewFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	masto := warningNetwork{&scriptedNetwork{id: accounts.Mastodon, posts: f.net.posts, media: true}}
	reg := feeds.Registry{accounts.Demo: f.net, accounts.Mastodon: masto}
	pub := drafts.NetworkPublisher{Accounts: f.params.Workspace.(*accounts.Workspace), Networks: reg}
	f.params.Publishing = pub
	f.params.Outbox = drafts.NewOutbox(f.drafts, pub, func() time.Time { return testNow })
	f.params.Refresher = feeds.NewRefresher(reg, f.store, func() time.Time { return testNow })
	f.params.Attachments = drafts.NewAttachments(filepath.Join(t.TempDir(), "attachments"), nil)
	if err := f.store.PutAccount(accounts.Account{ID: "v-m", Mission: "vienna", Network: accounts.Mastodon, Server: "https://m.example", Handle: "@amb@m.example"}); err != nil {
		t.Fatal(err)
	}
	return f
}

// The preview shows each post as each target will show it: per account,
// the text of each language it publishes, the content warning, the images
// and the count against the limit (Mastodon counts the warning too); a
// post over a target's limit disables Publish, saying which.
func TestPreviewShowsEachPostPerAccountAndBlocksOverTheLimit(t *testing.T) {
	f := previewFixture(t)
	img := filepath.Join(t.TempDir(), "flag.png")
	if err := os.WriteFile(img, pngBytes(t), 0o600); err != nil {
		t.Fatal(err)
	}
	u := f.start(t)
	c := u.openComposer(drafts.Draft{})
	eventually(t, "an empty preview", func() bool { return contains(c.preview, "Nothing to publish yet") })
	test.Tap(c.checks["v-m"])
	test.Tap(c.checks["beijing-demo"])
	c.attach(img)
	eventually(t, "image attached", func() bool { return len(c.draft.Media) == 1 })
	test.Type(c.warning, "Élections")
	test.Type(c.texts["de"], "Wahlen am Sonntag")
	test.Type(c.texts["zh-Hans"], "周日选举")
	fr := "Élections dimanche : les bureaux ouvrent à 8 h."
	test.Type(c.texts["fr"], fr)
	eventually(t, "preview", func() bool {
		return contains(c.preview, "Vienna · @amb@m.example · Mastodon") && contains(c.preview, "Beijing · @beijing@demo · Demo")
	})
	want := []string{
		"Vienna · @amb@m.example · Mastodon",
		"DE · 26/500, content warning included · 1 image", "Content warning: Élections", "Wahlen am Sonntag",
		"FR · 56/500, content warning included · 1 image", fr,
		"Beijing · @beijing@demo · Demo",
		"ZH · 4/40 · 1 image", "周日选举", "This network cannot publish images.", "FR · 47/40 · 1 image", fr,
	}
	got := strings.Join(texts(c.preview), "\n")
	at := 0
	for _, w := range want {
		i := strings.Index(got[at:], w)
		if i < 0 {
			t.Fatalf("preview lacks %q after %q:\n%s", w, got[:at], got)
		}
		at += i + len(w)
	}
	if strings.Count(got, "Wahlen am Sonntag") != 1 {
		t.Error("the German text is previewed on Beijing, which does not publish it")
	}
	eventually(t, "Publish disabled", func() bool { return c.publishBtn.Disabled() })
	if want := "The FR text is 7 characters too long for Beijing · @beijing@demo (47/40)."; !strings.Contains(c.blocked.Text, want) {
		t.Errorf("reason %q, want %q", c.blocked.Text, want)
	}
	for _, o := range visible(c.preview) {
		if l, ok := o.(*widget.Label); ok && strings.HasPrefix(l.Text, "FR · 47/40") && l.Importance != widget.DangerImportance {
			t.Error("the post over the limit is not marked")
		}
	}
	// Once the French text fits, the demo network still takes no image.
	c.texts["fr"].SetText("Élections dimanche.")
	eventually(t, "the next reason", func() bool { return strings.Contains(c.blocked.Text, "cannot publish images") })
	test.Tap(c.checks["beijing-demo"])
	eventually(t, "Publish enabled", func() bool { return !c.publishBtn.Disabled() && !c.blocked.Visible() })
}
