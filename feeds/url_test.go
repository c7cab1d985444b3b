package feeds_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"chancery/feeds"
)

func TestSafeLink(t *testing.T) {
	tests := []struct {
		raw  string
		want string // "" when refused
	}{
		{"https://social.example/@alice/1", "https://social.example/@alice/1"},
		{"http://blog.example/post?id=1#top", "http://blog.example/post?id=1#top"},
		{"  https://social.example/  ", "https://social.example/"},
		{"HTTPS://Social.Example/Path", "https://Social.Example/Path"},
		{"https://social.example:8443/x", "https://social.example:8443/x"},
		{"http://127.0.0.1:3000/", "http://127.0.0.1:3000/"},
		{"http://[::1]:8080/a", "http://[::1]:8080/a"},
		{"https://bücher.example/", "https://xn--bcher-kva.example/"},
		{"https://b%C3%BCcher.example/", "https://xn--bcher-kva.example/"},
		{"https://xn--bcher-kva.example/", "https://xn--bcher-kva.example/"},
		{"https://social.example/tags/caf%C3%A9", "https://social.example/tags/caf%C3%A9"},
		{"javascript:alert(1)", ""},
		{"JavaScript://social.example/%0aalert(1)", ""},
		{"data:text/html;base64,PHNjcmlwdD4=", ""},
		{"file:///etc/passwd", ""},
		{"mailto:press@mission.example", ""},
		{"ftp://files.example/a.pdf", ""},
		{"/relative/path", ""},
		{"//social.example/no-scheme", ""},
		{"social.example/no-scheme", ""},
		{"https:opaque", ""},
		{"https://", ""},
		{"https://bank.example@evil.example/", ""},
		{"https://user:pw@social.example/", ""},
		{"https://social.example/a b", ""},
		{"https://social.example/a\tb", ""},
		{"https://social.example/\x00", ""},
		{"https://social.example/\u202egnp.exe", ""},
		{"https://social\u200b.example/", ""},
		{"https://evil.example\\@good.example/", ""},
		{"https://social.example/\xff", ""},
		{"https://" + strings.Repeat("a", 5000) + ".example/", ""},
		{"", ""},
	}
	for _, tt := range tests {
		u, ok := feeds.SafeLink(tt.raw)
		got := ""
		if ok {
			got = u.String()
		}
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("SafeLink(%q) = %q, %v; want %q", tt.raw, got, ok, tt.want)
		}
	}
}

func TestFetchableURL(t *testing.T) {
	tests := []struct {
		raw  string
		want error // nil when accepted
	}{
		{"https://files.social.example/avatars/1.png", nil},
		{"http://127.0.0.1:8080/a.png", nil},
		{"http://localhost/a.png", nil},
		{"http://[::1]/a.png", nil},
		{"http://files.example/a.png", feeds.ErrInsecureURL},
		{"http://10.0.0.1/a.png", feeds.ErrInsecureURL},
		{"http://127.0.0.1.evil.example/a.png", feeds.ErrInsecureURL},
		{"ftp://files.example/a.png", feeds.ErrBadURL},
		{"data:image/png;base64,iVBORw0KGgo=", feeds.ErrBadURL},
		{"file:///etc/passwd", feeds.ErrBadURL},
		{"https://user:secret@files.example/a.png", feeds.ErrBadURL},
		{"/a.png", feeds.ErrBadURL},
		{"", feeds.ErrBadURL},
	}
	for _, tt := range tests {
		u, err := feeds.FetchableURL(tt.raw)
		if !errors.Is(err, tt.want) || (tt.want == nil) != (u != nil) {
			t.Errorf("FetchableURL(%q) = %v, %v; want %v", tt.raw, u, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("error repeats a password: %v", err)
		}
	}
}

// FuzzSafeLink checks the promises of SafeLink on any input: what it
// accepts is an http(s) URL with a host, no user info, nothing that could
// disguise it, and it reads back as itself.
func FuzzSafeLink(f *testing.F) {
	for _, s := range []string{
		"https://social.example/@a/1", "javascript:alert(1)", "https://a@b/", "http://[::1]:80/",
		"https://bücher.example/", "https://x.example/\u202e", "https://x.example\\@y/", "data:,x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, ok := feeds.SafeLink(raw)
		if !ok {
			if u != nil {
				t.Fatalf("refused %q but returned %v", raw, u)
			}
			return
		}
		s := u.String()
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.Opaque != "" {
			t.Fatalf("SafeLink(%q) accepted %q", raw, s)
		}
		if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool {
			return r == '\\' || r > unicode.MaxASCII && unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == ' '
		}) {
			t.Fatalf("SafeLink(%q) = %q holds a disguising character", raw, s)
		}
		again, err := url.Parse(s)
		if err != nil || again.Scheme != u.Scheme || again.Host != u.Host {
			t.Fatalf("SafeLink(%q) = %q does not read back: %v", raw, s, err)
		}
		if v, ok := feeds.SafeLink(s); !ok || v.String() != s {
			t.Fatalf("SafeLink(%q) = %q, but that is not stable", raw, s)
		}
	})
}
