package app

import (
	"os"
	"runtime"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// systemLANGUAGE is the LANGUAGE variable Chancery started with.
var systemLANGUAGE = sync.OnceValues(func() (string, bool) { return os.LookupEnv("LANGUAGE") })

// followLanguage makes Fyne's own texts (file dialogs, text menus) speak the
// language chosen in the settings, tag, or the system's when tag is empty.
// Fyne reads the system language from the environment on X11 and Wayland
// systems, where LANGUAGE takes precedence; elsewhere its texts stay in the
// system's language.
func followLanguage(tag string) {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
	default:
		return
	}
	value, had := systemLANGUAGE()
	if tag != "" {
		value, had = strings.ReplaceAll(tag, "-", "_"), true
	}
	if had {
		_ = os.Setenv("LANGUAGE", value)
	} else {
		_ = os.Unsetenv("LANGUAGE")
	}
	// Adding an empty set of messages makes Fyne look at the language again.
	_ = lang.AddTranslationsForLocale([]byte("{}"), fyne.Locale(strings.ReplaceAll(value, "_", "-")))
}
