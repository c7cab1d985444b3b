package app

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"chancery/accounts"
	"chancery/feeds/rss"
	"chancery/translations"
)

// Fields filled for one network are never carried to another: switching
// from Bluesky to X shows X's fields empty, and Add sends only what X's
// own fields hold.
func TestEachNetworksFormStartsEmpty(t *testing.T) {
	f := newFixture(t)
	u := startSettled(t, f)
	overlay := addDialog(t, u, "Bluesky")
	fields := entriesIn(overlay) // handle, app password, server
	test.Type(fields[0], "press.bsky.social")
	test.Type(fields[1], "right")
	test.Type(fields[2], "https://pds.example")
	findSelects(overlay)[0].SetSelected("X")
	xFields := entriesIn(overlay) // client id, client secret, server
	if len(xFields) != 3 {
		t.Fatalf("%d fields for X", len(xFields))
	}
	for i, e := range xFields {
		if e.Text != "" {
			t.Errorf("X field %d holds %q after switching from Bluesky", i, e.Text)
		}
	}
	if contains(overlay, "press.bsky.social") {
		t.Errorf("the Bluesky handle is still shown: %q", texts(overlay))
	}
	// Sign in with X's fields empty: the client id is asked for, nothing is saved.
	test.Tap(findButton(overlay, "Sign in with the browser"))
	eventually(t, "refusal", func() bool { return contains(overlay, "Enter the client ID") })
	if as, _ := f.store.Accounts(); len(as) != 5 {
		t.Fatalf("%d accounts after a refused X account", len(as))
	}
	// Sign in with X's own fields: only those are used.
	test.Type(xFields[0], xTestClientID)
	test.Tap(findButton(overlay, "Sign in with the browser"))
	eventually(t, "X account added", func() bool { return len(u.columns[0].accts) == 2 })
	a := u.columns[0].accts[1]
	if a.Network != accounts.X || a.Server != "https://api.x.com" || strings.Contains(a.Server, "pds.example") {
		t.Errorf("added %+v", a)
	}
	// Back to Bluesky: its fields start empty too.
	col := u.columns[0]
	if !col.accountsC.Visible() {
		test.Tap(col.toggle)
	}
	test.Tap(findButton(col.accountsC, "Add account"))
	overlay = u.window.Canvas().Overlays().Top()
	findSelects(overlay)[0].SetSelected("X")
	test.Type(entriesIn(overlay)[0], "embassy")
	findSelects(overlay)[0].SetSelected("Bluesky")
	for i, e := range entriesIn(overlay) {
		if e.Text != "" {
			t.Errorf("Bluesky field %d holds %q", i, e.Text)
		}
	}
}

// rssSignIns checks feed accounts with the real RSS network.
type rssSignIns struct{ *fakeSignIns }

func (s rssSignIns) Verifier(n accounts.Network) accounts.Verifier {
	if n == accounts.RSS {
		return rss.New(nil).SignIn
	}
	return s.fakeSignIns.Verifier(n)
}

// A web page given as a feed says so and offers the feeds the page
// declares; choosing one puts it in the form, and Add then keeps it.
func TestAWebPageOffersItsFeeds(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/en/", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<!doctype html><html><head><title>Ministry</title>
<link rel="alternate" type="application/rss+xml" href="/en/news.rss"></head><body>Hello</body></html>`))
	})
	mux.HandleFunc("/en/news.rss", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write([]byte(healthFeed))
	})
	mux.HandleFunc("/missing.xml", http.NotFound)
	s := httptest.NewServer(mux)
	t.Cleanup(s.Close)

	f := newFixture(t)
	f.params.SignIns = rssSignIns{f.signIns}
	u := startSettled(t, f)
	overlay := addDialog(t, u, "RSS/Atom")
	feedsEntry := entriesIn(overlay)[0]
	test.Type(feedsEntry, s.URL+"/missing.xml")
	test.Tap(findButton(overlay, "Add account"))
	eventually(t, "no feed", func() bool { return contains(overlay, "There is no feed at "+s.URL+"/missing.xml.") })

	feedsEntry.SetText(s.URL + "/en/")
	test.Tap(findButton(overlay, "Add account"))
	use := "Use " + s.URL + "/en/news.rss"
	eventually(t, "feed offered", func() bool { return findButton(overlay, use) != nil })
	if !contains(overlay, s.URL+"/en/ is a web page, not a feed.") {
		t.Errorf("dialog says %q", texts(overlay))
	}
	test.Tap(findButton(overlay, use))
	if feedsEntry.Text != s.URL+"/en/news.rss" {
		t.Fatalf("feeds field %q", feedsEntry.Text)
	}
	test.Tap(findButton(overlay, "Add account"))
	eventually(t, "feed added", func() bool { return len(u.columns[0].accts) == 2 })
	if a := u.columns[0].accts[1]; a.Handle != "Ministry news" || a.Server != s.URL+"/en/news.rss" {
		t.Errorf("added %+v", a)
	}
}

// A link that cannot be opened for want of a browser says so.
func TestNoBrowserSaysSo(t *testing.T) {
	f := newFixture(t)
	f.params.OpenURL = func(*url.URL) error { return &exec.Error{Name: "xdg-open", Err: exec.ErrNotFound} }
	u := startSettled(t, f)
	link, _ := url.Parse("https://example.org/posts/1")
	u.openURL(link)
	top := u.window.Canvas().Overlays().Top()
	if top == nil || !contains(top, "No web browser is set up to open links on this computer.") {
		t.Fatalf("shows %q", texts(top))
	}
}

// xdg-open that finds no browser exits 3 after Chancery went on: the
// failure still reaches the user.
func TestLateOpenerFailureIsReported(t *testing.T) {
	script := filepath.Join(t.TempDir(), "xdg-open")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nexit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	link, _ := url.Parse("https://example.org/")
	got := make(chan error, 1)
	if err := startOpener(script, link, func(err error) { got <- err }); err != nil {
		t.Fatalf("start: %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute) // a hang guard
	defer cancel()
	select {
	case err := <-got:
		if msg := translations.New("en").Error(err); !strings.HasPrefix(msg, "No web browser") {
			t.Errorf("message %q for %v", msg, err)
		}
	case <-ctx.Done():
		t.Fatal("the opener's failure was never reported")
	}
}
