package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestHelpAboutShowsTheBuild: Help → About names the version, the commit
// and the build date (a test binary is a development build), and Copy puts
// them on the clipboard for a report.
func TestHelpAboutShowsTheBuild(t *testing.T) {
	u := newFixture(t).start(t)
	var about *fyne.MenuItem
	for _, m := range u.window.MainMenu().Items {
		for _, it := range m.Items {
			if m.Label == "Help" && it.Label == "About Chancery" {
				about = it
			}
		}
	}
	if about == nil {
		t.Fatal("no About Chancery in the Help menu")
	}
	about.Action()
	top := u.window.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("About opened nothing")
	}
	for _, want := range []string{"-dev", "Commit ", "Build date unknown (development build)"} {
		if !contains(top, want) {
			t.Errorf("About lacks %q: %q", want, texts(top))
		}
	}
	cp := findButton(top, "Copy")
	if cp == nil {
		t.Fatal("no Copy button")
	}
	test.Tap(cp)
	got := u.app.Clipboard().Content()
	if !strings.HasPrefix(got, "Chancery ") || !strings.Contains(got, "\nCommit ") ||
		!strings.HasSuffix(got, "\nBuild date unknown (development build)") {
		t.Errorf("copied %q", got)
	}
	if !contains(top, "Version details copied.") {
		t.Error("Copy did not say it copied")
	}
}
