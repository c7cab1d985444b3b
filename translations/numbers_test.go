package translations_test

import (
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
