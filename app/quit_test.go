package app

import (
	"errors"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"chancery/drafts"
)

func (f *fixture) breakDrafts(err error) {
	f.drafts.mu.Lock()
	f.drafts.broken = err
	f.drafts.mu.Unlock()
}

// Quitting while a composer's text cannot be saved asks first, as closing
// the composer does: keep editing, or quit anyway.
func TestQuittingAsksBeforeDroppingUnsavedText(t *testing.T) {
	f := newFixture(t)
	u := f.start(t)
	c := u.openComposer(drafts.Draft{})
	f.breakDrafts(errors.New("disk full"))
	test.Type(c.texts["en"], "precious words")
	isOpen := func() bool { return slices.Contains(u.app.Driver().AllWindows(), c.win) }

	u.quit()
	question := u.window.Canvas().Overlays().Top()
	if question == nil || !contains(question, "could not be saved") {
		t.Fatal("quit without asking about the unsaved text")
	}
	if u.quitting || u.ctx.Err() != nil || !isOpen() {
		t.Fatal("quitting went on while the question was open")
	}
	test.Tap(findButton(question, "Keep editing"))
	if u.quitting || u.ctx.Err() != nil || !isOpen() {
		t.Fatal("Keep editing quit or closed the composer")
	}
	if c.texts["en"].Text() != "precious words" {
		t.Errorf("the composer holds %q", c.texts["en"].Text())
	}

	// Asked again, the user quits anyway.
	u.quit()
	question = u.window.Canvas().Overlays().Top()
	if question == nil || findButton(question, "Quit anyway") == nil {
		t.Fatal("no question the second time")
	}
	test.Tap(findButton(question, "Quit anyway"))
	if !u.quitting || u.ctx.Err() == nil || isOpen() {
		t.Error("Quit anyway did not quit")
	}
}

// With nothing unsaved, quitting asks nothing.
func TestQuittingWithEverythingSavedAsksNothing(t *testing.T) {
	f := newFixture(t)
	u := f.start(t)
	c := u.openComposer(drafts.Draft{})
	test.Type(c.texts["en"], "safe words")
	u.quit()
	if !u.quitting || u.ctx.Err() == nil || slices.Contains(u.app.Driver().AllWindows(), c.win) {
		t.Error("quitting did not go through")
	}
	if got := f.storedDraft(t).Text("en"); got != "safe words" {
		t.Errorf("saved %q", got)
	}
}
