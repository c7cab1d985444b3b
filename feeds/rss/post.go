package rss

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"golang.org/x/text/language"

	"chancery/accounts"
	"chancery/feeds"
)

// Limits of a post made from a feed item.
const (
	// MaxText is the length, in runes, of a post's text; longer text is
	// cut and ends with "…".
	MaxText = 2000
	// MaxMedia is how many images a post keeps.
	MaxMedia = 4
	// maxID is the longest id kept as it is, in bytes.
	maxID = 256
	// maxName is the length, in runes, of an author's name.
	maxName = 200
	// maxSkew is how far in the future a date may be and still count.
	maxSkew = 24 * time.Hour
)

// minDate is the earliest date believed; earlier ones count as no date.
var minDate = time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)

// source is the feed items come from.
type source struct {
	address *url.URL // the feed's address as configured (normalised): ids and handle
	base    *url.URL // the address the feed was read from: links
	title   string   // the feed's title
	lang    string   // the feed's language
}

// toPosts turns a feed's items into posts, newest first and at most MaxItems,
// each id once. seen holds the first-seen times of items that had no usable
// date when first seen; such an item keeps that time for as long as it is
// remembered, even if it gains a date, so it never moves. The returned map
// holds the first-seen times of the posts kept that use one.
func toPosts(src source, items []*gofeed.Item, seen map[string]time.Time, now time.Time) ([]feeds.Post, map[string]time.Time) {
	posts := make([]feeds.Post, 0, len(items))
	ids := map[string]bool{}
	undated := map[string]bool{}
	for _, it := range items {
		if it == nil {
			continue
		}
		p := toPost(src, it, now)
		if ids[p.ID] {
			continue
		}
		ids[p.ID] = true
		if _, known := seen[p.ID]; known || p.CreatedAt.IsZero() {
			p.CreatedAt = firstSeen(seen, p.ID, now.Add(-time.Duration(len(undated))*time.Second))
			undated[p.ID] = true
		}
		posts = append(posts, p)
	}
	slices.SortStableFunc(posts, func(a, b feeds.Post) int { return b.CreatedAt.Compare(a.CreatedAt) })
	posts = posts[:min(len(posts), MaxItems)]
	nextSeen := map[string]time.Time{}
	for _, p := range posts {
		if undated[p.ID] {
			nextSeen[p.ID] = p.CreatedAt
		}
	}
	return posts, nextSeen
}

// firstSeen returns when id was first seen, or at if it never was.
func firstSeen(seen map[string]time.Time, id string, at time.Time) time.Time {
	if t, ok := seen[id]; ok && !t.IsZero() {
		return t
	}
	return at.UTC()
}

// toPost turns one item into a post; CreatedAt is zero when the item has no
// usable date. See Network.Fetch for the rules.
func toPost(src source, it *gofeed.Item, now time.Time) feeds.Post {
	host := src.address.Hostname()
	title := oneLine(feeds.HTMLToText(it.Title))
	return feeds.Post{
		ID:           itemID(src, it),
		Network:      accounts.RSS,
		Author:       truncate(cmp.Or(author(it), oneLine(feeds.HTMLToText(src.title)), host), maxName),
		AuthorHandle: host,
		Text:         text(title, it),
		Lang:         cmp.Or(itemLang(it), normLang(src.lang)),
		CreatedAt:    dated(it, now),
		URL:          webURL(src.base, it.Link),
		Media:        images(src.base, it, title),
	}
}

// itemID is the post id of an item (see Network.Fetch). A relative link is
// resolved against the feed's configured address, not where it was read
// from, so a feed that moves keeps its ids.
func itemID(src source, it *gofeed.Item) string {
	address := src.address.String()
	if g := strings.TrimSpace(it.GUID); g != "" {
		if isAbsoluteURI(g) {
			return capID(g)
		}
		return capID(address + "#" + g)
	}
	if link := webURL(src.address, it.Link); link != "" {
		return capID(link)
	}
	parts := []string{address, it.Title, it.Published, it.Updated}
	if strings.TrimSpace(it.Title) == "" {
		parts = append(parts, it.Description, it.Content)
	}
	return hashID(strings.Join(parts, "\x00"))
}

func isAbsoluteURI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && (u.Host != "" || u.Opaque != "")
}

func capID(id string) string {
	if len(id) <= maxID {
		return id
	}
	return hashID(id)
}

func hashID(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256:" + hex.EncodeToString(sum[:16])
}

// author returns the first named author of an item.
func author(it *gofeed.Item) string {
	for _, p := range it.Authors {
		if p == nil {
			continue
		}
		if name := oneLine(feeds.HTMLToText(cmp.Or(p.Name, p.Email))); name != "" {
			return truncate(name, maxName)
		}
	}
	return ""
}

// text is the post text of an item with the given plain title.
func text(title string, it *gofeed.Item) string {
	body := feeds.HTMLToText(cmp.Or(strings.TrimSpace(it.Description), it.Content))
	var s string
	switch {
	case body == "" || body == title:
		s = title
	case title == "":
		s = body
	default:
		s = title + "\n\n" + body
	}
	return truncate(s, MaxText)
}

// oneLine collapses all white space of s, line breaks too, to single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// truncate cuts s to at most limit runes, the last being "…" when cut.
func truncate(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	n := 0
	for i := range s {
		if n == limit-1 {
			return strings.TrimRightFunc(s[:i], unicode.IsSpace) + "…"
		}
		n++
	}
	return s
}

// itemLang is the item's own language (Dublin Core), normalised.
func itemLang(it *gofeed.Item) string {
	if it.DublinCoreExt == nil {
		return ""
	}
	for _, l := range it.DublinCoreExt.Language {
		if tag := normLang(l); tag != "" {
			return tag
		}
	}
	return ""
}

// normLang returns the canonical BCP 47 form of a language tag ("en_us" →
// "en-US"), or "" if s is not one.
func normLang(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "_", "-")
	if s == "" || len(s) > 64 {
		return ""
	}
	tag, err := language.Parse(s)
	if err != nil || tag == language.Und {
		return ""
	}
	return tag.String()
}

// dated returns the item's published time, else its updated time, in UTC;
// zero when neither is believable at now.
func dated(it *gofeed.Item, now time.Time) time.Time {
	for _, t := range []*time.Time{it.PublishedParsed, it.UpdatedParsed} {
		if t != nil && !t.Before(minDate) && !t.After(now.Add(maxSkew)) {
			return t.UTC()
		}
	}
	return time.Time{}
}

// webURL resolves ref against base and returns it if feeds.SafeLink
// accepts the result, else "".
func webURL(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := base.Parse(ref)
	if err != nil {
		return ""
	}
	safe, ok := feeds.SafeLink(u.String())
	if !ok {
		return ""
	}
	return safe.String()
}

// images returns an item's image enclosures and image as media.
func images(base *url.URL, it *gofeed.Item, alt string) []feeds.Media {
	var refs []string
	for _, e := range it.Enclosures {
		if e != nil && strings.HasPrefix(strings.ToLower(strings.TrimSpace(e.Type)), "image/") {
			refs = append(refs, e.URL)
		}
	}
	if it.Image != nil {
		refs = append(refs, it.Image.URL)
	}
	var out []feeds.Media
	for _, ref := range refs {
		u := webURL(base, ref)
		if u == "" || slices.ContainsFunc(out, func(m feeds.Media) bool { return m.URL == u }) {
			continue
		}
		out = append(out, feeds.Media{Type: "image", URL: u, Alt: alt})
		if len(out) == MaxMedia {
			break
		}
	}
	return out
}
