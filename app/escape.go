package app

import (
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Escape closes the dialog on top, or the composer, whatever has the
// focus. Fyne gives a key to the focused widget only, and takes no
// shortcut without a modifier, so a stock button, select, entry or check
// that has the focus would swallow Escape. The controls below are the
// stock ones with one change: Escape goes to their window's own key
// handler (the canvas's OnTypedKey), as it would with nothing focused.
// Dialogs and the composer build their focusable controls with them.

// escapeTo routes Escape to the key handler of a window.
type escapeTo struct{ win fyne.Window }

// escape hands k to the window's key handler if it is Escape, and says
// whether it did.
func (e escapeTo) escape(k *fyne.KeyEvent) bool {
	if k.Name != fyne.KeyEscape || e.win == nil {
		return false
	}
	if h := e.win.Canvas().OnTypedKey(); h != nil {
		h(k)
	}
	return true
}

// escButton is a button that passes Escape to its window.
type escButton struct {
	widget.Button
	escapeTo
}

func newEscButton(w fyne.Window, label string, icon fyne.Resource, tapped func()) *escButton {
	b := &escButton{escapeTo: escapeTo{w}}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey implements fyne.Focusable.
func (b *escButton) TypedKey(k *fyne.KeyEvent) {
	if !b.escape(k) {
		b.Button.TypedKey(k)
	}
}

// escSelect is a drop-down that passes Escape to its window while its
// list is closed (an open list closes itself on Escape).
type escSelect struct {
	widget.Select
	escapeTo
}

func newEscSelect(w fyne.Window, options []string, changed func(string)) *escSelect {
	s := &escSelect{escapeTo: escapeTo{w}}
	s.Options, s.OnChanged = options, changed
	s.ExtendBaseWidget(s)
	return s
}

// TypedKey implements fyne.Focusable.
func (s *escSelect) TypedKey(k *fyne.KeyEvent) {
	if !s.escape(k) {
		s.Select.TypedKey(k)
	}
}

// escEntry is a text field that passes Escape to its window.
type escEntry struct {
	widget.Entry
	escapeTo
}

func newEscEntry(w fyne.Window) *escEntry {
	e := &escEntry{escapeTo: escapeTo{w}}
	e.ExtendBaseWidget(e)
	return e
}

// newEscPasswordEntry is a password field with a button that shows or
// hides what was typed.
func newEscPasswordEntry(w fyne.Window) *escEntry {
	e := newEscEntry(w)
	e.Password = true
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	var reveal *escButton
	reveal = newEscButton(w, "", theme.VisibilityOffIcon(), func() {
		e.Password = !e.Password
		reveal.SetIcon(map[bool]fyne.Resource{true: theme.VisibilityOffIcon(), false: theme.VisibilityIcon()}[e.Password])
		e.Refresh()
	})
	reveal.Importance = widget.LowImportance
	e.ActionItem = reveal
	return e
}

func newEscMultiLineEntry(w fyne.Window) *escEntry {
	e := newEscEntry(w)
	e.MultiLine = true
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	return e
}

// TypedKey implements fyne.Focusable.
func (e *escEntry) TypedKey(k *fyne.KeyEvent) {
	if !e.escape(k) {
		e.Entry.TypedKey(k)
	}
}

// escCheck is a check box that passes Escape to its window.
type escCheck struct {
	widget.Check
	escapeTo
}

func newEscCheck(w fyne.Window, label string, changed func(bool)) *escCheck {
	c := &escCheck{escapeTo: escapeTo{w}}
	c.Text, c.OnChanged = label, changed
	c.ExtendBaseWidget(c)
	return c
}

// TypedKey implements fyne.Focusable.
func (c *escCheck) TypedKey(k *fyne.KeyEvent) {
	if !c.escape(k) {
		c.Check.TypedKey(k)
	}
}

// escHyperlink is a link that passes Escape to its window.
type escHyperlink struct {
	widget.Hyperlink
	escapeTo
}

func newEscHyperlink(w fyne.Window, text string, link *url.URL) *escHyperlink {
	h := &escHyperlink{escapeTo: escapeTo{w}}
	h.Text, h.URL = text, link
	h.ExtendBaseWidget(h)
	return h
}

// TypedKey implements fyne.Focusable.
func (h *escHyperlink) TypedKey(k *fyne.KeyEvent) {
	if !h.escape(k) {
		h.Hyperlink.TypedKey(k)
	}
}

// newMessageDialog is dialog.NewCustom with a dismiss button that passes
// Escape on.
func newMessageDialog(title, dismiss string, content fyne.CanvasObject, w fyne.Window) *dialog.CustomDialog {
	d := dialog.NewCustomWithoutButtons(title, content, w)
	d.SetButtons([]fyne.CanvasObject{newEscButton(w, dismiss, nil, d.Hide)})
	return d
}

// confirmDialog is dialog.NewCustomConfirm with buttons that pass Escape
// on.
type confirmDialog struct {
	*dialog.CustomDialog
	ok bool
}

// newConfirmDialog makes a confirmDialog. done gets true when confirm was
// chosen, false when the dialog was closed any other way (its dismiss
// button, Escape).
func newConfirmDialog(title, confirm, dismiss string, content fyne.CanvasObject, done func(bool), w fyne.Window) *confirmDialog {
	d := &confirmDialog{CustomDialog: dialog.NewCustomWithoutButtons(title, content, w)}
	yes := newEscButton(w, confirm, nil, d.Confirm)
	yes.Importance = widget.HighImportance
	d.SetButtons([]fyne.CanvasObject{newEscButton(w, dismiss, nil, d.Hide), yes})
	d.SetOnClosed(func() {
		ok := d.ok
		d.ok = false
		if done != nil {
			done(ok)
		}
	})
	return d
}

// Confirm closes the dialog as its confirm button does.
func (d *confirmDialog) Confirm() {
	d.ok = true
	d.Hide()
}
