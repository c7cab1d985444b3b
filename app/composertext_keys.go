package app

import (
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// TypedKey implements fyne.Focusable: editing and moving keys.
func (e *proseEntry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		e.replace([]rune{'\n'}, false)
	case fyne.KeyBackspace:
		if lo, hi := e.selection(); lo == hi && lo > 0 {
			e.anchor = lo - 1
		}
		e.replace(nil, false)
	case fyne.KeyDelete:
		if lo, hi := e.selection(); lo == hi && hi < len(e.text) {
			e.anchor = hi + 1
		}
		e.replace(nil, false)
	case fyne.KeyEscape:
		if e.OnEscape != nil {
			e.OnEscape()
		}
	default:
		e.move(k.Name)
	}
}

// move handles the keys that move the cursor; with Shift held they extend
// the selection.
func (e *proseEntry) move(key fyne.KeyName) {
	pos, keepX := e.cursor, false
	row := e.rowOf(pos)
	switch key {
	case fyne.KeyLeft:
		pos = e.stepped(-1)
	case fyne.KeyRight:
		pos = e.stepped(1)
	case fyne.KeyHome:
		pos = e.rows[row].begin
	case fyne.KeyEnd:
		pos = e.offsetAt(row, 1<<20)
	case fyne.KeyUp, fyne.KeyDown, fyne.KeyPageUp, fyne.KeyPageDown:
		lines := map[fyne.KeyName]int{fyne.KeyUp: -1, fyne.KeyDown: 1, fyne.KeyPageUp: -e.visibleRows(), fyne.KeyPageDown: e.visibleRows()}[key]
		if e.wantX < 0 {
			e.wantX = e.xOf(pos)
		}
		target := row + lines
		switch {
		case target < 0:
			pos = 0
		case target >= len(e.rows):
			pos = len(e.text)
		default:
			pos = e.offsetAt(target, e.wantX)
		}
		keepX = true
	default:
		return
	}
	e.moveTo(pos, e.shift)
	if !keepX {
		e.wantX = -1
	}
}

// stepped is the offset one character left (dir -1) or right of the
// cursor; with a selection and no Shift, its edge.
func (e *proseEntry) stepped(dir int) int {
	if lo, hi := e.selection(); lo != hi && !e.shift {
		if dir < 0 {
			return lo
		}
		return hi
	}
	return max(0, min(len(e.text), e.cursor+dir))
}

// moveTo puts the cursor at pos, keeping the selection's other end when
// extending it.
func (e *proseEntry) moveTo(pos int, extend bool) {
	e.cursor = pos
	if !extend {
		e.anchor = pos
	}
	e.typing = false
	e.keepCursorVisible()
	e.Refresh()
}

// offsetAtPoint returns the offset nearest to a point in the field.
func (e *proseEntry) offsetAtPoint(p fyne.Position) int {
	pad := e.Theme().Size(theme.SizeNameInnerPadding)
	row := e.first + int((p.Y-pad)/e.lineHeight())
	if p.Y < pad {
		row = e.first
	}
	return e.offsetAt(row, p.X-pad)
}

// Tapped implements fyne.Tappable: it focuses the field and puts the
// cursor where it was tapped.
func (e *proseEntry) Tapped(ev *fyne.PointEvent) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(e); c != nil && c.Focused() != e {
		c.Focus(e)
	}
	e.moveTo(e.offsetAtPoint(ev.Position), e.shift)
	e.wantX = -1
}

// DoubleTapped implements fyne.DoubleTappable: it selects the word.
func (e *proseEntry) DoubleTapped(ev *fyne.PointEvent) {
	pos := e.offsetAtPoint(ev.Position)
	lo, hi := pos, pos
	for lo > 0 && isWordRune(e.text[lo-1]) {
		lo--
	}
	for hi < len(e.text) && isWordRune(e.text[hi]) {
		hi++
	}
	e.anchor, e.cursor = lo, hi
	e.Refresh()
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’'
}

// Dragged implements fyne.Draggable: dragging selects.
func (e *proseEntry) Dragged(ev *fyne.DragEvent) {
	if !e.dragging {
		e.dragging = true
		e.anchor = e.offsetAtPoint(ev.Position.Subtract(ev.Dragged))
	}
	e.cursor = e.offsetAtPoint(ev.Position)
	e.keepCursorVisible()
	e.Refresh()
}

// DragEnd implements fyne.Draggable.
func (e *proseEntry) DragEnd() { e.dragging = false }
