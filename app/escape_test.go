package app

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"

	"chancery/drafts"
)

// focusedStock is the focused control, as the stock widget tests find.
func focusedStock(c fyne.Canvas) fyne.CanvasObject {
	f, _ := c.Focused().(fyne.CanvasObject)
	return stock(f)
}

// focusControl tabs to o (a stock widget, or the control wrapping it).
func focusControl(c fyne.Canvas, o fyne.CanvasObject) {
	for range 60 {
		if focusedStock(c) == stock(o) {
			return
		}
		c.FocusNext()
	}
}

// focusables tabs once around what open shows on top of c and returns how
// many controls take the focus there.
func focusables(t *testing.T, c fyne.Canvas, open func()) int {
	t.Helper()
	open()
	var seen []fyne.Focusable
	for range 60 {
		c.FocusNext()
		f := c.Focused()
		if f == nil || slices.Contains(seen, f) {
			break
		}
		seen = append(seen, f)
	}
	return len(seen)
}

// Escape closes each dialog of the main window whatever control in it has
// the focus (a button, a drop-down, a field, a check box, a link), and no
// more than that dialog.
func TestEscapeClosesEachDialogWhateverHasTheFocus(t *testing.T) {
	f, u, _, col := keysFixture(t)
	d := f.params.Drafts.Blank([]string{"vienna-demo"})
	d.SetText("en", "Visa hours")
	if _, err := f.params.Drafts.Save(d); err != nil {
		t.Fatal(err)
	}
	cv := u.window.Canvas()
	shown := func(what string) func() {
		return func() { eventually(t, what, func() bool { return cv.Overlays().Top() != nil }) }
	}
	opens := []struct {
		name string
		open func()
	}{
		{"post details", func() { u.showPost(col.posts[0].Post, col.mission) }},
		{"settings", u.showSettings},
		{"drafts", func() { u.showDrafts(); shown("drafts")() }},
		{"outbox", func() { u.showOutbox(); shown("outbox")() }},
		{"shortcuts", u.showShortcuts},
		{"add account", func() { u.showAddAccount(col.mission, nil) }},
		{"remove account", func() { u.confirmRemoveAccount(col.accts[0]) }},
		{"error", func() { u.message("Title", "Text") }},
	}
	for _, o := range opens {
		n := focusables(t, cv, o.open)
		u.closeTopDialog()
		if n == 0 {
			t.Errorf("%s: nothing takes the focus", o.name)
		}
		for i := range n {
			o.open()
			for range i + 1 {
				cv.FocusNext()
			}
			focused := cv.Focused()
			press(cv, fyne.KeyEscape)
			if top := cv.Overlays().Top(); top != nil {
				t.Errorf("%s: Escape with the focus on %T (control %d of %d) left it open", o.name, focused, i+1, n)
				for cv.Overlays().Top() != nil {
					u.closeTopDialog()
				}
			}
			if u.quitting || len(u.dialogs) != 0 {
				t.Fatalf("%s: Escape closed more than the dialog (%d dialogs left)", o.name, len(u.dialogs))
			}
		}
	}
}

// Escape closes the composer whatever control has its focus, and only
// the dialog over it when one is open.
func TestEscapeClosesTheComposerWhateverHasTheFocus(t *testing.T) {
	f := newFixture(t)
	u := f.start(t)
	var c *composer
	open := func() { c = u.openComposer(drafts.Draft{}) }
	open()
	n := focusables(t, c.win.Canvas(), func() {})
	c.close()
	eventually(t, "closed", func() bool { return len(u.composers) == 0 })
	if n < 5 {
		t.Fatalf("only %d controls take the focus in the composer", n)
	}
	for i := range n {
		open()
		cv := c.win.Canvas()
		for range i + 1 {
			cv.FocusNext()
		}
		focused := cv.Focused()
		pressKey(c.win, fyne.KeyEscape, 0)
		if !c.closing { // set as the composer starts closing
			t.Errorf("Escape with the focus on %T (control %d of %d) left the composer open", focused, i+1, n)
			c.close()
		}
		eventually(t, "closed", func() bool { return len(u.composers) == 0 })
	}

	_, _, c = composeFor(t, "new-york-demo")
	c.texts["en"].SetText("Visa hours")
	typeShortcut(c.win, ctrlEnter) // asks about the missing French version
	cv := c.win.Canvas()
	if cv.Overlays().Top() == nil {
		t.Fatal("no official-languages question")
	}
	for range 2 { // Cancel, then Publish anyway
		cv.FocusNext()
	}
	focused := cv.Focused()
	pressKey(c.win, fyne.KeyEscape, 0)
	if cv.Overlays().Top() != nil {
		t.Errorf("Escape with the focus on the dialog's %T left it open", focused)
	}
	if _, open := c.u.composers[c.draft.ID]; !open {
		t.Error("Escape in the dialog closed the composer too")
	}
}
