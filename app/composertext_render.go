package app

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
)

// proseRenderer draws a proseEntry: a box like Fyne's entries, the lines
// shown (one text each), the selection, the cursor and a scroll marker.
type proseRenderer struct {
	e           *proseEntry
	box, border *canvas.Rectangle
	lines       []*canvas.Text
	marks       []*canvas.Rectangle // selection, one per line
	cursor      *canvas.Rectangle
	hint        *canvas.Text
	scroll      *canvas.Rectangle
	objects     []fyne.CanvasObject
}

func newProseRenderer(e *proseEntry) *proseRenderer {
	r := &proseRenderer{
		e: e, box: canvas.NewRectangle(color.Transparent), border: canvas.NewRectangle(color.Transparent),
		cursor: canvas.NewRectangle(color.Transparent), hint: canvas.NewText("", color.Transparent),
		scroll: canvas.NewRectangle(color.Transparent),
	}
	r.Refresh()
	return r
}

func (r *proseRenderer) Destroy() {}

func (r *proseRenderer) MinSize() fyne.Size { return r.e.MinSize() }

func (r *proseRenderer) Objects() []fyne.CanvasObject { return r.objects }

// Layout wraps the text to the new width and places everything.
func (r *proseRenderer) Layout(size fyne.Size) {
	pad := r.e.Theme().Size(theme.SizeNameInnerPadding)
	if w := size.Width - 2*pad; w != r.e.wrapWidth {
		r.e.wrapWidth = w
		r.e.rewrap()
		r.e.keepCursorVisible()
	}
	r.Refresh()
}

// Refresh draws the lines shown, the selection and the cursor.
func (r *proseRenderer) Refresh() {
	e := r.e
	th, v := e.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	size := e.Size()
	pad, lineH, textSize := th.Size(theme.SizeNameInnerPadding), e.lineHeight(), e.textSize()
	radius, stroke := th.Size(theme.SizeNameInputRadius), th.Size(theme.SizeNameInputBorder)

	r.box.FillColor, r.box.CornerRadius = th.Color(theme.ColorNameInputBackground, v), radius
	r.border.StrokeWidth, r.border.CornerRadius = stroke, radius
	r.border.StrokeColor = th.Color(theme.ColorNameInputBorder, v)
	if e.focused {
		r.border.StrokeColor = th.Color(theme.ColorNamePrimary, v)
	}
	r.box.Resize(size)
	r.border.Resize(size)
	objects := []fyne.CanvasObject{r.box, r.border}

	if e.rows == nil {
		e.rewrap()
	}
	shown := e.visibleRows()
	lo, hi := e.selection()
	for i := 0; i < shown && e.first+i < len(e.rows); i++ {
		row := e.rows[e.first+i]
		y := pad + float32(i)*lineH
		mark := r.mark(i)
		if s, t := max(lo, row.begin), min(hi, row.next); s < t {
			x0 := r.width(row.begin, s, textSize)
			x1 := r.width(row.begin, min(t, row.end), textSize)
			if t > row.end { // the line break is selected
				x1 += textSize / 2
			}
			mark.FillColor = th.Color(theme.ColorNameSelection, v)
			mark.Move(fyne.NewPos(pad+x0, y))
			mark.Resize(fyne.NewSize(min(x1, size.Width-2*pad)-x0, lineH))
			objects = append(objects, mark)
		}
		line := r.line(i)
		line.Text = strings.TrimRight(string(e.text[row.begin:row.end]), " \t")
		line.TextSize, line.Color = textSize, th.Color(theme.ColorNameForeground, v)
		line.Move(fyne.NewPos(pad, y))
		line.Resize(fyne.NewSize(size.Width-2*pad, lineH))
		objects = append(objects, line)
	}

	if len(e.text) == 0 {
		r.hint.Text, r.hint.TextSize = e.placeholder, textSize
		r.hint.Color = th.Color(theme.ColorNamePlaceHolder, v)
		r.hint.Move(fyne.NewPos(pad, pad))
		objects = append(objects, r.hint)
	}
	if e.focused {
		row := e.rowOf(e.cursor) - e.first
		if row >= 0 && row < shown {
			x := min(e.xOf(e.cursor), size.Width-2*pad)
			r.cursor.FillColor = th.Color(theme.ColorNamePrimary, v)
			r.cursor.Move(fyne.NewPos(pad+x-1, pad+float32(row)*lineH))
			r.cursor.Resize(fyne.NewSize(2, lineH))
			objects = append(objects, r.cursor)
		}
	}
	if len(e.rows) > shown {
		track := size.Height - 2*stroke
		r.scroll.FillColor = th.Color(theme.ColorNameScrollBar, v)
		r.scroll.Move(fyne.NewPos(size.Width-stroke-4, stroke+track*float32(e.first)/float32(len(e.rows))))
		r.scroll.Resize(fyne.NewSize(3, track*float32(shown)/float32(len(e.rows))))
		objects = append(objects, r.scroll)
	}
	r.objects = objects
	for _, o := range objects {
		canvas.Refresh(o)
	}
}

// width measures text[from:to].
func (r *proseRenderer) width(from, to int, size float32) float32 {
	if to <= from {
		return 0
	}
	return fyne.MeasureText(string(r.e.text[from:to]), size, fyne.TextStyle{}).Width
}

func (r *proseRenderer) line(i int) *canvas.Text {
	for len(r.lines) <= i {
		r.lines = append(r.lines, canvas.NewText("", color.Transparent))
	}
	return r.lines[i]
}

func (r *proseRenderer) mark(i int) *canvas.Rectangle {
	for len(r.marks) <= i {
		r.marks = append(r.marks, canvas.NewRectangle(color.Transparent))
	}
	return r.marks[i]
}
