package demo

import (
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"chancery/accounts"
)

// maxAge bounds minutes_ago: the sample timelines cover about ten days.
const maxAge = 10 * 24 * 60

var (
	linkRE    = regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]*://\S+`)
	mentionRE = regexp.MustCompile(`(^|\s)@\w+`)
	hashtagRE = regexp.MustCompile(`(^|\s)#[\p{L}\p{N}_]+`)
)

// fileTimeline decodes a data file as written, in file order.
func fileTimeline(t *testing.T, mission string) timeline {
	t.Helper()
	b, err := dataFS.ReadFile("data/" + mission + ".json")
	if err != nil {
		t.Fatalf("read %s: %v", mission, err)
	}
	var tl timeline
	if err := json.Unmarshal(b, &tl); err != nil {
		t.Fatalf("decode %s: %v", mission, err)
	}
	return tl
}

func TestEmbeddedDataParses(t *testing.T) {
	tls, err := loadEmbedded()
	if err != nil {
		t.Fatalf("embedded data: %v", err)
	}
	if got, want := len(tls), len(Missions()); got != want {
		t.Errorf("parsed %d timelines, Missions() lists %d", got, want)
	}
}

func TestMissionsCoverDefaults(t *testing.T) {
	var want []string
	for _, m := range accounts.DefaultMissions() {
		want = append(want, m.ID)
	}
	slices.Sort(want)
	if got := Missions(); !slices.Equal(got, want) {
		t.Errorf("Missions() = %v, want %v", got, want)
	}
}

func TestEmbeddedDataContent(t *testing.T) {
	for _, m := range accounts.DefaultMissions() {
		t.Run(m.ID, func(t *testing.T) {
			tl := fileTimeline(t, m.ID)
			if n := len(tl.Posts); n < 18 || n > 25 {
				t.Errorf("%d posts, want 18 to 25", n)
			}
			if !strings.HasPrefix(tl.Handle, "@") {
				t.Errorf("handle %q does not start with @", tl.Handle)
			}
			if len(tl.Posts) > 0 && tl.Posts[0].AuthorHandle != tl.Handle {
				t.Errorf("first post is by %q, want the mission's own %q", tl.Posts[0].AuthorHandle, tl.Handle)
			}
			checkPosts(t, m, tl)
			checkCoverage(t, m, tl)
		})
	}
}

// checkPosts checks each post on its own and its reply reference.
func checkPosts(t *testing.T, m accounts.Mission, tl timeline) {
	t.Helper()
	allowed := map[string]bool{"en": true, "fr": true, m.HostLanguage: true}
	byID := map[string]rawPost{}
	for _, p := range tl.Posts {
		if p.ID == "" || byID[p.ID].ID != "" {
			t.Errorf("post id %q empty or duplicated", p.ID)
		}
		byID[p.ID] = p
	}
	for _, p := range tl.Posts {
		if p.Author == "" || !strings.HasPrefix(p.AuthorHandle, "@") {
			t.Errorf("%s: author %q, handle %q", p.ID, p.Author, p.AuthorHandle)
		}
		if strings.TrimSpace(p.Text) == "" || p.Text != strings.TrimSpace(p.Text) || !utf8.ValidString(p.Text) {
			t.Errorf("%s: text empty, untrimmed or not UTF-8: %q", p.ID, p.Text)
		}
		if n := utf8.RuneCountInString(p.Text); n > MaxLength {
			t.Errorf("%s: %d characters, over MaxLength %d", p.ID, n, MaxLength)
		}
		if !allowed[p.Lang] {
			t.Errorf("%s: lang %q not among en, fr, %s", p.ID, p.Lang, m.HostLanguage)
		}
		if p.MinutesAgo < 0 || p.MinutesAgo > maxAge {
			t.Errorf("%s: minutes_ago %d outside [0, %d]", p.ID, p.MinutesAgo, maxAge)
		}
		if p.Counts.Replies < 0 || p.Counts.Reposts < 0 || p.Counts.Likes < 0 {
			t.Errorf("%s: negative counts %+v", p.ID, p.Counts)
		}
		checkURL(t, p.ID+" url", p.URL)
		for _, link := range linkRE.FindAllString(p.Text, -1) {
			checkURL(t, p.ID+" text link", link)
		}
		if p.ReplyTo == "" {
			continue
		}
		parent, ok := byID[p.ReplyTo]
		switch {
		case !ok || p.ReplyTo == p.ID:
			t.Errorf("%s: reply_to %q is not another post of this file", p.ID, p.ReplyTo)
		case parent.MinutesAgo <= p.MinutesAgo:
			t.Errorf("%s: reply (%d min ago) is not newer than %s (%d min ago)",
				p.ID, p.MinutesAgo, parent.ID, parent.MinutesAgo)
		}
	}
}

// checkURL requires an absolute https URL with a host.
func checkURL(t *testing.T, what, raw string) {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Errorf("%s %q: %v", what, raw, err)
		return
	}
	if u.Scheme != "https" || u.Host == "" {
		t.Errorf("%s %q: want an https URL with a host", what, raw)
	}
}

// checkCoverage checks the mix a column should show: languages, own and
// others' posts, replies, mentions, hashtags and links.
func checkCoverage(t *testing.T, m accounts.Mission, tl timeline) {
	t.Helper()
	langs := map[string]int{}
	var own, replies, mentions, tags, links int
	for _, p := range tl.Posts {
		langs[p.Lang]++
		if p.AuthorHandle == tl.Handle {
			own++
		}
		if p.ReplyTo != "" {
			replies++
		}
		if mentionRE.MatchString(p.Text) {
			mentions++
		}
		if hashtagRE.MatchString(p.Text) {
			tags++
		}
		if linkRE.MatchString(p.Text) {
			links++
		}
	}
	for _, l := range []string{"en", "fr", m.HostLanguage} {
		if langs[l] == 0 {
			t.Errorf("no post in %s", l)
		}
	}
	if own == 0 || own == len(tl.Posts) {
		t.Errorf("%d of %d posts are the mission's own; want some, not all", own, len(tl.Posts))
	}
	for what, n := range map[string]int{"replies": replies, "mentions": mentions, "hashtags": tags, "links": links} {
		if n == 0 {
			t.Errorf("no post with %s", what)
		}
	}
}

func TestParseTimelineRejects(t *testing.T) {
	const post = `{"id": "a", "author": "A", "author_handle": "@a", "lang": "en", "text": "t", "minutes_ago": 1}`
	tests := map[string]string{
		"not json":         `{`,
		"null":             `null`,
		"array":            `[]`,
		"unknown field":    `{"handle": "@a", "posts": [], "extra": 1}`,
		"unknown post key": `{"handle": "@a", "posts": [{"id": "a", "own": true}]}`,
		"trailing data":    `{"handle": "@a", "posts": []} {}`,
		"no handle":        `{"handle": " ", "posts": [` + post + `]}`,
		"no id":            `{"handle": "@a", "posts": [{"text": "t"}]}`,
		"duplicate id":     `{"handle": "@a", "posts": [` + post + `, ` + post + `]}`,
		"negative age":     `{"handle": "@a", "posts": [{"id": "a", "minutes_ago": -1}]}`,
		"wrong type":       `{"handle": "@a", "posts": [{"id": "a", "minutes_ago": "1"}]}`,
		"dangling reply":   `{"handle": "@a", "posts": [{"id": "a", "reply_to": "b"}]}`,
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := parseTimeline([]byte(in)); err == nil {
				t.Errorf("parseTimeline(%s) succeeded, want an error", in)
			}
		})
	}
}

func TestParseTimelineSortsNewestFirst(t *testing.T) {
	in := `{"handle": "@a", "posts": [
		{"id": "old", "minutes_ago": 90},
		{"id": "b", "minutes_ago": 5, "reply_to": "old"},
		{"id": "a", "minutes_ago": 5},
		{"id": "new", "minutes_ago": 0}
	]}`
	tl, err := parseTimeline([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range tl.Posts {
		got = append(got, p.ID)
	}
	if want := []string{"new", "a", "b", "old"}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

func TestParseAll(t *testing.T) {
	good := `{"handle": "@a", "posts": [{"id": "a", "text": "t"}]}`
	tls, err := parseAll(fstest.MapFS{
		"data/one.json":    {Data: []byte(good)},
		"data/two.json":    {Data: []byte(good)},
		"data/notes.txt":   {Data: []byte("ignored")},
		"other/three.json": {Data: []byte("{")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(tls) != 2 || len(tls["one"].Posts) != 1 || len(tls["two"].Posts) != 1 {
		t.Errorf("parseAll = %+v, want missions one and two with one post each", tls)
	}
	_, err = parseAll(fstest.MapFS{
		"data/one.json": {Data: []byte(good)},
		"data/bad.json": {Data: []byte(`{"handle": "@a", "posts": [{}]}`)},
	})
	if err == nil || !strings.Contains(err.Error(), "data/bad.json") {
		t.Errorf("parseAll with a bad file: err = %v, want one naming data/bad.json", err)
	}
}

func FuzzParseTimeline(f *testing.F) {
	for _, m := range Missions() {
		b, err := dataFS.ReadFile("data/" + m + ".json")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"handle": "@a", "posts": [{"id": "a", "reply_to": "a"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		tl, err := parseTimeline(b)
		if err != nil {
			return
		}
		if err := tl.check(); err != nil {
			t.Fatalf("accepted timeline fails its own check: %v", err)
		}
		for i := 1; i < len(tl.Posts); i++ {
			if tl.Posts[i-1].MinutesAgo > tl.Posts[i].MinutesAgo {
				t.Fatalf("posts not newest first at %d", i)
			}
		}
	})
}
