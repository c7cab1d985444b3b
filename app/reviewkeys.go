package app

import (
	"fyne.io/fyne/v2"
)

// The Review window's keys: Tab moves between its controls, Enter (or
// Space) opens the post under the focus in the list and presses the
// focused button, Ctrl+Enter in the comment of a return sends it, and
// Escape closes the dialog on top, else the window.

// enterButton is an escButton that Enter presses as Space does.
type enterButton struct{ escButton }

func newEnterButton(w fyne.Window, label string, icon fyne.Resource, tapped func()) *enterButton {
	b := &enterButton{escButton{escapeTo: escapeTo{w}}}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey implements fyne.Focusable.
func (b *enterButton) TypedKey(k *fyne.KeyEvent) {
	if (k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) && !b.Disabled() {
		b.Tapped(nil)
		return
	}
	b.escButton.TypedKey(k)
}

// commentEntry is the comment of a return: Ctrl+Enter sends it.
type commentEntry struct {
	escEntry
	send func()
}

func newCommentEntry(w fyne.Window) *commentEntry {
	e := &commentEntry{escEntry: escEntry{escapeTo: escapeTo{w}}}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut implements fyne.Shortcutable.
func (e *commentEntry) TypedShortcut(s fyne.Shortcut) {
	for _, p := range publishShortcuts {
		if s.ShortcutName() == p.ShortcutName() && e.send != nil {
			e.send()
			return
		}
	}
	e.escEntry.TypedShortcut(s)
}
