package app

import (
	"image"
	"image/color"
	"math"
	"strings"
	"sync"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// textBlock shows text in at most maxLines lines of its width, broken at
// spaces (and between CJK characters), the last line ending with "…" when
// the text does not fit. It looks like a Label but measures each character
// once, where a wrapping, truncating Label shapes its text again for every
// line break it tries: a column lays out many rows, and that shaping was
// most of the time it took to show them.
type textBlock struct {
	widget.BaseWidget
	text      string
	maxLines  int
	style     fyne.TextStyle
	sizeName  fyne.ThemeSizeName
	colorName fyne.ThemeColorName
	lines     []*canvas.Text
	width     float32 // the width the lines were broken for

	// drawn replaces lines when the text can be drawn glyph by glyph (see
	// glyphFonts): the same text, drawn many times faster.
	drawn     []*canvas.Raster
	drawnText []string
	useDrawn  bool
	// gaps are the emoji sequences of each drawn line, which marks (as
	// many as the lines hold, hidden beyond) show over the line.
	gaps  [][]lineGap
	marks []*canvas.Text
	// inked, when set, says the drawn lines are drawn by the widget that
	// holds the block, with drawInto, in one raster with the rest of its
	// text; it is called whenever they change. The block's own rasters
	// then stay hidden: one texture per row instead of one per line.
	inked   func()
	linePos []fyne.Position // of each line in the block, as laid out
	color   color.Color
	size    float32
}

func newTextBlock(maxLines int, style fyne.TextStyle, size fyne.ThemeSizeName, color fyne.ThemeColorName) *textBlock {
	b := &textBlock{maxLines: maxLines, style: style, sizeName: size, colorName: color, width: -1}
	for range maxLines {
		t := canvas.NewText("", theme.Color(color))
		t.TextStyle = style
		b.lines = append(b.lines, t)
		b.drawn = append(b.drawn, b.newDrawnLine(len(b.drawnText)))
		b.drawnText = append(b.drawnText, "")
		b.gaps = append(b.gaps, nil)
	}
	b.ExtendBaseWidget(b)
	b.applyTheme()
	return b
}

// SetText shows s; the lines are broken again only when s changed.
func (b *textBlock) SetText(s string) {
	if s == b.text {
		return
	}
	b.text = s
	b.width = -1
	if drawn := glyphs.canDraw(s, b.style); drawn != b.useDrawn {
		b.useDrawn = drawn
		for i := range b.lines {
			b.lines[i].Hidden = drawn
			b.drawn[i].Hidden = !drawn || b.inked != nil
		}
	}
	b.Refresh()
}

func (b *textBlock) applyTheme() {
	th := b.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	b.size = th.Size(b.sizeName)
	b.color = th.Color(b.colorName, v)
	for _, t := range b.lines {
		t.Color = b.color
		t.TextSize = b.size
	}
	for _, t := range b.marks {
		t.Color = b.color
		t.TextSize = b.size
	}
}

// lineGap is an emoji sequence in a drawn line: its text, and where it
// starts and how wide it is, in Fyne units from the line's start.
type lineGap struct {
	text string
	x, w float32
}

// lineGaps finds the emoji sequences of a drawn line s and their places.
func (b *textBlock) lineGaps(s string, size float32) []lineGap {
	var gaps []lineGap
	var x float32
	start := -1
	end := func(i int) {
		seq := s[start:i]
		g := lineGap{text: seq, x: x, w: fyne.MeasureText(seq, size, b.style).Width}
		gaps = append(gaps, g)
		x += g.w
		start = -1
	}
	for i, r := range s {
		if emojiPart(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			end(i)
		}
		x += glyphs.advance(r, size, b.style.Bold)
	}
	if start >= 0 {
		end(len(s))
	}
	return gaps
}

// breakLines fits the text to width, if it was not fitted to it already.
func (b *textBlock) breakLines(width float32) {
	if width == b.width {
		return
	}
	b.width = width
	if width <= 0 {
		return // not laid out yet
	}
	pad := b.Theme().Size(theme.SizeNameInnerPadding)
	size := b.Theme().Size(b.sizeName)
	adv := func(r rune) float32 { return runeAdvance(r, size, b.style) }
	if b.useDrawn {
		adv = func(r rune) float32 {
			if emojiPart(r) {
				return emojiAdvance(r, size, b.style)
			}
			return glyphs.advance(r, size, b.style.Bold)
		}
	}
	lines := wrapLines(b.text, width-2*pad, b.maxLines, adv)
	changed := false
	for i := range b.lines {
		s := ""
		if i < len(lines) {
			s = lines[i]
		}
		fyneText, drawnText := s, ""
		if b.useDrawn {
			fyneText, drawnText = "", s // the hidden line keeps no text
		}
		if t := b.lines[i]; t.Text != fyneText {
			t.Text = fyneText
			t.Refresh()
		}
		if b.drawnText[i] != drawnText {
			b.drawnText[i] = drawnText
			b.gaps[i] = nil
			if strings.ContainsFunc(drawnText, emojiPart) {
				b.gaps[i] = b.lineGaps(drawnText, size)
			}
			changed = true
			if b.inked == nil {
				b.drawn[i].Refresh()
			}
		}
	}
	if changed && b.inked != nil {
		b.inked()
	}
}

// naturalWidth is how wide the block is with its text on one line.
func (b *textBlock) naturalWidth() float32 {
	th := b.Theme()
	size := th.Size(b.sizeName)
	var w float32
	for _, r := range b.text {
		switch {
		case !b.useDrawn:
			w += runeAdvance(r, size, b.style)
		case emojiPart(r):
			w += emojiAdvance(r, size, b.style)
		default:
			w += glyphs.advance(r, size, b.style.Bold)
		}
	}
	// A little more than the sum, so that breaking the line again to this
	// width never finds it a rounding error too wide.
	return w + 2*th.Size(theme.SizeNameInnerPadding) + 0.5
}

// drawInto draws the block's drawn lines on dst (see inked), the block
// being at at in dst's Fyne units and dst scale pixels per unit.
func (b *textBlock) drawInto(dst *image.RGBA, at fyne.Position, scale float32) {
	if !b.useDrawn || glyphs == nil {
		return
	}
	base := int(math.Ceil(float64(glyphs.baseline(b.size, b.style.Bold) * scale)))
	for i, s := range b.drawnText {
		if s == "" || i >= len(b.linePos) {
			continue
		}
		p := at.Add(b.linePos[i])
		pen := image.Pt(int(math.Round(float64(p.X*scale))), int(math.Round(float64(p.Y*scale)))+base)
		glyphs.drawLine(dst, s, b.size, scale, b.style.Bold, b.color, pen, b.gaps[i])
	}
}

// placeMarks shows each emoji sequence of the drawn lines in its gap, line
// being the height of a line and step the distance between two.
func (b *textBlock) placeMarks(pad, line, step float32) {
	n := 0
	for i, gaps := range b.gaps {
		for _, g := range gaps {
			if n == len(b.marks) {
				t := canvas.NewText("", b.color)
				t.TextStyle = b.style
				t.TextSize = b.size
				b.marks = append(b.marks, t)
			}
			t := b.marks[n]
			n++
			t.Move(fyne.NewPos(pad+g.x, pad+float32(i)*step))
			t.Resize(fyne.NewSize(g.w, line))
			if t.Text != g.text || t.Hidden {
				t.Text = g.text
				t.Hidden = false
				t.Refresh()
			}
		}
	}
	for _, t := range b.marks[n:] {
		if !t.Hidden {
			t.Text = ""
			t.Hide()
		}
	}
}

// newDrawnLine is line i drawn glyph by glyph, at the canvas's scale.
func (b *textBlock) newDrawnLine(i int) *canvas.Raster {
	var r *canvas.Raster
	r = canvas.NewRaster(func(w, h int) image.Image {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		s := b.drawnText[i]
		if s == "" || w <= 0 || r.Size().Width <= 0 {
			return img
		}
		scale := float32(w) / r.Size().Width
		if c := fyne.CurrentApp().Driver().CanvasForObject(b); c != nil {
			scale = c.Scale()
		}
		base := int(math.Ceil(float64(glyphs.baseline(b.size, b.style.Bold) * scale)))
		glyphs.drawLine(img, s, b.size, scale, b.style.Bold, b.color, image.Pt(0, base), b.gaps[i])
		return img
	})
	r.Hide()
	return r
}

func (b *textBlock) CreateRenderer() fyne.WidgetRenderer {
	objs := make([]fyne.CanvasObject, 0, 2*len(b.lines))
	for _, t := range b.lines {
		objs = append(objs, t)
	}
	for _, r := range b.drawn {
		objs = append(objs, r)
	}
	return &textBlockRenderer{block: b, objects: objs}
}

type textBlockRenderer struct {
	block   *textBlock
	objects []fyne.CanvasObject
}

// metrics are a line's height, the space between lines and the padding
// around them, as a Label has.
func (r *textBlockRenderer) metrics() (line, spacing, pad float32) {
	b := r.block
	th := b.Theme()
	line = fyne.MeasureText("M", th.Size(b.sizeName), b.style).Height
	return line, th.Size(theme.SizeNameLineSpacing), th.Size(theme.SizeNameInnerPadding)
}

func (r *textBlockRenderer) Layout(size fyne.Size) {
	b := r.block
	line, spacing, pad := r.metrics()
	b.linePos = b.linePos[:0]
	for i := range b.lines {
		b.linePos = append(b.linePos, fyne.NewPos(pad, pad+float32(i)*(line+spacing)))
	}
	b.breakLines(size.Width)
	for i, t := range b.lines {
		pos, size := b.linePos[i], fyne.NewSize(max(size.Width-2*pad, 0), line)
		t.Move(pos)
		t.Resize(size)
		b.drawn[i].Move(pos)
		b.drawn[i].Resize(size)
	}
	b.placeMarks(pad, line, line+spacing)
	if n := len(b.lines) + len(b.drawn) + len(b.marks); len(r.objects) != n {
		r.objects = r.objects[:len(b.lines)+len(b.drawn)]
		for _, t := range b.marks {
			r.objects = append(r.objects, t)
		}
	}
}

func (r *textBlockRenderer) MinSize() fyne.Size {
	line, spacing, pad := r.metrics()
	n := float32(r.block.maxLines)
	return fyne.NewSize(2*pad, n*line+(n-1)*spacing+2*pad)
}

func (r *textBlockRenderer) Refresh() {
	r.block.applyTheme()
	r.Layout(r.block.Size())
	for _, o := range r.objects {
		o.Refresh()
	}
}

func (r *textBlockRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *textBlockRenderer) Destroy()                     {}

// advanceKey names a character's width at a size and style.
type advanceKey struct {
	r     rune
	size  float32
	style fyne.TextStyle
}

// maxAdvances bounds the width cache: a few thousand CJK characters.
const maxAdvances = 8192

var advances = struct {
	sync.Mutex
	m map[advanceKey]float32
}{m: map[advanceKey]float32{}}

// runeAdvance is how far r moves the pen, measured once per character, size
// and style. Summing these ignores kerning and ligatures, which only ever
// narrow a line: a line broken this way never overflows.
func runeAdvance(r rune, size float32, style fyne.TextStyle) float32 {
	k := advanceKey{r, size, style}
	advances.Lock()
	w, ok := advances.m[k]
	advances.Unlock()
	if ok {
		return w
	}
	w = fyne.MeasureText(string(r), size, style).Width
	advances.Lock()
	if len(advances.m) >= maxAdvances {
		clear(advances.m)
	}
	advances.m[k] = w
	advances.Unlock()
	return w
}

// wrapLines breaks text into at most max lines no wider than width, at
// spaces or next to CJK characters (a word wider than a line is cut), and
// ends the last line with "…" when text goes on after it.
func wrapLines(text string, width float32, max int, adv func(rune) float32) []string {
	var lines []string
	paras := strings.Split(text, "\n")
	for pi, para := range paras {
		rest := []rune(para)
		for {
			if len(lines) == max {
				return ellipsize(lines, width, adv)
			}
			n := fitRunes(rest, width, adv)
			lines = append(lines, strings.TrimRight(string(rest[:n]), " "))
			rest = []rune(strings.TrimLeft(string(rest[n:]), " "))
			if len(rest) == 0 {
				break
			}
		}
		if len(lines) == max && pi < len(paras)-1 {
			return ellipsize(lines, width, adv)
		}
	}
	return lines
}

// fitRunes is how many of rs start a line no wider than width: up to the
// last break it can take, or as many characters as fit when there is none
// (always at least one).
func fitRunes(rs []rune, width float32, adv func(rune) float32) int {
	var used float32
	lastBreak := 0
	for i, r := range rs {
		switch {
		case r == ' ':
			lastBreak = i
		case i > 0 && (wide(r) || wide(rs[i-1])) && !closing(r):
			lastBreak = i
		}
		used += adv(r)
		if used > width && r != ' ' {
			if lastBreak > 0 {
				return lastBreak
			}
			return max(i, 1)
		}
	}
	return len(rs)
}

// wide reports whether a line may break before or after r: CJK text has no
// spaces between words.
func wide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

// closing reports whether r may not start a line: CJK closing punctuation
// stays with the character before it.
func closing(r rune) bool {
	return strings.ContainsRune("。，、．！？：；）」』】〉》〕…・ー々", r) || r == '!' || r == '?' || r == ',' || r == '.'
}

// ellipsize marks the last line as cut: "…" takes the place of as many of
// its last characters as it needs.
func ellipsize(lines []string, width float32, adv func(rune) float32) []string {
	last := []rune(strings.TrimRight(lines[len(lines)-1], " …"))
	budget := width - adv('…')
	var used float32
	n := 0
	for n < len(last) && used+adv(last[n]) <= budget {
		used += adv(last[n])
		n++
	}
	lines[len(lines)-1] = strings.TrimRight(string(last[:n]), " ") + "…"
	return lines
}
