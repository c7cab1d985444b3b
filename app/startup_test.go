package app

import (
	"fmt"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2/test"

	"chancery/translations"
)

var errCorruptForTest = translations.NewProblem("error.db_corrupt", "database file is corrupt")

func TestStartupProblemExplainsAndOffersAWayOut(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture(t)
	var fresh atomic.Int32
	var opened *ui
	w := startupWindow(a, translations.New("fr"), StartupProblem{
		Err:  fmt.Errorf("open /p/chancery.db: %w", errCorruptForTest),
		Path: "/p/chancery.db",
		StartFresh: func() (Params, string, error) {
			fresh.Add(1)
			return f.params, "/p/chancery.db.corrupt-20261128-120000", nil
		},
	}, func(u *ui) { opened = u })
	w.Show()
	content := w.Content()
	if !contains(content, "La base de données locale de Chancery est endommagée") || !contains(content, "Fichier : /p/chancery.db") {
		t.Fatalf("window shows %q", texts(content))
	}
	test.Tap(findButton(content, "Mettre le fichier de côté et repartir à neuf"))
	eventually(t, "the new profile", func() bool { return opened != nil })
	if n := fresh.Load(); n != 1 {
		t.Fatalf("start fresh called %d times", n)
	}
	var main *ui
	for _, win := range a.Driver().AllWindows() {
		if win != w && win.Title() == "Chancery" {
			main = &ui{window: win}
		}
	}
	if main == nil {
		t.Fatal("the main window did not open on the new profile")
	}
	if overlay := main.window.Canvas().Overlays().Top(); overlay == nil || !contains(overlay, "chancery.db.corrupt-20261128-120000") {
		t.Error("the user is not told where the damaged file was kept")
	}
}

func TestLockedProfileOffersOnlyQuit(t *testing.T) {
	a := test.NewTempApp(t)
	w := startupWindow(a, translations.New("en"), StartupProblem{
		Err:  fmt.Errorf("open: %w", translations.NewProblem("error.db_locked", "locked")),
		Path: "/p/chancery.db",
	}, nil)
	w.Show()
	if !contains(w.Content(), "Chancery is already running with this profile.") {
		t.Errorf("window shows %q", texts(w.Content()))
	}
	if findButton(w.Content(), "Quit") == nil || len(findButtons(w.Content())) != 1 {
		t.Error("a locked profile should offer only Quit")
	}
}
