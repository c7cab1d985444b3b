package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// The composer's keys: Ctrl+Enter (Cmd+Enter on macOS) publishes, Escape
// closes the window as its close button does. Fyne gives a shortcut to
// the focused widget when it takes shortcuts (entries do) and to the
// canvas otherwise, and a key to the focused widget only: so the
// composer's own fields and checks pass these keys on, and the canvas
// takes them when the focus is elsewhere.

// publishShortcuts are Ctrl+Enter, on the main and the keypad Enter.
var publishShortcuts = []*desktop.CustomShortcut{
	{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault},
	{KeyName: fyne.KeyEnter, Modifier: fyne.KeyModifierShortcutDefault},
}

func (c *composer) bindKeys() {
	cv := c.win.Canvas()
	for _, s := range publishShortcuts {
		cv.AddShortcut(s, func(fyne.Shortcut) { c.publishKey() })
	}
	cv.SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			c.escape()
		}
	})
}

// shortcut takes the composer's shortcuts typed in one of its fields.
func (c *composer) shortcut(s fyne.Shortcut) bool {
	for _, p := range publishShortcuts {
		if s.ShortcutName() == p.ShortcutName() {
			c.publishKey()
			return true
		}
	}
	return false
}

// publishKey publishes as the button does, if it is enabled and no dialog
// is open over the composer.
func (c *composer) publishKey() {
	if c.dialog == nil && !c.publishBtn.Disabled() {
		c.publish()
	}
}

// escape closes the dialog over the composer, if one is open, else the
// composer.
func (c *composer) escape() {
	if c.dialog != nil {
		c.dialog.Dismiss()
		return
	}
	c.close()
}

// composerField is a one-line entry of the composer that passes Escape and
// the composer's shortcuts on.
type composerField struct {
	widget.Entry
	c *composer
}

func (c *composer) newField() *composerField {
	f := &composerField{c: c}
	f.ExtendBaseWidget(f)
	return f
}

// TypedKey implements fyne.Focusable.
func (f *composerField) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		f.c.escape()
		return
	}
	f.Entry.TypedKey(k)
}

// TypedShortcut implements fyne.Shortcutable.
func (f *composerField) TypedShortcut(s fyne.Shortcut) {
	if !f.c.shortcut(s) {
		f.Entry.TypedShortcut(s)
	}
}

// composerCheck is a check box of the composer that passes Escape on.
type composerCheck struct {
	widget.Check
	c *composer
}

func (c *composer) newCheck(label string, changed func(bool)) *composerCheck {
	b := &composerCheck{c: c}
	b.Text, b.OnChanged = label, changed
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey implements fyne.Focusable.
func (b *composerCheck) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		b.c.escape()
		return
	}
	b.Check.TypedKey(k)
}

// keyGuarded is a dialog the composer shows over itself.
type keyGuarded interface {
	Show()
	Dismiss()
	SetOnClosed(func())
}

// showDialog shows d over the composer so that no key pressed in it
// reaches the composer: the composer's focus is taken away while d is
// open, and given back only after the events of the key that closed it.
// (Space on a dialog's button closes it on the key press; the space
// character of the same key comes after and would go to the focused text.)
func (c *composer) showDialog(d keyGuarded) {
	cv := c.win.Canvas()
	before := cv.Focused()
	cv.Unfocus()
	c.dialog = d
	d.SetOnClosed(func() {
		c.dialog = nil
		go uiDo(func() { // queued behind the events being handled
			if before != nil && c.dialog == nil && cv.Focused() == nil {
				cv.Focus(before)
			}
		})
	})
	d.Show()
}

// message shows an error text over the composer; failed is the message
// that names what could not be done.
func (c *composer) message(failed, text string) {
	label := widget.NewLabel(text)
	label.Wrapping = fyne.TextWrapWord
	d := newMessageDialog(c.u.loc.T(failed), c.u.loc.T("action.close"), label, c.win)
	d.Resize(fyne.NewSize(420, 0))
	c.showDialog(d)
}
