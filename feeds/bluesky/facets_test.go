package bluesky

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"chancery/accounts"
)

// want is one expected span: its kind, the matched text and the value.
type want struct {
	kind  spanKind
	text  string
	value string
}

func link(s string) want               { return want{spanLink, s, s} }
func mention(text, handle string) want { return want{spanMention, text, handle} }
func tag(text, value string) want      { return want{spanTag, text, value} }

var facetCases = []struct {
	name string
	text string
	want []want
}{
	{"mention", "Bonjour @alice.bsky.social !", []want{mention("@alice.bsky.social", "alice.bsky.social")}},
	{
		"french accents", "Réunion à l'ambassade : https://fr.example.org/événements/été-2026. Bienvenue à @élise.bsky.social et @zoé.example.fr !",
		[]want{link("https://fr.example.org/événements/été-2026")},
	},
	{
		"chinese", "北京大使馆欢迎您！详情请见https://example.cn/签证。谢谢 #签证 你好，@beijing.bsky.social。",
		[]want{link("https://example.cn/签证"), tag("#签证", "签证"), mention("@beijing.bsky.social", "beijing.bsky.social")},
	},
	{
		"zwj emoji", "👨‍👩‍👧‍👦 famille #famille👨‍👩‍👧 fin @alice.bsky.social 👩🏽‍💻",
		[]want{tag("#famille👨‍👩‍👧", "famille👨‍👩‍👧"), mention("@alice.bsky.social", "alice.bsky.social")},
	},
	{
		"flags", "🇫🇷🇦🇹 #France🇫🇷 @alice.bsky.social🇫🇷 https://example.at/🇦🇹",
		[]want{tag("#France🇫🇷", "France🇫🇷"), mention("@alice.bsky.social", "alice.bsky.social"), link("https://example.at/🇦🇹")},
	},
	{
		"url punctuation", "See https://example.com/path_(x). and (https://example.org/a) and https://example.net/q?a=1&b=2, ok! https://x.org/!",
		[]want{link("https://example.com/path_(x)"), link("https://example.org/a"), link("https://example.net/q?a=1&b=2"), link("https://x.org/")},
	},
	{
		"url quotes", `«https://example.fr/page» "https://example.org/q" [https://example.net/x]`,
		[]want{link("https://example.fr/page"), link("https://example.org/q"), link("https://example.net/x")},
	},
	{
		"url not a link", "xhttps://example.com https://localhost/ http:// https://nodot",
		nil,
	},
	{
		"mentions at start and end", "@alice.bsky.social bonjour @Bob.Bsky.Social.",
		[]want{mention("@alice.bsky.social", "alice.bsky.social"), mention("@Bob.Bsky.Social", "bob.bsky.social")},
	},
	{"mention in parens", "(@alice.bsky.social)", []want{mention("@alice.bsky.social", "alice.bsky.social")}},
	{"not mentions", "mail bob@example.com, @nodot, @-bad.com? @alice.bsky.social_x @alice.bsky.sociale\u0301", nil},
	{
		"hashtags", "#1 #123abc #tag, #️⃣ keycap ＃全角 #a#b x#no #trailing... #",
		[]want{tag("#123abc", "123abc"), tag("#tag", "tag"), tag("＃全角", "全角"), tag("#a#b", "a#b"), tag("#trailing", "trailing")},
	},
	{
		"fragment in link", "https://example.com/#frag @alice.bsky.social",
		[]want{link("https://example.com/#frag"), mention("@alice.bsky.social", "alice.bsky.social")},
	},
	{"mention inside link", "https://example.com/(@alice.bsky.social)", []want{link("https://example.com/(@alice.bsky.social)")}},
	{"invisible chars end tags", "#tag\u200Bhidden #soft\u00ADhyphen", []want{tag("#tag", "tag"), tag("#soft", "soft")}},
	{
		"tag too long", "#" + strings.Repeat("é", 65) + " #" + strings.Repeat("a", 64),
		[]want{tag("#"+strings.Repeat("a", 64), strings.Repeat("a", 64))},
	},
	{
		"newlines", "Ligne 1\n@alice.bsky.social\n#tag\nhttps://example.com",
		[]want{mention("@alice.bsky.social", "alice.bsky.social"), tag("#tag", "tag"), link("https://example.com")},
	},
	{"empty", "", nil},
}

func TestDetect(t *testing.T) {
	for _, tt := range facetCases {
		t.Run(tt.name, func(t *testing.T) {
			var got []want
			for _, s := range detect(tt.text) {
				got = append(got, want{s.kind, tt.text[s.start:s.end], s.value})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("detect(%q)\n got %+v\nwant %+v", tt.text, got, tt.want)
			}
			checkSpans(t, tt.text, detect(tt.text))
		})
	}
}

func TestFacetsByteOffsets(t *testing.T) {
	text := "Été 🇫🇷 @alice.bsky.social @nobody.bsky.social https://example.fr #visa"
	got := facets(detect(text), map[string]string{"alice.bsky.social": aliceDID})
	if len(got) != 3 {
		t.Fatalf("facets = %+v, want 3 (the unresolved mention stays text)", got)
	}
	wants := []struct {
		sub string
		f   feature
	}{
		{"@alice.bsky.social", feature{Type: typeFacetMention, DID: aliceDID}},
		{"https://example.fr", feature{Type: typeFacetLink, URI: "https://example.fr"}},
		{"#visa", feature{Type: typeFacetTag, Tag: "visa"}},
	}
	for i, w := range wants {
		start := strings.Index(text, w.sub)
		want := facet{Index: byteSlice{ByteStart: start, ByteEnd: start + len(w.sub)}, Features: []feature{w.f}}
		if !reflect.DeepEqual(got[i], want) {
			t.Errorf("facet %d = %+v, want %+v", i, got[i], want)
		}
	}
	// "Été " is 6 bytes (4 runes), the flag 8 bytes (2 runes), the space 1.
	if got[0].Index.ByteStart != 15 || got[0].Index.ByteEnd != 15+len("@alice.bsky.social") {
		t.Errorf("mention at %+v, want UTF-8 byte offsets [15,33)", got[0].Index)
	}
}

func TestLength(t *testing.T) {
	n := New(newMemSecrets(), nil)
	tests := []struct {
		text string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"été", 3},
		{"e\u0301te\u0301", 3},
		{"👨‍👩‍👧‍👦🇫🇷🇦🇹", 3},
		{"北京大使馆", 5},
		{strings.Repeat("🇫🇷", 300), 300},
	}
	for _, tt := range tests {
		if used, limit := n.Length(accounts.Account{}, tt.text); used != tt.want || limit != 300 {
			t.Errorf("Length(%q) = %d, %d; want %d, 300", tt.text, used, limit, tt.want)
		}
	}
}

// checkSpans asserts what every span list must satisfy.
func checkSpans(t *testing.T, text string, spans []span) {
	t.Helper()
	end := 0
	for _, s := range spans {
		if s.start < end || s.start >= s.end || s.end > len(text) {
			t.Fatalf("span [%d,%d) out of order or bounds (previous end %d, len %d) in %q", s.start, s.end, end, len(text), text)
		}
		if !utf8.RuneStart(text[s.start]) || (s.end < len(text) && !utf8.RuneStart(text[s.end])) {
			t.Fatalf("span [%d,%d) not on rune boundaries in %q", s.start, s.end, text)
		}
		end = s.end
		matched := text[s.start:s.end]
		switch s.kind {
		case spanLink:
			if matched != s.value {
				t.Fatalf("link %q does not slice back to %q", s.value, matched)
			}
		case spanMention:
			if matched[0] != '@' || !strings.EqualFold(matched[1:], s.value) {
				t.Fatalf("mention %q does not slice back to %q", s.value, matched)
			}
		case spanTag:
			if v, ok := strings.CutPrefix(matched, "#"); (!ok || v != s.value) && strings.TrimPrefix(matched, "＃") != s.value {
				t.Fatalf("tag %q does not slice back to %q", s.value, matched)
			}
			if s.value == "" {
				t.Fatalf("empty tag in %q", text)
			}
		}
	}
}

func FuzzDetect(f *testing.F) {
	for _, tt := range facetCases {
		f.Add(tt.text)
	}
	f.Add("@a.b#c https://d.e/@f.g #h\u200D@i.j")
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			text = strings.ToValidUTF8(text, "\uFFFD")
		}
		spans := detect(text)
		checkSpans(t, text, spans)
		fs := facets(spans, map[string]string{})
		for _, fc := range fs {
			if fc.Index.ByteStart < 0 || fc.Index.ByteEnd > len(text) || fc.Index.ByteStart >= fc.Index.ByteEnd {
				t.Fatalf("facet %+v out of bounds", fc)
			}
		}
	})
}
