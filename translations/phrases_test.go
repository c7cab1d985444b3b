package translations_test

import (
	"testing"

	"chancery/accounts"
	"chancery/translations"
)

// A language is named in the interface's language, and a phrase that names
// one is written whole in that language: no "Texte en English".
func TestLanguageNamesAndPhrasesAreInTheInterfaceLanguage(t *testing.T) {
	en := translations.New("en")
	content := append([]string{"en", "fr"}, accounts.HostLanguages()...)
	want := map[string][2]string{ // interface language -> English's name and hint, as it writes them
		"fr":      {"Anglais", "Texte en anglais"},
		"de":      {"Englisch", "Text auf Englisch"},
		"nl":      {"Engels", "Tekst in het Engels"},
		"zh-Hans": {"英语", "英文文本"},
	}
	for ui, w := range want {
		l := translations.New(ui)
		if got := l.T("language_name.en"); got != w[0] {
			t.Errorf("%s: English is called %q, want %q", ui, got, w[0])
		}
		if got := l.T("composer.text_in.en"); got != w[1] {
			t.Errorf("%s: the English text box says %q, want %q", ui, got, w[1])
		}
		for _, c := range content {
			if got, eng := l.T("composer.text_in."+c), en.T("composer.text_in."+c); got == eng || got == "composer.text_in."+c {
				t.Errorf("%s: the %s text box says %q, English's phrase or none", ui, c, got)
			}
			if got := l.T("language_name." + c); got == "language_name."+c {
				t.Errorf("%s: no name for %s", ui, c)
			}
		}
	}
}
