package app

import "fyne.io/fyne/v2"

// FocusGained shows the keyboard's place.
func (l *postList) FocusGained() {
	l.focused = true
	l.refreshRow(l.focus)
}

// FocusLost hides the keyboard's place.
func (l *postList) FocusLost() {
	l.focused = false
	l.refreshRow(l.focus)
}

// pageKeys is how many posts Page Up and Page Down move.
const pageKeys = 5

// TypedKey moves through the posts with the arrow and page keys, and opens
// the post under the keyboard with Space or Return (its details).
func (l *postList) TypedKey(ev *fyne.KeyEvent) {
	trace.timed("list-key", func() {
		switch ev.Name {
		case fyne.KeyDown:
			l.moveFocus(l.focus + 1)
		case fyne.KeyUp:
			l.moveFocus(l.focus - 1)
		case fyne.KeyPageDown:
			l.moveFocus(l.focus + pageKeys)
		case fyne.KeyPageUp:
			l.moveFocus(l.focus - pageKeys)
		case fyne.KeyHome:
			l.moveFocus(0)
		case fyne.KeySpace, fyne.KeyReturn, fyne.KeyEnter:
			l.Select(l.focus)
		}
	})
}

// TypedRune moves with j (down) and k (up), as in many readers, and
// passes the other letters to onKey.
func (l *postList) TypedRune(r rune) {
	switch r {
	case 'j':
		l.moveFocus(l.focus + 1)
	case 'k':
		l.moveFocus(l.focus - 1)
	default:
		if l.onKey != nil {
			l.onKey(r)
		}
	}
}

// moveFocus puts the keyboard on post i, scrolled into view.
func (l *postList) moveFocus(i int) {
	i = max(min(i, l.Length()-1), 0)
	if i == l.focus {
		return
	}
	old := l.focus
	l.focus = i
	l.refreshRow(old)
	l.refreshRow(i)
	l.ScrollTo(i)
}

// shiftFocus keeps the keyboard on its post after n posts were added
// above it (or, for negative n, removed).
func (l *postList) shiftFocus(n int) {
	l.focus = max(min(l.focus+n, l.Length()-1), 0)
}
