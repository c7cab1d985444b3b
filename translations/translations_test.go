package translations_test

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"chancery/accounts"
	"chancery/drafts"
	"chancery/translations"
)

// messages parses every message file of one locale (the main file and each
// area's) into id -> message; an id defined twice fails the test.
func messages(t *testing.T, tag string) map[string]*i18n.Message {
	t.Helper()
	names, err := translations.LocaleFiles(os.DirFS("."), "locales", tag)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*i18n.Message{}
	for _, name := range names {
		data, err := os.ReadFile(filepath.FromSlash(name))
		if err != nil {
			t.Fatal(err)
		}
		b := i18n.NewBundle(language.English)
		b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
		f, err := b.ParseMessageFileBytes(data, name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, m := range f.Messages {
			if _, dup := out[m.ID]; dup {
				t.Errorf("%s: id %q is defined twice", name, m.ID)
			}
			out[m.ID] = m
		}
	}
	return out
}

func TestEveryLocaleHasEveryMessage(t *testing.T) {
	en := messages(t, "en")
	if len(en) < 50 {
		t.Fatalf("en.toml has only %d messages", len(en))
	}
	for _, tag := range translations.Supported() {
		t.Run(tag, func(t *testing.T) {
			got := messages(t, tag)
			for id, m := range en {
				tm, ok := got[id]
				if !ok {
					t.Errorf("missing id %q", id)
					continue
				}
				if tm.Other == "" {
					t.Errorf("%q has no 'other' form", id)
				}
				if placeholders(m.Other) != placeholders(tm.Other) {
					t.Errorf("%q: placeholders %s, want %s", id, placeholders(tm.Other), placeholders(m.Other))
				}
			}
			for id := range got {
				if _, ok := en[id]; !ok {
					t.Errorf("id %q is not in en.toml", id)
				}
			}
		})
	}
}

var placeholderRE = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

func placeholders(s string) string {
	set := map[string]bool{}
	for _, m := range placeholderRE.FindAllStringSubmatch(s, -1) {
		set[m[1]] = true
	}
	delete(set, "MonthNum") // languages may write the month as a number or a name
	delete(set, "Month")
	return strings.Join(slices.Sorted(maps.Keys(set)), ",")
}

var usedRE = regexp.MustCompile(`(?:\.T|\.N|NewProblem)\("([a-zA-Z0-9_.-]+)"`)

// TestCodeUsesOnlyKnownIDs scans the project's Go sources for message ids.
func TestCodeUsesOnlyKnownIDs(t *testing.T) {
	en := messages(t, "en")
	found := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range usedRE.FindAllStringSubmatch(string(src), -1) {
			id := m[1]
			if strings.HasSuffix(id, ".") {
				continue // a prefix completed at run time; checked below
			}
			found++
			if _, ok := en[id]; !ok {
				t.Errorf("%s uses unknown message id %q", path, id)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 50 {
		t.Fatalf("found only %d message ids in the sources; is the scan broken?", found)
	}
	var dynamic []string
	for _, s := range []accounts.State{accounts.StateOK, accounts.StateOffline, accounts.StateNeedsSignIn, accounts.StateError} {
		dynamic = append(dynamic, "state."+string(s))
	}
	for _, tag := range append(translations.Supported(), accounts.HostLanguages()...) {
		dynamic = append(dynamic, "language."+tag)
	}
	for _, n := range accounts.Networks() {
		dynamic = append(dynamic, "network."+string(n))
	}
	for _, st := range []drafts.State{drafts.Queued, drafts.Sending, drafts.Sent, drafts.Failed} {
		dynamic = append(dynamic, "outbox.state."+string(st))
	}
	for _, v := range []string{"public", "unlisted", "private", "direct"} {
		dynamic = append(dynamic, "visibility."+v)
	}
	for _, n := range []string{"mention", "reply", "repost", "like", "follow", "quote"} {
		dynamic = append(dynamic, "notification."+n)
	}
	for m := 1; m <= 12; m++ {
		dynamic = append(dynamic, "month."+strconv.Itoa(m))
	}
	for _, id := range dynamic {
		if _, ok := en[id]; !ok {
			t.Errorf("missing dynamic id %q", id)
		}
	}
}

func TestMatch(t *testing.T) {
	cases := []struct {
		in   []string
		want string
	}{
		{[]string{"fr_CA.UTF-8"}, "fr"},
		{[]string{"en_US.UTF-8"}, "en"},
		{[]string{"de_AT.UTF-8"}, "de"},
		{[]string{"nl-NL"}, "nl"},
		{[]string{"zh-CN"}, "zh-Hans"},
		{[]string{"zh_CN.UTF-8"}, "zh-Hans"},
		{[]string{"C"}, "en"},
		{[]string{"POSIX"}, "en"},
		{[]string{""}, "en"},
		{[]string{"ja_JP.UTF-8"}, "en"},
		{[]string{"ja", "fr"}, "fr"},
		{nil, "en"},
		{[]string{"not a locale!"}, "en"},
	}
	for _, c := range cases {
		if got := translations.Match(c.in...); got != c.want {
			t.Errorf("Match(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFromEnvironment(t *testing.T) {
	t.Setenv("LANGUAGE", "")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "fr_CA.UTF-8")
	t.Setenv("LANG", "en_US.UTF-8")
	if got := translations.FromEnvironment(); got != "fr" {
		t.Errorf("LC_MESSAGES=fr_CA: got %q", got)
	}
	t.Setenv("LANGUAGE", "nl:en")
	if got := translations.FromEnvironment(); got != "nl" {
		t.Errorf("LANGUAGE=nl:en: got %q", got)
	}
}

func TestLocalizer(t *testing.T) {
	en, fr := translations.New("en"), translations.New("fr-CA")
	if fr.Lang() != "fr" {
		t.Fatalf("fr-CA matched %q", fr.Lang())
	}
	if got := en.N("post.replies", 1); got != "1 reply" {
		t.Errorf("en one: %q", got)
	}
	if got := en.N("post.replies", 3); got != "3 replies" {
		t.Errorf("en other: %q", got)
	}
	// French CLDR: 0 and 1 are both "one".
	if got := fr.N("post.replies", 0); got != "0 réponse" {
		t.Errorf("fr zero: %q", got)
	}
	if got := fr.N("post.replies", 2); got != "2 réponses" {
		t.Errorf("fr other: %q", got)
	}
	if got := fr.T("startup.file", "Path", "/x"); got != "Fichier : /x" {
		t.Errorf("fr data: %q", got)
	}
	if got := en.T("no.such.id"); got != "no.such.id" {
		t.Errorf("missing id: %q", got)
	}
}

func TestErrorMessages(t *testing.T) {
	en := translations.New("en")
	wrapped := &wrapErr{accounts.ErrNoMission}
	if got := en.Error(wrapped); got != "There is no mission with that id." {
		t.Errorf("Problem in chain: %q", got)
	}
	if got := en.Error(os.ErrClosed); got != "An unexpected error occurred." {
		t.Errorf("plain error: %q", got)
	}
	if got := en.Error(nil); got != "" {
		t.Errorf("nil: %q", got)
	}
}

type wrapErr struct{ err error }

func (w *wrapErr) Error() string { return "context: " + w.err.Error() }
func (w *wrapErr) Unwrap() error { return w.err }
