package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// postList is a column's list of posts: rows of one height in a scroller,
// as many as the view shows plus two, each showing the post whose place
// comes up under it. Fyne's List made a throwaway row on every refresh,
// dropped its spare rows, and made new ones whenever the posts shown all
// changed at once (a refresh above a reader who keeps their place), so a
// column left open all day made rows, and their cached renderers and
// textures, all day. This list makes its rows once for a given height.
//
// It keeps the keyboard's place itself, by index into the column's span,
// so that the place can follow its post when posts are added above it.
type postList struct {
	widget.BaseWidget
	Length     func() int
	CreateItem func() fyne.CanvasObject
	// OnSelected opens post id (a tap, or Enter with the keyboard).
	OnSelected func(id int)

	focus   int  // index of the post the keyboard is on
	focused bool // the list has the keyboard
	// onKey acts on the post under the keyboard for a letter key other
	// than j and k (see column.postKey).
	onKey func(rune)

	update  func(int, *postRow) // shows post id in a row it just came under
	show    func(int, *postRow) // shows post id in its row again
	stride  float32             // a row's height and the space after it
	scroll  *container.Scroll
	content *fyne.Container
	rows    []*postRow // the rows; post id is shown by rows[id%len(rows)]
	seps    []*canvas.Rectangle
	shown   []int // the post each row shows, -1 for none
	length  int   // the number of posts the content was sized for
	created int   // rows made, for tests
}

func newPostList(length func() int, update, show func(int, *postRow)) *postList {
	l := &postList{Length: length, update: update, show: show}
	l.CreateItem = func() fyne.CanvasObject { l.created++; return newPostRow() }
	l.content = container.New(&rowsLayout{list: l})
	l.scroll = container.NewVScroll(l.content)
	l.scroll.OnScrolled = func(fyne.Position) { l.placeRows() }
	l.ExtendBaseWidget(l)
	return l
}

func (l *postList) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(l.scroll)
}

// rowsLayout gives the content the height of every post, and lays out the
// rows where their posts are.
type rowsLayout struct{ list *postList }

func (r *rowsLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	l := r.list
	return fyne.NewSize(0, max(float32(l.Length())*l.stride-l.pad(), 0))
}

func (r *rowsLayout) Layout([]fyne.CanvasObject, fyne.Size) { r.list.placeRows() }

func (l *postList) pad() float32 { return l.Theme().Size(theme.SizeNamePadding) }

// Resize makes rows for the new height and places them.
func (l *postList) Resize(size fyne.Size) {
	l.BaseWidget.Resize(size)
	l.scroll.Resize(size)
	l.placeRows()
}

// makeRows makes enough rows for the view's height, once per height.
func (l *postList) makeRows() {
	if l.stride <= 0 {
		return
	}
	want := int(l.Size().Height/l.stride) + 2
	if want <= len(l.rows) {
		return
	}
	sep := theme.Color(theme.ColorNameSeparator)
	for len(l.rows) < want {
		row := l.CreateItem().(*postRow)
		line := canvas.NewRectangle(sep)
		l.rows, l.seps, l.shown = append(l.rows, row), append(l.seps, line), append(l.shown, -1)
		l.content.Objects = append(l.content.Objects, row, line)
	}
	for i := range l.shown {
		l.shown[i] = -1 // the ring changed size: every row is set up again
	}
}

// placeRows puts each row under the post whose place the view shows,
// setting up only the rows whose post changed.
func (l *postList) placeRows() {
	l.makeRows()
	if len(l.rows) == 0 {
		return
	}
	n := l.Length()
	first := max(int(l.scroll.Offset.Y/l.stride), 0)
	width, pad := l.content.Size().Width, l.pad()
	height := l.stride - pad
	for slot := range len(l.rows) {
		id := first + slot
		k := id % len(l.rows)
		row, line := l.rows[k], l.seps[k]
		if id >= n {
			row.Hide()
			line.Hide()
			l.shown[k] = -1
			continue
		}
		y := float32(id) * l.stride
		row.Move(fyne.NewPos(0, y))
		row.Resize(fyne.NewSize(width, height))
		line.Move(fyne.NewPos(0, y+height+pad/2))
		line.Resize(fyne.NewSize(width, 1))
		if l.shown[k] != id {
			l.shown[k] = id
			row.onTap = func() { l.Select(id) }
			l.update(id, row)
		}
		if !row.Visible() {
			row.Show()
			line.Show()
		}
	}
}

// sizeScroller sizes the content for the number of posts, if it changed.
func (l *postList) sizeScroller() {
	if n := l.Length(); n != l.length {
		l.length = n
		l.scroll.Refresh()
	}
}

// refreshRows shows the posts on screen again, sizing the content first
// when the number of posts changed.
func (l *postList) refreshRows() {
	l.sizeScroller()
	l.placeRows()
	for k, id := range l.shown {
		if id >= 0 {
			l.show(id, l.rows[k])
		}
	}
}

// refreshRow shows post id again, if a row shows it.
func (l *postList) refreshRow(id int) {
	if len(l.rows) == 0 || id < 0 {
		return
	}
	if k := id % len(l.rows); l.shown[k] == id {
		l.show(id, l.rows[k])
	}
}

// Select opens post id.
func (l *postList) Select(id int) {
	if l.OnSelected != nil && id >= 0 && id < l.Length() {
		l.OnSelected(id)
	}
}

// UnselectAll is there for callers of a list: nothing stays selected.
func (l *postList) UnselectAll() {}

// GetScrollOffset is how far the view has scrolled from the top.
func (l *postList) GetScrollOffset() float32 { return l.scroll.Offset.Y }

// ScrollToOffset scrolls the view to offset, within the posts.
func (l *postList) ScrollToOffset(offset float32) {
	maxOffset := max(l.content.MinSize().Height-l.scroll.Size().Height, 0)
	l.scroll.ScrollToOffset(fyne.NewPos(0, min(max(offset, 0), maxOffset)))
	l.placeRows()
}

// ScrollToTop shows the newest posts.
func (l *postList) ScrollToTop() { l.ScrollToOffset(0) }

// ScrollToBottom shows the oldest posts held.
func (l *postList) ScrollToBottom() { l.ScrollToOffset(l.content.MinSize().Height) }

// ScrollTo scrolls just enough for post id to be in view.
func (l *postList) ScrollTo(id int) {
	y, view := float32(id)*l.stride, l.scroll.Size().Height
	switch offset := l.scroll.Offset.Y; {
	case y < offset:
		l.ScrollToOffset(y)
	case y+l.stride > offset+view:
		l.ScrollToOffset(y + l.stride - view)
	}
}
