package accounts_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"chancery/accounts"
)

func TestDefaultMissionsPublishInEnglishFrenchAndTheirHostLanguage(t *testing.T) {
	want := map[string]string{
		"vienna":     "en fr de",
		"the-hague":  "en fr nl",
		"beijing":    "en fr zh-Hans",
		"new-york":   "en fr",
		"washington": "en fr",
	}
	for _, m := range accounts.DefaultMissions() {
		if got := strings.Join(m.Languages(), " "); got != want[m.ID] {
			t.Errorf("%s publishes in %q, want %q", m.ID, got, want[m.ID])
		}
	}
}

func TestMissionLanguagesAlwaysHoldEnglishAndFrench(t *testing.T) {
	for _, host := range []string{"", "en", "fr", "de", "zh-Hans", "ja"} {
		langs := accounts.Mission{ID: "m", HostLanguage: host}.Languages()
		if langs[0] != "en" || langs[1] != "fr" {
			t.Errorf("host %q: %v does not start with en, fr", host, langs)
		}
		if n := len(slices.Compact(slices.Clone(langs))); n != len(langs) {
			t.Errorf("host %q: %v repeats a language", host, langs)
		}
	}
}

func TestParseHostLanguage(t *testing.T) {
	cases := []struct {
		in, want string
		bad      bool
	}{
		{in: "de", want: "de"},
		{in: "zh-hans", want: "zh-Hans"},
		{in: " NL ", want: "nl"},
		{in: "none", want: ""},
		{in: "en", want: ""},
		{in: "fr", want: ""},
		{in: "klingon", bad: true},
		{in: "zh", bad: true},
	}
	for _, c := range cases {
		got, err := accounts.ParseHostLanguage(c.in)
		if c.bad {
			if !errors.Is(err, accounts.ErrUnknownLanguage) {
				t.Errorf("%q: got %q, %v; want ErrUnknownLanguage", c.in, got, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q: got %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func TestSetHostLanguageChangesWhatTheMissionsAccountsPublish(t *testing.T) {
	ws := accounts.NewWorkspace(newMemStore(), nil, func() time.Time { return testNow })
	if _, err := ws.EnsureDefault(); err != nil {
		t.Fatal(err)
	}
	langs, err := ws.AccountLanguages("vienna-demo")
	if err != nil || strings.Join(langs, " ") != "en fr de" {
		t.Fatalf("vienna-demo publishes in %v (%v)", langs, err)
	}
	m, err := ws.SetHostLanguage("new-york", "es")
	if err != nil || m.HostLanguage != "es" {
		t.Fatalf("set host language: %+v, %v", m, err)
	}
	if langs, _ := ws.AccountLanguages("new-york-demo"); strings.Join(langs, " ") != "en fr es" {
		t.Errorf("after the change, new-york-demo publishes in %v", langs)
	}
	if _, err := ws.SetHostLanguage("vienna", "none"); err != nil {
		t.Fatal(err)
	}
	if langs, _ := ws.AccountLanguages("vienna-demo"); strings.Join(langs, " ") != "en fr" {
		t.Errorf("with no host language, vienna-demo publishes in %v", langs)
	}
	stored, _ := ws.Mission("vienna")
	if stored.TimeZone != "Europe/Vienna" || stored.Name("fr") != "Vienne" {
		t.Errorf("setting the language changed the rest of the mission: %+v", stored)
	}
	if _, err := ws.SetHostLanguage("vienna", "xx"); !errors.Is(err, accounts.ErrUnknownLanguage) {
		t.Errorf("unknown language: %v", err)
	}
	if _, err := ws.SetHostLanguage("atlantis", "de"); !errors.Is(err, accounts.ErrNoMission) {
		t.Errorf("unknown mission: %v", err)
	}
	if _, err := ws.AccountLanguages("nobody"); !errors.Is(err, accounts.ErrNoAccount) {
		t.Errorf("unknown account: %v", err)
	}
}
