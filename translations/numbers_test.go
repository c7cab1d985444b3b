package translations_test

import (
	"strings"
	"testing"

	"chancery/translations"
)

func TestNumbersAndSizesFollowTheLanguage(t *testing.T) {
	for _, c := range []struct {
		lang, small, big, mb string
	}{
		{"en", "0.2", "12,345.7", "40.0"},
		{"fr", "0,2", "12\u00a0345,7", "40,0"},
		{"de", "0,2", "12.345,7", "40,0"},
		{"nl", "0,2", "12.345,7", "40,0"},
		{"zh-Hans", "0.2", "12,345.7", "40.0"},
	} {
		l := translations.New(c.lang)
		if got := l.Number(0.2, 1); got != c.small {
			t.Errorf("%s: 0.2 is %q, want %q", c.lang, got, c.small)
		}
		if got := l.Number(12345.67, 1); got != c.big {
			t.Errorf("%s: 12345.67 is %q, want %q", c.lang, got, c.big)
		}
		if got := l.Megabytes(40 << 20); got != c.mb {
			t.Errorf("%s: 40 MiB is %q, want %q", c.lang, got, c.mb)
		}
	}
	if got := translations.New("fr").T("settings.database_size", "Size", translations.New("fr").Megabytes(200<<10)); got != "0,2 Mo" {
		t.Errorf("French database size %q, want \"0,2 Mo\"", got)
	}
}

// Counts in messages are written as the language writes numbers, and the
// plural form still follows the number itself.
func TestCountsInMessagesFollowTheLanguage(t *testing.T) {
	for _, c := range []struct {
		lang, likes, one, small string
	}{
		{"en", "1,310 likes", "1 like", "999 likes"},
		{"fr", "1\u00a0310 j'aime", "1 j'aime", "999 j'aime"},
		{"de", "1.310 Likes", "1 Like", ""},
		{"nl", "1.310", "", ""},
		{"zh-Hans", "1,310", "", ""},
	} {
		l := translations.New(c.lang)
		if got := l.N("post.likes", 1310); !strings.Contains(got, c.likes) {
			t.Errorf("%s: 1310 likes is %q, want %q in it", c.lang, got, c.likes)
		}
		if c.one != "" && l.N("post.likes", 1) != c.one {
			t.Errorf("%s: 1 like is %q, want %q", c.lang, l.N("post.likes", 1), c.one)
		}
		if c.small != "" && l.N("post.likes", 999) != c.small {
			t.Errorf("%s: 999 likes is %q, want %q", c.lang, l.N("post.likes", 999), c.small)
		}
		if got := l.N("post.likes", -1310); strings.Contains(got, "1310") {
			t.Errorf("%s: -1310 likes is %q, not grouped", c.lang, got)
		}
	}
	if got, want := translations.New("en").N("post.likes", 2), "2 likes"; got != want {
		t.Errorf("en: %q, want %q (plural chosen on the number)", got, want)
	}
}

func TestListsFollowTheLanguage(t *testing.T) {
	names := []string{"Vienna · @vienna", "Beijing · @beijing"}
	if got := translations.New("en").List(names); got != "Vienna · @vienna, Beijing · @beijing" {
		t.Errorf("en: %q", got)
	}
	if got := translations.New("zh-Hans").List(names); got != "Vienna · @vienna、Beijing · @beijing" {
		t.Errorf("zh-Hans: %q", got)
	}
}
