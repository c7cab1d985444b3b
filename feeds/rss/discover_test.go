package rss

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"chancery/feeds"
	"chancery/translations"
)

// page is a ministry's home page that declares its feeds in its head, with
// links that are relative, absolute, repeated, not feeds, or not allowed.
const page = `<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8"><title>Ministry</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="News" href="/news.rss">
<link rel="Alternate" type="application/atom+xml; charset=utf-8" href="statements/atom.xml">
<link rel="alternate" type="application/rss+xml" href="/news.rss">
<link rel="alternate" hreflang="fr" href="/fr/">
<link rel="alternate" type="application/rss+xml" href="http://elsewhere.example/feed">
</head><body>
<link rel="alternate" type="application/rss+xml" href="/in-body.rss">
<p>Welcome</p></body></html>`

func TestWebPageIsNoFeedAndOffersItsFeeds(t *testing.T) {
	s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/en/home" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(page))
	}))
	want := []string{s.URL + "/news.rss", s.URL + "/en/statements/atom.xml"}
	for name, call := range map[string]func() error{
		"fetch": func() error { _, err := New(nil).Fetch(t.Context(), account(s.URL+"/en/home"), feeds.Feed); return err },
		"probe": func() error { _, err := Probe(t.Context(), nil, s.URL+"/en/home"); return err },
	} {
		t.Run(name, func(t *testing.T) {
			err := call()
			var nf *feeds.NoFeedError
			if !errors.As(err, &nf) || !errors.Is(err, feeds.ErrNoFeed) || !errors.Is(err, feeds.ErrBadResponse) {
				t.Fatalf("error %v, want a NoFeedError that is also a bad response", err)
			}
			if !slices.Equal(nf.Links, want) || nf.Address != s.URL+"/en/home" {
				t.Errorf("no feed at %q offering %q, want %q", nf.Address, nf.Links, want)
			}
			msg := translations.New("en").Error(err)
			if !strings.Contains(msg, "is a web page, not a feed") || !strings.Contains(msg, want[0]+"\n"+want[1]) {
				t.Errorf("message %q", msg)
			}
			if fr := translations.New("fr").Error(err); !strings.Contains(fr, "page web") {
				t.Errorf("French message %q", fr)
			}
		})
	}
}

func TestMissingFeedSaysNoFeed(t *testing.T) {
	for _, status := range []int{http.StatusNotFound, http.StatusGone} {
		s := serve(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "gone", status) }))
		_, err := Probe(t.Context(), nil, s.URL+"/feed.xml")
		var nf *feeds.NoFeedError
		if !errors.As(err, &nf) || !errors.Is(err, feeds.ErrRejected) || len(nf.Links) != 0 {
			t.Fatalf("%d: error %v, want a refusal saying no feed", status, err)
		}
		if feeds.Classify(err) != feeds.OutcomeRefused {
			t.Errorf("%d: classified %d", status, feeds.Classify(err))
		}
		want := "There is no feed at " + s.URL + "/feed.xml."
		if msg := translations.New("en").Error(err); !strings.HasPrefix(msg, want) {
			t.Errorf("%d: message %q, want %q…", status, msg, want)
		}
	}
}

// A body that merely is not a feed (no web page) stays a malformed answer.
func TestBrokenFeedIsNotAWebPage(t *testing.T) {
	s := serve(t, static(`<?xml version="1.0"?><rss version="2.0"><channel><title>T</ti`, "application/rss+xml"))
	_, err := Probe(t.Context(), nil, s.URL)
	if !errors.Is(err, feeds.ErrBadResponse) || errors.Is(err, feeds.ErrNoFeed) {
		t.Errorf("error %v", err)
	}
}

func FuzzFeedLinks(f *testing.F) {
	f.Add([]byte(page))
	f.Add([]byte(`<link rel=alternate type=application/rss+xml href="//x.example/a">`))
	base, _ := FeedURL("https://ministry.example/en/")
	f.Fuzz(func(t *testing.T, body []byte) {
		links := feedLinks(body, base)
		if len(links) > maxLinks {
			t.Fatalf("%d links", len(links))
		}
		for _, l := range links {
			if _, err := FeedURL(l); err != nil {
				t.Fatalf("offered %q: %v", l, err)
			}
		}
	})
}
