package rss

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/html"

	"chancery/feeds"
)

// maxLinks caps how many feed links of a page are offered.
const maxLinks = 8

// feedTypes are the media types of the feeds a page may declare.
var feedTypes = []string{"application/rss+xml", "application/atom+xml", "application/feed+json", "application/json"}

// refusedFeed words the refusal of a feed address: a 401 or 403 is a
// refusal (feeds.ErrRejected), not feeds.ErrUnauthorized, as no sign-in
// could change a feed's answer; a 404 or 410 says there is no feed at the
// address (feeds.NoFeedError). What any other failure means is feeds.Do's
// to say.
func refusedFeed(address string, err error) error {
	var se *feeds.StatusError
	switch {
	case errors.Is(err, feeds.ErrUnauthorized):
		return fmt.Errorf("%w: %s", feeds.ErrRejected, err)
	case errors.As(err, &se) && (se.Status == http.StatusNotFound || se.Status == http.StatusGone):
		return &feeds.NoFeedError{Address: address, Err: err}
	}
	return err
}

// notAFeed explains a body that did not parse as a feed: a web page is no
// feed, and the feeds its head declares are offered; anything else is a
// malformed answer as parseFeed said (err).
func notAFeed(address string, resp response, err error) error {
	if !isHTML(resp.body, resp.header.Get("Content-Type")) {
		return err
	}
	return &feeds.NoFeedError{Address: address, Links: feedLinks(resp.body, resp.final), Err: err}
}

// isHTML reports whether body is a web page: served as HTML, or starting
// as one whatever its type says.
func isHTML(body []byte, contentType string) bool {
	if t, _, err := mime.ParseMediaType(contentType); err == nil && (t == "text/html" || t == "application/xhtml+xml") {
		return true
	}
	head := bytes.ToLower(bytes.TrimSpace(body[:min(len(body), declHead)]))
	head = bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF})
	return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html"))
}

// feedLinks returns the feeds a page declares in its head, as
// <link rel="alternate" type="application/rss+xml" href="…">, made absolute
// against base (or the page's <base href>), only those FeedURL accepts,
// without repeats, at most maxLinks.
func feedLinks(page []byte, base *url.URL) []string {
	var links []string
	z := html.NewTokenizer(bytes.NewReader(page))
	for len(links) < maxLinks {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch {
		case tt == html.EndTagToken && tok.Data == "head", tok.Data == "body":
			return links
		case tt != html.StartTagToken && tt != html.SelfClosingTagToken:
			continue
		case tok.Data == "base":
			if u, err := base.Parse(attr(tok, "href")); err == nil && attr(tok, "href") != "" {
				base = u
			}
		case tok.Data == "link":
			if l, ok := feedLink(tok, base); ok && !slices.Contains(links, l) {
				links = append(links, l)
			}
		}
	}
	return links
}

// feedLink returns the absolute address of a <link> that declares a feed.
func feedLink(tok html.Token, base *url.URL) (string, bool) {
	rels := strings.Fields(strings.ToLower(attr(tok, "rel")))
	typ, _, _ := mime.ParseMediaType(attr(tok, "type"))
	href := strings.TrimSpace(attr(tok, "href"))
	if !slices.Contains(rels, "alternate") || !slices.Contains(feedTypes, typ) || href == "" {
		return "", false
	}
	u, err := base.Parse(href)
	if err != nil {
		return "", false
	}
	if u, err = FeedURL(u.String()); err != nil {
		return "", false
	}
	return u.String(), true
}

func attr(tok html.Token, name string) string {
	for _, a := range tok.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}
