package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"chancery/accounts"
	"chancery/translations"
)

func TestConfirmDeleteNamesTheAccountAndReadsTheAnswer(t *testing.T) {
	a := accounts.Account{ID: "vienna-mastodon-abc", Network: accounts.Mastodon, Handle: "@ambassade@social.example"}
	for _, tc := range []struct {
		lang, answer string
		want         bool
	}{
		{"en", "y\n", true},
		{"en", "YES\n", true},
		{"en", "n\n", false},
		{"en", "\n", false},
		{"en", "", false},
		{"fr", "oui\n", true},
		{"fr", "o\n", true},
		{"fr", "non\n", false},
		{"de", "ja\n", true},
		{"nl", "j\n", true},
		{"zh-Hans", "是\n", true},
		{"zh-Hans", "否\n", false},
	} {
		var w bytes.Buffer
		got, err := confirmDelete(translations.New(tc.lang), strings.NewReader(tc.answer), &w, a, "109")
		if err != nil || got != tc.want {
			t.Errorf("%s %q: %v, %v; want %v", tc.lang, tc.answer, got, err, tc.want)
		}
		if q := w.String(); !strings.Contains(q, "109") || !strings.Contains(q, a.Handle) || !strings.Contains(q, a.ID) {
			t.Errorf("%s: the question %q does not name the post and the account", tc.lang, q)
		}
	}
	if inputIsTerminal(strings.NewReader("y\n")) {
		t.Error("a string reader counted as a terminal")
	}
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	if inputIsTerminal(null) {
		t.Error("the null device counted as a terminal")
	}
}
