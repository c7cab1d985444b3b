package mastodon

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

func seedFixtures(f *testing.F, names ...string) {
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		`[]`, `[{}]`, `[{"id": 5}]`, `[{"id": "1", "reblog": {"id": "2", "reblog": {"id": "3"}}}]`,
		`[{"id": "1", "url": "javascript:alert(1)", "content": "<script>x</script>"}]`, `[{"id": null}]`, `{"id": "1"}`, `[`,
	} {
		f.Add([]byte(s))
	}
}

// checkPost holds for every post made from any input.
func checkPost(t *testing.T, id, url, text string, media []string) {
	if id == "" {
		t.Fatal("post without id")
	}
	for _, u := range append([]string{url}, media...) {
		if u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
			t.Fatalf("non-web URL reached a post: %q", u)
		}
	}
	if strings.Contains(strings.ToLower(text), "<script") {
		t.Fatalf("markup in text: %q", text)
	}
}

func FuzzStatusesToPosts(f *testing.F) {
	seedFixtures(f, "home.json", "context.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		var list []status
		if json.Unmarshal(data, &list) != nil {
			return
		}
		posts := converter{domain: "social.example"}.statuses(list)
		for _, p := range posts {
			var media []string
			for _, m := range p.Media {
				media = append(media, m.URL, m.PreviewURL)
			}
			checkPost(t, p.ID, p.URL, p.Text, media)
			if StatusID(p.ID) == "" {
				t.Fatalf("status post %q has no status id", p.ID)
			}
			if utf8.Valid(data) && !utf8.ValidString(p.Text) {
				t.Fatalf("invalid UTF-8 text from valid input: %q", p.Text)
			}
		}
	})
}

func FuzzNotificationsToPosts(f *testing.F) {
	seedFixtures(f, "notifications.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		var list []notification
		if json.Unmarshal(data, &list) != nil {
			return
		}
		for _, p := range (converter{}).notifications(list) {
			checkPost(t, p.ID, p.URL, p.Text, nil)
			if !strings.HasPrefix(p.ID, "n") || !strings.Contains(p.ID, idSep) {
				t.Fatalf("notification id %q", p.ID)
			}
			if (p.Notification == notifFollow) != (StatusID(p.ID) == "") {
				t.Fatalf("follow %v but status id %q", p.Notification == notifFollow, StatusID(p.ID))
			}
		}
	})
}

func FuzzCount(f *testing.F) {
	for _, s := range []string{"", "Bonjour", "https://ex.de/x?y=1.", "@a@b.example", "(http://a.bc/(d))", "x@y.z", "🇨🇦👨\u200d👩", "@@@", "http://", "https://-a.b", "@a.b.c@d"} {
		f.Add(s, 23)
	}
	f.Fuzz(func(t *testing.T, text string, urlLength int) {
		urlLength = min(max(urlLength, 0), 1000)
		got := count(text, urlLength)
		if got < 0 {
			t.Fatalf("negative count %d", got)
		}
		plain := uniseg.GraphemeClusterCount(text)
		if !strings.Contains(text, "://") && !strings.Contains(text, "@") && got != plain {
			t.Fatalf("count(%q) = %d, want %d graphemes", text, got, plain)
		}
		links := strings.Count(strings.ToLower(text), "http")
		if got > plain+links*urlLength+1 {
			t.Fatalf("count(%q) = %d, more than %d graphemes plus %d links", text, got, plain, links)
		}
	})
}

func FuzzLinkParam(f *testing.F) {
	f.Add(`<https://a.example/x?max_id=9>; rel="next", <https://a.example/x?min_id=1>; rel="prev"`)
	f.Add(`<<>>;;rel=,`)
	f.Fuzz(func(t *testing.T, header string) {
		_ = linkParam([]string{header}, "next", "max_id")
	})
}
