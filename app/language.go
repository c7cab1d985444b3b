package app

import (
	"os"
	"runtime"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"chancery/translations"
)

// systemLANGUAGE is the LANGUAGE variable Chancery started with.
var systemLANGUAGE = sync.OnceValues(func() (string, bool) { return os.LookupEnv("LANGUAGE") })

// addFyneMessages gives Fyne the texts of its own widgets and dialogs that
// it lacks in Chancery's languages (all of Dutch, some of French).
var addFyneMessages = sync.OnceFunc(func() {
	for _, tag := range translations.Supported() {
		if data := translations.FyneMessages(tag); data != nil {
			if err := lang.AddTranslationsForLocale(data, fyne.Locale(tag)); err != nil {
				fyne.LogError("add Fyne translations for "+tag, err)
			}
		}
	}
})

// followLanguage makes Fyne's own texts (Quit, OK and Cancel, file dialogs,
// text menus) speak tag, the interface language Chancery chose (one of
// translations.Supported), or the system's language again when tag is
// empty. Fyne reads the language from the environment on X11 and Wayland
// systems, where LANGUAGE takes precedence; elsewhere its texts stay in
// the system's language.
func followLanguage(tag string) {
	addFyneMessages()
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
	default:
		return
	}
	value, had := systemLANGUAGE()
	if tag != "" {
		// Chancery's own tag, which Fyne knows: a system tag such as zh_CN
		// is matched by Chancery to zh-Hans, not by Fyne.
		value, had = strings.ReplaceAll(tag, "-", "_"), true
	}
	if had {
		_ = os.Setenv("LANGUAGE", value)
	} else {
		_ = os.Unsetenv("LANGUAGE")
	}
	// Adding messages, even none, makes Fyne look at the language again; an
	// empty set is added under English, which Fyne always has, since an
	// empty set under a tag it lacks (zh-CN) would become that tag's only,
	// empty, translation.
	_ = lang.AddTranslationsForLocale([]byte("{}"), fyne.Locale("en"))
}
