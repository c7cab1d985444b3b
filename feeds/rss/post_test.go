package rss

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
)

func testSource(t *testing.T) source {
	return source{address: mustURL(t, "https://feeds.example/rss"), base: mustURL(t, "https://feeds.example/rss"), title: "Feed <b>Title</b>", lang: "nl_be"}
}

func TestItemIDs(t *testing.T) {
	src := testSource(t)
	long := "https://x.example/" + strings.Repeat("a", 300)
	tests := []struct {
		name string
		item gofeed.Item
		want string
	}{
		{"permalink guid", gofeed.Item{GUID: " https://x.example/1 ", Link: "https://x.example/other"}, "https://x.example/1"},
		{"urn guid", gofeed.Item{GUID: "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"}, "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"},
		{"opaque guid", gofeed.Item{GUID: "42", Link: "https://x.example/42"}, "https://feeds.example/rss#42"},
		{"link", gofeed.Item{Link: "/posts/7"}, "https://feeds.example/posts/7"},
		{"long guid", gofeed.Item{GUID: long}, hashID(long)},
	}
	for _, tt := range tests {
		if got := itemID(src, &tt.item); got != tt.want {
			t.Errorf("%s: id %q, want %q", tt.name, got, tt.want)
		}
	}

	a := itemID(src, &gofeed.Item{Title: "Hello", Published: "yesterday"})
	b := itemID(src, &gofeed.Item{Title: "Hello", Published: "today"})
	c := itemID(src, &gofeed.Item{Description: "one"})
	d := itemID(src, &gofeed.Item{Description: "two"})
	if a == b || c == d || !strings.HasPrefix(a, "sha256:") || len(a) != len("sha256:")+32 {
		t.Errorf("hashed ids not distinct: %q %q %q %q", a, b, c, d)
	}
	if a != itemID(src, &gofeed.Item{Title: "Hello", Published: "yesterday", Description: "edited"}) {
		t.Error("a titled item's id depends on its description")
	}
}

func TestPostFields(t *testing.T) {
	src := testSource(t)
	future := t0.Add(48 * time.Hour)
	ancient := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	updated := t0.Add(-time.Hour)
	it := &gofeed.Item{
		Title:           "  Breaking:\n <i>news</i> ",
		Content:         "<p>Full <b>content</b></p>",
		Link:            "javascript:alert(1)",
		PublishedParsed: &future,
		UpdatedParsed:   &updated,
		Authors:         []*gofeed.Person{nil, {Email: "press@x.example"}},
		DublinCoreExt:   &ext.DublinCoreExtension{Language: []string{"not a tag!", "ZH-hans-cn"}},
		Enclosures: []*gofeed.Enclosure{
			{URL: "https://x.example/a.png", Type: "IMAGE/PNG"},
			{URL: "https://x.example/a.png", Type: "image/png"},
			{URL: "data:image/png;base64,AAAA", Type: "image/png"},
			{URL: "/b.jpg", Type: "image/jpeg"},
			{URL: "https://x.example/c.mp4", Type: "video/mp4"},
			{URL: "https://x.example/d.gif", Type: "image/gif"},
			{URL: "https://x.example/e.gif", Type: "image/gif"},
		},
		Image: &gofeed.Image{URL: "https://x.example/f.gif"},
	}
	p := toPost(src, it, t0)
	if p.Text != "Breaking: news\n\nFull content" {
		t.Errorf("text = %q", p.Text)
	}
	if p.URL != "" {
		t.Errorf("non-web link kept: %q", p.URL)
	}
	if !p.CreatedAt.Equal(updated) {
		t.Errorf("created %v: a date two days ahead should give way to updated %v", p.CreatedAt, updated)
	}
	if p.Author != "press@x.example" || p.AuthorHandle != "feeds.example" {
		t.Errorf("author = %q @ %q", p.Author, p.AuthorHandle)
	}
	if p.Lang != "zh-Hans-CN" {
		t.Errorf("lang = %q", p.Lang)
	}
	var urls []string
	for _, m := range p.Media {
		urls = append(urls, m.URL)
		if m.Type != "image" || m.Alt != "Breaking: news" {
			t.Errorf("media = %+v", m)
		}
	}
	if want := "[https://x.example/a.png https://feeds.example/b.jpg https://x.example/d.gif https://x.example/e.gif]"; fmt.Sprint(urls) != want {
		t.Errorf("media urls = %v, want %s", urls, want)
	}

	bare := toPost(src, &gofeed.Item{Description: "<p>Only a body</p>", PublishedParsed: &ancient}, t0)
	if bare.Text != "Only a body" || bare.Author != "Feed Title" || bare.Lang != "nl-BE" || !bare.CreatedAt.IsZero() {
		t.Errorf("bare post = %+v", bare)
	}
	same := toPost(src, &gofeed.Item{Title: "Same", Description: "Same"}, t0)
	if same.Text != "Same" {
		t.Errorf("title repeated as body: %q", same.Text)
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in    string
		limit int
		want  string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"éééééééééé", 10, "éééééééééé"},
		{"ééééééééééé", 10, "ééééééééé…"},
		{"word and more words", 10, "word and…"},
	}
	for _, tt := range tests {
		if got := truncate(tt.in, tt.limit); got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
		}
	}
	long := toPost(testSource(t), &gofeed.Item{Title: "T", Description: strings.Repeat("long text ", 1000)}, t0)
	if n := utf8.RuneCountInString(long.Text); n != MaxText || !strings.HasSuffix(long.Text, "…") {
		t.Errorf("long text: %d runes, ends %q", n, long.Text[len(long.Text)-10:])
	}
	src := testSource(t)
	src.title = strings.Repeat("Ministry ", 1000) // a feed title stands in for an item without author
	if p := toPost(src, &gofeed.Item{Title: "T", GUID: strings.Repeat("g", 40<<10)}, t0); utf8.RuneCountInString(p.Author) != maxName || len(p.ID) > maxID {
		t.Errorf("author of %d runes, id of %d bytes", utf8.RuneCountInString(p.Author), len(p.ID))
	}
}

func TestNormLang(t *testing.T) {
	tests := map[string]string{
		"fr-CA": "fr-CA", "fr-ca": "fr-CA", "en_us": "en-US", "EN": "en", " de ": "de",
		"zh-Hans": "zh-Hans", "nl-BE": "nl-BE", "": "", "und": "", "not a tag": "", "x": "",
	}
	for in, want := range tests {
		if got := normLang(in); got != want {
			t.Errorf("normLang(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaxItemsPerFeed(t *testing.T) {
	items := make([]*gofeed.Item, MaxItems+50)
	for i := range items {
		at := t0.Add(time.Duration(i) * time.Minute)
		items[i] = &gofeed.Item{GUID: fmt.Sprintf("https://x.example/%d", i), PublishedParsed: &at}
	}
	posts, _ := toPosts(testSource(t), append(items, nil), nil, t0.Add(24*time.Hour))
	if len(posts) != MaxItems || posts[0].ID != fmt.Sprintf("https://x.example/%d", len(items)-1) {
		t.Errorf("kept %d posts, newest %q", len(posts), posts[0].ID)
	}
}
