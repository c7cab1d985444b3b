package app

import (
	"encoding/json"
	"testing"

	"fyne.io/fyne/v2/lang"

	"chancery/translations"
)

// Fyne's own texts (the Quit item, OK and Cancel, the file dialog, the
// entry menu, the days of the week) follow the interface language in every
// language Chancery speaks, including those Fyne 2.7 does not ship (Dutch)
// or ships in part (French).
func TestFyneOwnTextsFollowEveryInterfaceLanguage(t *testing.T) {
	t.Setenv("LANGUAGE", "")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "C.UTF-8")
	t.Cleanup(func() { followLanguage("") })
	var keys map[string]any // every text Fyne has, from the complete Dutch set
	if err := json.Unmarshal(translations.FyneMessages("nl"), &keys); err != nil {
		t.Fatal(err)
	}
	want := map[string][3]string{ // Quit, Cancel, monday
		"fr":      {"Quitter", "Annuler", "lundi"},
		"de":      {"Beenden", "Abbrechen", "Montag"},
		"nl":      {"Afsluiten", "Annuleren", "maandag"},
		"zh-Hans": {"退出", "取消", "星期一"},
	}
	for tag, w := range want {
		followLanguage(tag)
		got := [3]string{lang.L("Quit"), lang.L("Cancel"), lang.L("monday")}
		if got != w {
			t.Errorf("%s: Fyne says %q, want %q", tag, got, w)
		}
		for k := range keys {
			if k == "OK" || k == "file.name" || k == "file.parent" {
				continue // the same word, or a plural form lang.L does not look up
			}
			if got := lang.L(k); got == k {
				t.Errorf("%s: Fyne has no %q", tag, k)
			}
		}
	}
	// A system locale Fyne has only under another tag (zh_CN for zh-Hans)
	// still gets Fyne's Chinese once Chancery chose its language.
	t.Setenv("LANGUAGE", "zh_CN")
	followLanguage(translations.FromEnvironment())
	if got := lang.L("Quit"); got != "退出" {
		t.Errorf("with LANGUAGE=zh_CN Fyne's Quit is %q", got)
	}
}
