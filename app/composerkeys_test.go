package app

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"chancery/drafts"
)

// typeShortcut delivers a shortcut as the desktop driver does: to the
// focused widget if it takes shortcuts, else to the canvas.
func typeShortcut(w fyne.Window, s fyne.Shortcut) {
	if f, ok := w.Canvas().Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(s)
		return
	}
	w.Canvas().(fyne.Shortcutable).TypedShortcut(s)
}

// pressKey delivers a key and the character it types, as the desktop
// driver does: the key to the focused widget, then the character to
// whatever is focused once the key was handled.
func pressKey(w fyne.Window, name fyne.KeyName, char rune) {
	if f := w.Canvas().Focused(); f != nil {
		f.TypedKey(&fyne.KeyEvent{Name: name})
	} else if h := w.Canvas().OnTypedKey(); h != nil {
		h(&fyne.KeyEvent{Name: name})
	}
	if char == 0 {
		return
	}
	if f := w.Canvas().Focused(); f != nil {
		f.TypedRune(char)
	} else if h := w.Canvas().OnTypedRune(); h != nil {
		h(char)
	}
}

var ctrlEnter = &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault}

func TestCtrlEnterPublishesFromAnyFieldOfTheComposer(t *testing.T) {
	for _, focus := range []string{"text", "content warning", "target", "nothing"} {
		f, u, c := composeFor(t, "washington-demo")
		test.Type(c.texts["en"], "Hello")
		test.Type(c.texts["fr"], "Bonjour")
		switch focus {
		case "text":
			c.win.Canvas().Focus(c.texts["fr"])
		case "content warning":
			c.win.Canvas().Focus(c.warning)
		case "target":
			for _, o := range visible(c.win.Content()) {
				if b, ok := o.(*composerCheck); ok && &b.Check == c.checks["washington-demo"] {
					c.win.Canvas().Focus(b)
				}
			}
		case "nothing":
			c.win.Canvas().Unfocus()
		}
		typeShortcut(c.win, ctrlEnter)
		eventually(t, "published with Ctrl+Enter, focus on "+focus, func() bool { return len(f.net.sent()) == 2 })
		if _, open := u.composers[c.draft.ID]; open {
			t.Errorf("focus on %s: the composer stayed open after publishing", focus)
		}
	}
}

// Escape closes the composer as its close button does: an untouched one
// leaves no draft, one with text keeps it.
func TestEscapeClosesTheComposer(t *testing.T) {
	f := newFixture(t)
	u := f.start(t)
	c := u.openComposer(drafts.Draft{})
	c.win.Canvas().Focus(c.texts["en"])
	pressKey(c.win, fyne.KeyEscape, 0)
	eventually(t, "closed", func() bool { _, open := u.composers[c.draft.ID]; return !open })
	if slices.Contains(u.app.Driver().AllWindows(), c.win) {
		t.Error("the window is still there")
	}

	c = u.openComposer(drafts.Draft{})
	test.Tap(c.checks["vienna-demo"])
	c.win.Canvas().Focus(c.warning)
	test.Type(c.warning, "Élections")
	pressKey(c.win, fyne.KeyEscape, 0)
	eventually(t, "closed", func() bool { _, open := u.composers[c.draft.ID]; return !open })
	if got := f.storedDraft(t); got.ContentWarning != "Élections" {
		t.Errorf("kept %+v", got)
	}
	ds, _ := f.drafts.Drafts()
	if len(ds) != 1 {
		t.Errorf("%d drafts, want the one written", len(ds))
	}
}

// Opening and closing a composer without writing leaves no draft, nor does
// one whose text was typed and then erased.
func TestAnUntouchedComposerLeavesNoDraft(t *testing.T) {
	f := newFixture(t)
	u := f.start(t)
	c := u.openComposer(drafts.Draft{})
	c.saver.flush()
	if ds, _ := f.drafts.Drafts(); len(ds) != 0 || c.status.Text != "Drafts are saved as you type." {
		t.Errorf("an untouched composer stored %d drafts and says %q", len(ds), c.status.Text)
	}
	c.close()
	eventually(t, "closed", func() bool { _, open := u.composers[c.draft.ID]; return !open })

	c = u.openComposer(drafts.Draft{})
	test.Tap(c.checks["beijing-demo"])
	test.Type(c.texts["zh-Hans"], "草稿")
	eventually(t, "saved while typed", func() bool { return f.storedDraft(t).Text("zh-Hans") == "草稿" })
	c.texts["zh-Hans"].TypedShortcut(&fyne.ShortcutSelectAll{})
	c.texts["zh-Hans"].TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	c.close()
	eventually(t, "closed", func() bool { _, open := u.composers[c.draft.ID]; return !open })
	if ds, _ := f.drafts.Drafts(); len(ds) != 0 {
		t.Errorf("drafts left: %+v", ds)
	}
}

// A key pressed in a dialog over the composer stays in the dialog: Tab to
// Cancel in "Only one official language", then Space, closes the dialog
// and types nothing into the text; the text gets its focus back after.
func TestKeysInADialogDoNotReachTheComposer(t *testing.T) {
	f, _, c := composeFor(t, "new-york-demo")
	c.win.Canvas().Focus(c.texts["en"])
	test.Type(c.texts["en"], "Visa hours")
	typeShortcut(c.win, ctrlEnter)
	overlay := c.win.Canvas().Overlays().Top()
	if overlay == nil || !contains(overlay, "This post has no French version") {
		t.Fatal("no official-languages question")
	}
	if c.win.Canvas().Focused() != nil {
		t.Fatal("the text keeps the focus under the dialog")
	}
	typeShortcut(c.win, ctrlEnter) // not a second publish while asking
	pressKey(c.win, fyne.KeyEscape, 0)
	if c.win.Canvas().Overlays().Top() != nil {
		t.Fatal("Escape did not close the dialog")
	}
	queue.drain()
	typeShortcut(c.win, ctrlEnter)
	cancel := findButton(c.win.Canvas().Overlays().Top(), "Cancel")
	focusControl(c.win.Canvas(), cancel)
	if focusedStock(c.win.Canvas()) != fyne.CanvasObject(cancel) {
		t.Fatal("Cancel could not take the focus")
	}
	pressKey(c.win, fyne.KeySpace, ' ')
	if c.win.Canvas().Overlays().Top() != nil {
		t.Fatal("Space on Cancel did not close the dialog")
	}
	if got := c.texts["en"].Text(); got != "Visa hours" {
		t.Errorf("the text became %q", got)
	}
	eventually(t, "focus back on the text", func() bool { return c.win.Canvas().Focused() == c.texts["en"] })
	if len(f.net.sent()) != 0 {
		t.Errorf("published %d posts", len(f.net.sent()))
	}
	test.Type(c.texts["en"], "!")
	if got := c.texts["en"].Text(); got != "Visa hours!" {
		t.Errorf("typing after the dialog gave %q", got)
	}
}
