package rss

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"chancery/feeds"
)

// FuzzFeedToPosts drives outside bytes through the whole parse path: charset
// decoding, the feed parser and the item to post conversion. Whatever the
// input, it must not panic, must fail only with feeds.ErrBadResponse, and
// must give posts that keep this package's promises.
func FuzzFeedToPosts(f *testing.F) {
	seeds := []struct{ body, contentType string }{
		{rss2, "application/rss+xml"},
		{atom1, "application/atom+xml; charset=utf-8"},
		{rdf, ""},
		{billionLaughs, "text/xml"},
		{feedIn(`<?xml version="1.0" encoding="ISO-8859-1"?>`, latin1), ""},
		{feedIn(``, cp1252), "text/xml; charset=windows-1252"},
		{"\xff\xfe<\x00r\x00s\x00s\x00/\x00>\x00", ""},
		{`{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","content_html":"<p>x</p>","url":"javascript:x"}]}`, "application/feed+json"},
		{rssItems("T", "<title>no guid</title>", "<guid>https://x.example/1</guid><link>https://x.example/1</link>", "<guid>https://x.example/1</guid>"), ""},
		{`<rss version="2.0"><channel><item><pubDate>Mon, 01 Jan 9999 00:00:00 GMT</pubDate><enclosure url="//evil.example/x.png" type="image/png"/></item></channel></rss>`, ""},
		{`<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>a</title><descr`, ""},
		{`<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id><link href="../a"/></entry></feed>`, ""},
		{"", ""},
	}
	for _, s := range seeds {
		f.Add([]byte(s.body), s.contentType)
	}
	base, _ := url.Parse("https://feeds.example/dir/rss.xml")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		feed, err := parseFeed(body, contentType)
		if err != nil {
			if !errors.Is(err, feeds.ErrBadResponse) {
				t.Fatalf("error %v does not wrap ErrBadResponse", err)
			}
			return
		}
		src := source{address: base, base: base, title: feed.Title, lang: feed.Language}
		posts, seen := toPosts(src, feed.Items, nil, t0)
		checkPosts(t, posts, seen)
		again, _ := toPosts(src, feed.Items, seen, t0.Add(time.Hour))
		for i := range again {
			if again[i].ID != posts[i].ID || !again[i].CreatedAt.Equal(posts[i].CreatedAt) {
				t.Fatalf("post %d not stable: %+v then %+v", i, posts[i], again[i])
			}
		}
	})
}

// checkPosts fails t if posts break a promise of Network.Fetch.
func checkPosts(t *testing.T, posts []feeds.Post, seen map[string]time.Time) {
	t.Helper()
	ids := map[string]bool{}
	for i, p := range posts {
		switch {
		case p.ID == "" || len(p.ID) > maxID:
			t.Fatalf("post %d: id %q", i, p.ID)
		case ids[p.ID]:
			t.Fatalf("post %d: id %q repeated", i, p.ID)
		case p.CreatedAt.IsZero() || p.CreatedAt.After(t0.Add(maxSkew)):
			t.Fatalf("post %d: created %v", i, p.CreatedAt)
		case i > 0 && p.CreatedAt.After(posts[i-1].CreatedAt):
			t.Fatalf("post %d: not newest first", i)
		case utf8.RuneCountInString(p.Text) > MaxText || !utf8.ValidString(p.Text) || !utf8.ValidString(p.Author):
			t.Fatalf("post %d: text %q by %q", i, p.Text, p.Author)
		case p.URL != "" && !isWeb(p.URL):
			t.Fatalf("post %d: url %q", i, p.URL)
		case len(p.Media) > MaxMedia:
			t.Fatalf("post %d: %d media", i, len(p.Media))
		case strings.ContainsAny(p.Author, "\n\r\t"):
			t.Fatalf("post %d: author %q", i, p.Author)
		}
		for _, m := range p.Media {
			if !isWeb(m.URL) || m.Type != "image" {
				t.Fatalf("post %d: media %+v", i, m)
			}
		}
		ids[p.ID] = true
	}
	if len(seen) > len(posts) {
		t.Fatalf("%d first-seen times for %d posts", len(seen), len(posts))
	}
}

func isWeb(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
