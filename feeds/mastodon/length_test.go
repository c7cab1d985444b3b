package mastodon

import "testing"

func TestCount(t *testing.T) {
	cases := []struct {
		name, text string
		want       int
	}{
		{"empty", "", 0},
		{"ascii", "Bonjour", 7},
		{"composed and decomposed accents", "é e\u0301", 3},
		{"family emoji is one", "👨\u200d👩\u200d👧\u200d👦", 1},
		{"flags", "🇨🇦🇫🇷", 2},
		{"cjk", "维也纳使馆", 5},
		{"short link counts 23", "https://ex.de", 23},
		{"long link counts 23", "see https://www.canada.ca/en/immigration-refugees-citizenship/services/visit-canada.html?lang=fr#top.", 4 + 23 + 1},
		{"two links", "http://a.example https://b.example/x", 23 + 1 + 23},
		{"link glued to a letter", "xhttps://example.com", 20},
		{"host without a tld", "http://localhost/abc", 20},
		{"balanced parenthesis kept", "(https://en.wikipedia.org/wiki/Vienna_(disambiguation))", 1 + 23 + 1},
		{"unicode path", "Grüße https://ex.de/ü", 6 + 23},
		{"remote mention counts its user", "@consul@other.example hello", len("@consul hello")},
		{"local mention", "@consul", 7},
		{"mention with subdomain", "@a_b@social.gov.example!", len("@a_b!")},
		{"e-mail is not a mention", "mail me@example.com", 19},
		{"mention inside a link", "https://a.example/@user@b.example", 23},
		{"mention then dot", "@user.", 6},
		{"hashtag counts as text", "#visa", 5},
	}
	for _, c := range cases {
		if got := count(c.text, DefaultURLLength); got != c.want {
			t.Errorf("%s: count(%q) = %d, want %d", c.name, c.text, got, c.want)
		}
	}
	if got := count("https://ex.de", 30); got != 30 {
		t.Errorf("custom url length: %d", got)
	}
}
