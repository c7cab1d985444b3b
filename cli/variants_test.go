package cli_test

import (
	"slices"
	"strings"
	"testing"

	"chancery/cli"
)

func TestPostVariantsGoOutInEachAccountsMissionLanguages(t *testing.T) {
	p := newPubEnv(t)
	texts := map[string]string{
		"en":      "Consular hours change on Friday.",
		"fr":      "Les heures du consulat changent vendredi.",
		"de":      "Die Öffnungszeiten ändern sich am Freitag.",
		"zh-Hans": "领事办公时间周五调整。",
		"nl":      "De openingstijden veranderen vrijdag.",
	}
	code, out, errOut := p.run(texts["zh-Hans"]+"\n", "post", "--account", "vienna-demo,beijing-demo",
		"--variant", "en="+writeText(t, texts["en"]), "--variant", "fr="+writeText(t, texts["fr"]),
		"--variant", "de="+writeText(t, texts["de"]), "--variant", "zh-hans=-",
		"--variant", "nl="+writeText(t, texts["nl"]), "--json")
	if code != cli.ExitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(errOut, "The nl version is published on none of these accounts") {
		t.Errorf("no warning about the Dutch version: %q", errOut)
	}
	want := []string{"vienna-demo/en", "vienna-demo/fr", "vienna-demo/de", "beijing-demo/en", "beijing-demo/fr", "beijing-demo/zh-Hans"}
	check := func(what string, list []map[string]any) {
		t.Helper()
		var got []string
		for _, e := range list {
			lang, _ := e["lang"].(string)
			got = append(got, e["account"].(string)+"/"+lang)
			if e["text"] != texts[lang] {
				t.Errorf("%s: %v/%s carries %q", what, e["account"], lang, e["text"])
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: %v\nwant %v", what, got, want)
		}
	}
	check("post --json", decodeArray(t, out))
	check("outbox list --json", p.outboxList())
	if n := p.demo.count(); n != 6 {
		t.Errorf("%d posts published, want 6", n)
	}
}

func TestPostRefusesAnAccountThatWouldPublishNothing(t *testing.T) {
	p := newPubEnv(t)
	code, _, errOut := p.run("", "post", "--account", "vienna-demo,beijing-demo",
		"--variant", "de="+writeText(t, "Nur auf Deutsch."))
	if code != cli.ExitFailure || !strings.Contains(errOut, "beijing-demo") {
		t.Errorf("exit %d, stderr %q; want a failure naming beijing-demo", code, errOut)
	}
	if list := p.outboxList(); len(list) != 0 {
		t.Errorf("%d entries queued", len(list))
	}
	if ds := decodeArray(t, p.ok("", "drafts", "list", "--json")); len(ds) != 0 {
		t.Errorf("the refused post was left as a draft: %v", ds)
	}
}

func TestPostSingleLanguageStillWorks(t *testing.T) {
	p := newPubEnv(t)
	out := p.ok("Bonjour", "post", "--account", "washington-demo", "--lang", "fr", "--text-file", "-", "--json")
	list := decodeArray(t, out)
	if len(list) != 1 || list[0]["lang"] != "fr" || list[0]["text"] != "Bonjour" || list[0]["account"] != "washington-demo" {
		t.Errorf("posted %v", list)
	}
}

func TestPostVariantUsage(t *testing.T) {
	p := newPubEnv(t)
	file := writeText(t, "Hello")
	cases := [][]string{
		{"--variant", "en=" + file, "--text-file", file},
		{"--variant", "en=" + file, "--lang", "fr"},
		{"--variant", "en=-", "--variant", "fr=-"},
		{"--variant", "en"},
		{"--variant", "en="},
		{"--variant", "xx=" + file},
		{"--variant", "en=" + file, "--variant", "EN=" + file},
		{},
	}
	for _, c := range cases {
		args := append([]string{"post", "--account", "vienna-demo"}, c...)
		if code, _, _ := p.run("", args...); code != cli.ExitUsage {
			t.Errorf("%v: exit %d, want %d", c, code, cli.ExitUsage)
		}
	}
	if n := len(p.outboxList()); n != 0 {
		t.Errorf("usage errors queued %d entries", n)
	}
}

func TestMissionsShowAndSetLanguages(t *testing.T) {
	e := newEnv(t, "")
	languages := func() map[string]string {
		t.Helper()
		code, out, errOut := e.run("", "missions", "--json")
		if code != cli.ExitOK {
			t.Fatalf("missions: exit %d, %q", code, errOut)
		}
		got := map[string]string{}
		for _, m := range decodeArray(t, out) {
			var langs []string
			for _, l := range m["languages"].([]any) {
				langs = append(langs, l.(string))
			}
			got[m["id"].(string)] = strings.Join(langs, " ")
		}
		return got
	}
	got := languages()
	if got["vienna"] != "en fr de" || got["beijing"] != "en fr zh-Hans" || got["new-york"] != "en fr" {
		t.Errorf("languages %v", got)
	}
	code, out, errOut := e.run("", "missions", "set-host-language", "washington", "es")
	if code != cli.ExitOK || !strings.Contains(out, "Washington now publishes in en, fr, es") {
		t.Errorf("set: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, _, _ = e.run("", "missions", "set-host-language", "vienna", "none"); languages()["vienna"] != "en fr" {
		t.Errorf("vienna after none: %q", languages()["vienna"])
	}
	if got := languages()["washington"]; got != "en fr es" {
		t.Errorf("washington: %q", got)
	}
	if code, _, errOut := e.run("", "missions", "set-host-language", "vienna", "klingon"); code != cli.ExitFailure || !strings.Contains(errOut, "not a language a mission can have") {
		t.Errorf("unknown language: exit %d, %q", code, errOut)
	}
	if code, _, _ := e.run("", "missions", "set-host-language", "atlantis", "de"); code != cli.ExitFailure {
		t.Errorf("unknown mission: exit %d", code)
	}
	for _, args := range [][]string{{"vienna"}, {"vienna", "de", "nl"}, {"--json", "de"}} {
		if code, _, _ := e.run("", append([]string{"missions", "set-host-language"}, args...)...); code != cli.ExitUsage {
			t.Errorf("%v: exit %d, want usage", args, code)
		}
	}
}
