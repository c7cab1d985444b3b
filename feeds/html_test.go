package feeds

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestHTMLToText(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "Hello world", "Hello world"},
		{"paragraphs", "<p>Bonjour.</p><p>Second   paragraph\nwrapped.</p>", "Bonjour.\n\nSecond paragraph wrapped."},
		{"br", "line one<br>line two<br/>three", "line one\nline two\nthree"},
		{"entities", "Caf&eacute; &amp; th&eacute; &lt;b&gt;", "Café & thé <b>"},
		{
			"mastodon link",
			`<p>See <a href="https://www.canada.ca/en/services/travel.html" rel="nofollow noopener" target="_blank"><span class="invisible">https://www.</span><span class="ellipsis">canada.ca/en/services/tr</span><span class="invisible">avel.html</span></a></p>`,
			"See https://www.canada.ca/en/services/travel.html",
		},
		{
			"mention and tag",
			`<p><span class="h-card"><a href="https://social.example/@amb" class="u-url mention">@<span>amb</span></a></span> thanks! <a href="https://social.example/tags/OSCE" class="mention hashtag" rel="tag">#<span>OSCE</span></a></p>`,
			"@amb thanks! #OSCE",
		},
		{"script dropped", `<p>safe</p><script>alert("x")</script><style>p{}</style>after`, "safe\n\nafter"},
		{"javascript link", `<a href="javascript:alert(1)">click</a>`, "click"},
		{"unclosed", `<p>text <b>bold`, "text bold"},
		{"list", "<ul><li>one</li><li>two</li></ul>", "• one\n• two"},
		{"inline spacing", "a<b>b</b> <i>c</i>", "ab c"},
		{"nbsp", "a&nbsp;b", "a b"},
		{"nested hidden", "<svg><script>x</script><title>t</title></svg>shown", "shown"},
		{"empty", "", ""},
	}
	for _, c := range cases {
		if got := HTMLToText(c.in); got != c.want {
			t.Errorf("%s: HTMLToText(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

func FuzzHTMLToText(f *testing.F) {
	for _, s := range []string{"<p>a</p>", `<a href="https://x.test/">x</a>`, "<script>", "<<>>&amp;", "<p>é中🙂</p>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := HTMLToText(in)
		if utf8.ValidString(in) && !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of valid input %q", in)
		}
		if strings.Contains(strings.ToLower(out), "<script") && !strings.Contains(strings.ToLower(in), "&lt;script") {
			t.Fatalf("script tag survived: %q -> %q", in, out)
		}
		if strings.Contains(out, "\n\n\n") {
			t.Fatalf("more than one blank line: %q", out)
		}
	})
}

func TestServerMessage(t *testing.T) {
	cases := map[string]string{
		`{"error":"Record not found"}`:                 "Record not found",
		`{"error":"InvalidToken","message":"expired"}`: "InvalidToken: expired",
		"<!DOCTYPE html><html><body>404</body></html>": "",
		"plain words": "plain words",
	}
	for in, want := range cases {
		if got := serverMessage([]byte(in)); got != want {
			t.Errorf("serverMessage(%q) = %q, want %q", in, got, want)
		}
	}
}
