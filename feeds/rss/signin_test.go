package rss

import (
	"errors"
	"net/http"
	"reflect"
	"testing"

	"chancery/accounts"
	"chancery/feeds"
)

func TestFeedURL(t *testing.T) {
	ok := map[string]string{
		"embassy.example/feed.xml":             "https://embassy.example/feed.xml",
		" HTTPS://Embassy.Example/Feed/ ":      "https://embassy.example/Feed/",
		"https://blog.example/?feed=rss2":      "https://blog.example/?feed=rss2",
		"https://blog.example/index.php?a=1#x": "https://blog.example/index.php?a=1",
		"http://127.0.0.1:8080/rss":            "http://127.0.0.1:8080/rss",
		"http://localhost/rss":                 "http://localhost/rss",
		"http://[::1]:9/atom":                  "http://[::1]:9/atom",
	}
	for in, want := range ok {
		u, err := FeedURL(in)
		if err != nil || u.String() != want {
			t.Errorf("FeedURL(%q) = %v, %v; want %q", in, u, err, want)
		}
	}
	bad := map[string]error{
		"":                               feeds.ErrBadURL,
		"http://feeds.example/rss":       feeds.ErrInsecureURL,
		"ftp://feeds.example/rss":        feeds.ErrBadURL,
		"https://user:pw@feeds.example/": feeds.ErrBadURL,
		"javascript:alert(1)":            feeds.ErrBadURL,
		"https:///rss":                   feeds.ErrBadURL,
		"https://exa mple.org/":          feeds.ErrBadURL,
	}
	for in, want := range bad {
		if _, err := FeedURL(in); !errors.Is(err, want) {
			t.Errorf("FeedURL(%q) error = %v, want %v", in, err, want)
		}
	}
}

func TestProbe(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/atom", static(atom1, "application/atom+xml"))
	mux.Handle("/untitled", static(rssItems(""), "application/rss+xml"))
	mux.Handle("/page", static("<html><body>hello</body></html>", "text/html"))
	s := serve(t, mux)

	if title, err := Probe(t.Context(), nil, s.URL+"/atom"); err != nil || title != "Ministry of Foreign Affairs" {
		t.Errorf("Probe(atom) = %q, %v", title, err)
	}
	if title, err := Probe(t.Context(), http.DefaultClient, s.URL+"/untitled"); err != nil || title != "127.0.0.1" {
		t.Errorf("Probe(untitled) = %q, %v", title, err)
	}
	_, err := Probe(t.Context(), nil, s.URL+"/page")
	wantErr(t, err, feeds.ErrBadResponse)
	_, err = Probe(t.Context(), nil, s.URL+"/missing")
	wantErr(t, err, feeds.ErrRejected)
	_, err = Probe(t.Context(), nil, "http://feeds.example/rss")
	wantErr(t, err, feeds.ErrInsecureURL)
}

func TestSignIn(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/rss", static(rss2, "application/rss+xml"))
	mux.Handle("/atom/", static(atom1, "application/atom+xml"))
	mux.Handle("/old-atom", http.RedirectHandler("/atom/", http.StatusMovedPermanently))
	mux.Handle("/temp", http.RedirectHandler("/rss", http.StatusFound))
	s := serve(t, mux)
	n := New(nil)

	in := accounts.Account{
		ID: "a", Mission: "vienna", Network: accounts.RSS, Server: "ignored",
		Feeds: []string{s.URL + "/rss#top", s.URL + "/old-atom", s.URL + "/temp", s.URL + "/atom/"},
	}
	got, secret, err := n.SignIn(t.Context(), in, "")
	if err != nil || secret != "" {
		t.Fatalf("SignIn = %q, %v", secret, err)
	}
	want := in
	want.Feeds = []string{s.URL + "/rss", s.URL + "/atom/", s.URL + "/temp"}
	want.Server = s.URL + "/rss"
	want.Handle, want.DisplayName = "Ambassade d'Examplie — Presse", "Ambassade d'Examplie — Presse"
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SignIn\n got %+v\nwant %+v", got, want)
	}

	single := accounts.Account{ID: "b", Network: accounts.RSS, Server: s.URL + "/atom/"}
	got, _, err = n.SignIn(t.Context(), single, "")
	if err != nil || got.Server != s.URL+"/atom/" || !reflect.DeepEqual(got.Feeds, []string{s.URL + "/atom/"}) || got.Handle != "Ministry of Foreign Affairs" {
		t.Errorf("SignIn(server only) = %+v, %v", got, err)
	}
}

func TestSignInRefusals(t *testing.T) {
	s := serve(t, static(rss2, "application/rss+xml"))
	n := New(nil)
	_, _, err := n.SignIn(t.Context(), accounts.Account{Server: s.URL}, "hunter2")
	wantErr(t, err, feeds.ErrUnsupported)
	_, _, err = n.SignIn(t.Context(), accounts.Account{}, "")
	wantErr(t, err, feeds.ErrBadURL)
	_, _, err = n.SignIn(t.Context(), accounts.Account{Feeds: []string{s.URL, s.URL + "/nowhere-but-same-body", "http://feeds.example/"}}, "")
	wantErr(t, err, feeds.ErrInsecureURL)
}
