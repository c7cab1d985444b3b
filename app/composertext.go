package app

import (
	"slices"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// proseEntry is the composer's multi-line text field. Fyne 2.7's Entry,
// wrapping words, leaves the space at each wrap point out of both lines
// (widget/richtext.go, lineBounds skips it when it starts the next line),
// so an offset in that space has no line and column: after a space typed
// at the end of a line the cursor is computed on a line that does not
// exist and the next letter lands elsewhere. Here the text is runes with
// the cursor as an offset into them, and the lines are only a view of it
// in which every rune belongs to one line (see wrapText): nothing typed
// depends on where lines break.
type proseEntry struct {
	widget.BaseWidget

	// OnChanged is called after each edit with the whole text.
	OnChanged func(string)
	// OnEscape is called when Escape is pressed in the field.
	OnEscape func()
	// OnShortcut receives the shortcuts the field does not handle (such
	// as Ctrl+Enter); it reports whether it used it.
	OnShortcut func(fyne.Shortcut) bool

	placeholder string
	text        []rune
	cursor      int
	anchor      int // the other end of the selection; == cursor when none
	wantX       float32
	focused     bool
	shift       bool
	dragging    bool

	rows      []textRow
	wrapWidth float32
	first     int // first line shown

	undo, redo []textState
	typing     bool // the last undo state is a run of typed letters
}

type textState struct {
	text           []rune
	cursor, anchor int
}

const maxUndo = 200

func newProseEntry() *proseEntry {
	e := &proseEntry{wantX: -1}
	e.ExtendBaseWidget(e)
	return e
}

// Text returns what the field holds.
func (e *proseEntry) Text() string { return string(e.text) }

// SetText replaces the text and puts the cursor at its end; as with
// Fyne's Entry, OnChanged is called.
func (e *proseEntry) SetText(s string) {
	e.text = []rune(s)
	e.cursor, e.anchor = len(e.text), len(e.text)
	e.undo, e.redo = nil, nil
	e.changed()
}

// SetPlaceHolder sets the hint shown while the field is empty.
func (e *proseEntry) SetPlaceHolder(s string) {
	e.placeholder = s
	e.Refresh()
}

// Rows returns the text of each visible-or-not line as it is laid out.
func (e *proseEntry) Rows() []string {
	out := make([]string, len(e.rows))
	for i, r := range e.rows {
		out[i] = string(e.text[r.begin:r.end])
	}
	return out
}

// selection returns the selected range, low first.
func (e *proseEntry) selection() (int, int) {
	return min(e.cursor, e.anchor), max(e.cursor, e.anchor)
}

// SelectedText returns the selected text.
func (e *proseEntry) SelectedText() string {
	lo, hi := e.selection()
	return string(e.text[lo:hi])
}

// Disabled reports false: the field is always editable (it lets the
// driver send it shortcuts).
func (e *proseEntry) Disabled() bool { return false }

// replace puts runes in place of the selection, records the change for
// undo, and tells OnChanged.
func (e *proseEntry) replace(runes []rune, typed bool) {
	lo, hi := e.selection()
	if lo == hi && len(runes) == 0 {
		return
	}
	coalesce := typed && e.typing && lo == hi && len(runes) == 1 && !unicode.IsSpace(runes[0])
	if !coalesce {
		e.undo = append(e.undo, textState{slices.Clone(e.text), e.cursor, e.anchor})
		if len(e.undo) > maxUndo {
			e.undo = e.undo[1:]
		}
	}
	e.typing = typed
	e.redo = nil
	e.text = slices.Insert(slices.Delete(e.text, lo, hi), lo, runes...)
	e.cursor = lo + len(runes)
	e.anchor = e.cursor
	e.changed()
}

// changed lays the text out again after an edit and tells OnChanged.
func (e *proseEntry) changed() {
	e.rewrap()
	e.keepCursorVisible()
	e.wantX = -1
	e.Refresh()
	if e.OnChanged != nil {
		e.OnChanged(string(e.text))
	}
}

func (e *proseEntry) restore(from, to *[]textState) {
	if len(*from) == 0 {
		return
	}
	s := (*from)[len(*from)-1]
	*from = (*from)[:len(*from)-1]
	*to = append(*to, textState{slices.Clone(e.text), e.cursor, e.anchor})
	e.text, e.cursor, e.anchor = s.text, s.cursor, s.anchor
	e.typing = false
	e.changed()
}

// TypedRune inserts r in place of the selection.
func (e *proseEntry) TypedRune(r rune) {
	e.replace([]rune{r}, true)
}

// FocusGained implements fyne.Focusable.
func (e *proseEntry) FocusGained() {
	e.focused = true
	e.Refresh()
}

// FocusLost implements fyne.Focusable.
func (e *proseEntry) FocusLost() {
	e.focused, e.shift, e.typing = false, false, false
	e.Refresh()
}

// KeyDown implements desktop.Keyable: it follows Shift for selections.
func (e *proseEntry) KeyDown(k *fyne.KeyEvent) {
	if k.Name == desktop.KeyShiftLeft || k.Name == desktop.KeyShiftRight {
		e.shift = true
	}
}

// KeyUp implements desktop.Keyable.
func (e *proseEntry) KeyUp(k *fyne.KeyEvent) {
	if k.Name == desktop.KeyShiftLeft || k.Name == desktop.KeyShiftRight {
		e.shift = false
	}
}

// Cursor implements desktop.Cursorable.
func (e *proseEntry) Cursor() desktop.Cursor { return desktop.TextCursor }

// TypedShortcut handles the clipboard, select all and undo; others go to
// OnShortcut.
func (e *proseEntry) TypedShortcut(s fyne.Shortcut) {
	switch s := s.(type) {
	case *fyne.ShortcutCopy:
		if text := e.SelectedText(); text != "" {
			s.Clipboard.SetContent(text)
		}
	case *fyne.ShortcutCut:
		if text := e.SelectedText(); text != "" {
			s.Clipboard.SetContent(text)
			e.replace(nil, false)
		}
	case *fyne.ShortcutPaste:
		e.replace([]rune(s.Clipboard.Content()), false)
	case *fyne.ShortcutSelectAll:
		e.anchor, e.cursor = 0, len(e.text)
		e.Refresh()
	case *fyne.ShortcutUndo:
		e.restore(&e.undo, &e.redo)
	case *fyne.ShortcutRedo:
		e.restore(&e.redo, &e.undo)
	default:
		if e.OnShortcut != nil {
			e.OnShortcut(s)
		}
	}
}

// rewrap lays the text out at the current width.
func (e *proseEntry) rewrap() {
	width := e.wrapWidth
	if width <= 0 {
		width = 1 << 20 // not laid out yet: one line per paragraph
	}
	size, style := e.textSize(), fyne.TextStyle{}
	e.rows = wrapText(e.text, width, func(r []rune) float32 {
		return fyne.MeasureText(string(r), size, style).Width
	})
}

func (e *proseEntry) textSize() float32 { return e.Theme().Size(theme.SizeNameText) }

func (e *proseEntry) lineHeight() float32 {
	return fyne.MeasureText("Mg", e.textSize(), fyne.TextStyle{}).Height
}

// rowOf returns the line that shows offset pos: at a wrap point, the start
// of the next line.
func (e *proseEntry) rowOf(pos int) int {
	for i, r := range e.rows {
		if pos >= r.begin && pos < r.next {
			return i
		}
		if i == len(e.rows)-1 || pos < e.rows[i+1].begin {
			return i
		}
	}
	return 0
}

// xOf is how far into its line offset pos is drawn.
func (e *proseEntry) xOf(pos int) float32 {
	r := e.rows[e.rowOf(pos)]
	return fyne.MeasureText(string(e.text[r.begin:pos]), e.textSize(), fyne.TextStyle{}).Width
}

// offsetAt returns the offset nearest to x on line row.
func (e *proseEntry) offsetAt(row int, x float32) int {
	row = max(0, min(row, len(e.rows)-1))
	r := e.rows[row]
	last := r.end
	if r.next == r.end && r.end > r.begin && r.next < len(e.text) {
		last = r.end - 1 // the wrap point shows on the next line
	}
	best, bestDist := r.begin, float32(1<<30)
	for p := r.begin; p <= last; p++ {
		w := fyne.MeasureText(string(e.text[r.begin:p]), e.textSize(), fyne.TextStyle{}).Width
		d := w - x
		if d < 0 {
			d = -d
		}
		if d < bestDist {
			best, bestDist = p, d
		}
		if w > x {
			break
		}
	}
	return best
}

// keepCursorVisible scrolls so the cursor's line is shown.
func (e *proseEntry) keepCursorVisible() {
	row, shown := e.rowOf(e.cursor), e.visibleRows()
	if row < e.first {
		e.first = row
	} else if row >= e.first+shown {
		e.first = row - shown + 1
	}
	e.first = max(0, min(e.first, len(e.rows)-shown))
}

// visibleRows is how many lines the field shows at its size.
func (e *proseEntry) visibleRows() int {
	pad := e.Theme().Size(theme.SizeNameInnerPadding)
	return max(1, int((e.Size().Height-2*pad)/e.lineHeight()))
}

// Scrolled implements fyne.Scrollable: the wheel moves the lines shown.
func (e *proseEntry) Scrolled(ev *fyne.ScrollEvent) {
	step := int(ev.Scrolled.DY / e.lineHeight())
	if step == 0 && ev.Scrolled.DY != 0 {
		step = 1
		if ev.Scrolled.DY < 0 {
			step = -1
		}
	}
	e.first = max(0, min(e.first-step, len(e.rows)-e.visibleRows()))
	e.Refresh()
}

// CreateRenderer implements fyne.Widget.
func (e *proseEntry) CreateRenderer() fyne.WidgetRenderer {
	e.ExtendBaseWidget(e)
	return newProseRenderer(e)
}

// MinSize is a few lines high, and narrow: the field takes the width it
// is given and wraps to it.
func (e *proseEntry) MinSize() fyne.Size {
	pad := e.Theme().Size(theme.SizeNameInnerPadding)
	return fyne.NewSize(80, 3*e.lineHeight()+2*pad)
}
