package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// postList is a column's list of posts. It keeps the keyboard's place
// itself, by index into the column's span, so that the place can follow
// its post when the span drops or adds posts above it.
type postList struct {
	widget.List
	focus   int  // index of the post the keyboard is on
	focused bool // the list has the keyboard
	// onKey acts on the post under the keyboard for a letter key other
	// than j and k (see column.postKey).
	onKey func(rune)

	// The rows are refreshed here, not through List.Refresh or RefreshItem
	// (which calls Refresh): Fyne's refresh builds a throwaway row to
	// measure and drops its pool of spare rows, so every refresh of a
	// column made garbage and new rows, and memory grew all day.
	show    func(int, *postRow) // shows a post in a row again
	rows    map[int]*postRow    // the row each post was last shown in
	ids     map[*postRow]int    // and the other way round
	stride  float32             // a row's height and the space after it
	length  int                 // the number of posts the scroller was sized for
	scroll  fyne.CanvasObject
	created int // rows made, for tests
}

// rowMargin is how far from the view a row is still refreshed: Fyne lays
// out a row or more beyond what the view shows.
const rowMargin = 8

func newPostList(length func() int, update func(widget.ListItemID, fyne.CanvasObject), show func(int, *postRow)) *postList {
	l := &postList{show: show, rows: map[int]*postRow{}, ids: map[*postRow]int{}}
	l.Length = length
	l.CreateItem = func() fyne.CanvasObject { l.created++; return newPostRow() }
	l.UpdateItem = func(id widget.ListItemID, o fyne.CanvasObject) {
		if row, ok := o.(*postRow); ok {
			if old, ok := l.ids[row]; ok && l.rows[old] == row {
				delete(l.rows, old)
			}
			l.rows[id], l.ids[row] = row, id
		}
		update(id, o)
	}
	l.ExtendBaseWidget(l)
	return l
}

// CreateRenderer keeps the list's scroller, to size it for a new number
// of posts without refreshing the list.
func (l *postList) CreateRenderer() fyne.WidgetRenderer {
	r := l.List.CreateRenderer()
	if objs := r.Objects(); len(objs) > 0 {
		l.scroll = objs[0]
	}
	l.length = l.Length()
	return r
}

// sizeScroller sizes the scroller for the number of posts, if it changed.
func (l *postList) sizeScroller() {
	if n := l.Length(); n != l.length && l.scroll != nil {
		l.length = n
		l.scroll.Refresh()
	}
}

// refreshRows shows the posts on screen again, sizing the scroller first
// when the number of posts changed. Rows far from the view are forgotten:
// shown again, Fyne sets them up again.
func (l *postList) refreshRows() {
	l.sizeScroller()
	first, last := l.onScreen()
	for id, row := range l.rows {
		if id < first-rowMargin || id > last+rowMargin || id >= l.Length() {
			delete(l.rows, id)
			delete(l.ids, row)
			continue
		}
		l.show(id, row)
	}
}

// refreshRow shows post id again, if a row shows it.
func (l *postList) refreshRow(id int) {
	if row, ok := l.rows[id]; ok {
		l.show(id, row)
	}
}

// onScreen is the range of posts the view shows, at least partly.
func (l *postList) onScreen() (first, last int) {
	if l.stride <= 0 {
		return 0, l.Length() - 1
	}
	offset := l.GetScrollOffset()
	first = int(offset / l.stride)
	last = min(int((offset+l.Size().Height)/l.stride), l.Length()-1)
	return first, last
}

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
