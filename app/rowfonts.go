package app

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"sync"
	"unicode"

	"fyne.io/fyne/v2"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// rowFonts draws the text of post rows: the theme's own fonts and one CJK
// font, each glyph rasterised once per size and kept. Fyne shapes and
// rasterises every glyph of a canvas.Text each time it draws one, which
// was most of the time a window of five columns took to show its posts;
// rows use far fewer distinct glyphs than they draw. Text this cannot draw
// as Fyne would (a glyph neither font has, or a script that needs shaping:
// Arabic, Hebrew, Indic scripts, emoji sequences, combining marks) is left
// to canvas.Text (see textBlock).
//
// The fonts are parsed lazily from their bytes (sfnt): the CJK font is
// mapped from its file rather than read into memory.
type glyphFonts struct {
	mu     sync.Mutex
	buf    sfnt.Buffer
	latin  [2]*sfnt.Font // regular and bold, the theme's
	cjk    [2]*sfnt.Font // regular and bold; nil when the system has none
	masks  map[maskKey]glyphMask
	widths map[advanceKey]float32 // keyed as runeAdvance's cache
	bases  map[advanceKey]float32 // by size and style; the rune is 0
}

// maxGlyphMasks bounds the glyph cache: some thousands of CJK characters
// at a size or two, about 2 MB.
const maxGlyphMasks = 6000

// subpixels is how many horizontal positions within a pixel a glyph is
// rasterised for.
const subpixels = 4

type maskKey struct {
	font *sfnt.Font
	idx  sfnt.GlyphIndex
	ppem fixed.Int26_6
	sub  uint8
}

// glyphMask is a rasterised glyph: its coverage, and where its top-left
// corner is from the pen's whole-pixel position on the baseline.
type glyphMask struct {
	alpha *image.Alpha
	at    image.Point
}

// glyphs is loaded by loadRowFonts; nil (before, or when the theme's fonts
// cannot be parsed) leaves all text to canvas.Text.
var glyphs *glyphFonts

// loadRowFonts parses the theme's text fonts and finds the CJK font. It
// runs once, off the UI goroutine (see warmFonts), before rows are built.
func loadRowFonts(th fyne.Theme) {
	g := &glyphFonts{masks: map[maskKey]glyphMask{}, widths: map[advanceKey]float32{}, bases: map[advanceKey]float32{}}
	for i, style := range []fyne.TextStyle{{}, {Bold: true}} {
		f, err := sfnt.Parse(th.Font(style).Content())
		if err != nil {
			fyne.LogError("row font", err)
			return
		}
		g.latin[i] = f
	}
	g.cjk[0], g.cjk[1] = openCJKFonts()
	glyphs = g
}

// font is the font that draws r, and r's glyph in it; nil when neither
// font has it.
func (g *glyphFonts) font(r rune, bold bool) (*sfnt.Font, sfnt.GlyphIndex) {
	for _, f := range [2]*sfnt.Font{g.latin[b2i(bold)], g.cjk[b2i(bold)]} {
		if f == nil {
			continue
		}
		if idx, err := f.GlyphIndex(&g.buf, r); err == nil && idx != 0 {
			return f, idx
		}
	}
	return nil, 0
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// canDraw reports whether every character of s can be drawn one glyph
// after the other, as Fyne's shaper would place them.
func (g *glyphFonts) canDraw(s string, style fyne.TextStyle) bool {
	if g == nil || style.Italic || style.Monospace || style.Symbol {
		return false
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	inEmoji, hasBase := false, false
	for _, r := range s {
		if emojiPart(r) {
			inEmoji = true
			hasBase = hasBase || emojiBase(r)
			continue
		}
		if inEmoji && !hasBase {
			return false // a joiner or selector outside an emoji sequence
		}
		inEmoji, hasBase = false, false
		if r == '\n' {
			continue // lines are broken there before they are drawn
		}
		if !unshaped(r) {
			return false
		}
		if f, _ := g.font(r, style.Bold); f == nil {
			return false
		}
	}
	return !inEmoji || hasBase
}

// emojiBase reports whether r is an emoji or a regional indicator (two of
// which make a flag).
func emojiBase(r rune) bool {
	return (r >= 0x1f000 && r <= 0x1faff) || (r >= 0x2600 && r <= 0x27bf) ||
		(r >= 0x2300 && r <= 0x23ff) || (r >= 0x2b00 && r <= 0x2bff)
}

// emojiPart reports whether r belongs to an emoji sequence: an emoji, or
// the joiner, variation selectors and tags that combine emoji. Rows leave
// these sequences to canvas.Text, laid over the drawn line (see
// textBlock), so that Fyne shapes them and draws them in colour, and draw
// the text around them glyph by glyph.
func emojiPart(r rune) bool {
	return emojiBase(r) || r == 0x200d || r == 0xfe0e || r == 0xfe0f || (r >= 0xe0020 && r <= 0xe007f)
}

// emojiAdvance is the width a line breaker counts for r, a part of an
// emoji sequence: joiners, selectors and tags take none, any other part
// the width of its own glyph, so that a sequence drawn as one glyph (a
// flag, a family) is never wider than counted.
func emojiAdvance(r rune, size float32, style fyne.TextStyle) float32 {
	if r == 0x200d || r == 0xfe0e || r == 0xfe0f || (r >= 0xe0020 && r <= 0xe007f) {
		return 0
	}
	return runeAdvance(r, size, style)
}

// unshaped reports whether r is drawn the same with or without a shaper:
// Latin, Greek and Cyrillic letters, common punctuation and symbols, and
// CJK ideographs, kana and Hangul syllables. Combining marks, right-to-left
// and Indic scripts, emoji and invisible controls are not.
func unshaped(r rune) bool {
	switch {
	case r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0xad:
		return false
	case r < 0x0590:
		return !unicode.In(r, unicode.Mn, unicode.Me)
	case r >= 0x1e00 && r <= 0x1fff, // Latin and Greek extended
		r >= 0x2010 && r <= 0x2027, r >= 0x2030 && r <= 0x205e, // punctuation
		r >= 0x20a0 && r <= 0x20cf, // currency
		r >= 0x2100 && r <= 0x214f, // letterlike
		r >= 0x2e80 && r <= 0x2fdf, // CJK radicals
		r >= 0x3000 && r <= 0x303f, // CJK punctuation
		r >= 0x3040 && r <= 0x30ff, // kana
		r >= 0x3100 && r <= 0x31ff, r >= 0x3400 && r <= 0x4dbf, r >= 0x4e00 && r <= 0x9fff,
		r >= 0xac00 && r <= 0xd7a3, // Hangul syllables
		r >= 0xf900 && r <= 0xfaff, r >= 0xff01 && r <= 0xffef:
		return true
	}
	return false
}

// advance is how far r moves the pen at size (in Fyne units, unscaled).
func (g *glyphFonts) advance(r rune, size float32, bold bool) float32 {
	k := advanceKey{r, size, fyne.TextStyle{Bold: bold}}
	g.mu.Lock()
	defer g.mu.Unlock()
	if w, ok := g.widths[k]; ok {
		return w
	}
	var w float32
	if f, idx := g.font(r, bold); f != nil {
		if a, err := f.GlyphAdvance(&g.buf, idx, toFixed(size), 0); err == nil {
			w = float32(a) / 64
		}
	}
	if len(g.widths) >= maxAdvances {
		clear(g.widths)
	}
	g.widths[k] = w
	return w
}

// baseline is how far below a line's top Fyne puts its baseline: the
// theme font's ascent.
func (g *glyphFonts) baseline(size float32, bold bool) float32 {
	k := advanceKey{size: size, style: fyne.TextStyle{Bold: bold}}
	g.mu.Lock()
	b, ok := g.bases[k]
	g.mu.Unlock()
	if ok {
		return b
	}
	_, b = fyne.CurrentApp().Driver().RenderedTextSize("M", size, fyne.TextStyle{Bold: bold}, nil)
	g.mu.Lock()
	g.bases[k] = b
	g.mu.Unlock()
	return b
}

// drawLine draws s on dst in col, at size times scale pixels, its pen
// starting at pen (in pixels, on the baseline). The emoji sequences of s
// are left blank, the pen jumping over each to where gaps (in order, in
// Fyne units from the pen's start) says it ends.
func (g *glyphFonts) drawLine(dst *image.RGBA, s string, size, scale float32, bold bool, col color.Color, pen image.Point, gaps []lineGap) {
	src := image.NewUniform(col)
	ppem := toFixed(size * scale)
	g.mu.Lock()
	defer g.mu.Unlock()
	x := float32(pen.X)
	inGap := false
	for _, r := range s {
		if emojiPart(r) {
			if !inGap && len(gaps) > 0 {
				x = float32(pen.X) + (gaps[0].x+gaps[0].w)*scale
				gaps = gaps[1:]
			}
			inGap = true
			continue
		}
		inGap = false
		f, idx := g.font(r, bold)
		if f == nil {
			continue
		}
		whole := float32(math.Floor(float64(x)))
		sub := uint8((x - whole) * subpixels)
		if m, ok := g.mask(f, idx, ppem, sub); ok {
			at := m.at.Add(image.Pt(int(whole), pen.Y))
			draw.DrawMask(dst, m.alpha.Rect.Add(at), src, image.Point{}, m.alpha, image.Point{}, draw.Over)
		}
		if a, err := f.GlyphAdvance(&g.buf, idx, ppem, 0); err == nil {
			x += float32(a) / 64
		}
	}
}

// mask rasterises a glyph at ppem, its origin sub quarter pixels into a
// pixel, or returns it from the cache. Called with g.mu held.
func (g *glyphFonts) mask(f *sfnt.Font, idx sfnt.GlyphIndex, ppem fixed.Int26_6, sub uint8) (glyphMask, bool) {
	k := maskKey{f, idx, ppem, sub}
	if m, ok := g.masks[k]; ok {
		return m, m.alpha != nil
	}
	m := rasterise(f, &g.buf, idx, ppem, fixed.Int26_6(int(sub)*64/subpixels))
	if len(g.masks) >= maxGlyphMasks {
		clear(g.masks)
	}
	g.masks[k] = m
	return m, m.alpha != nil
}

// rasterise draws a glyph's outline with its origin at (dx, 0); an empty
// glyph (a space) has no alpha.
func rasterise(f *sfnt.Font, buf *sfnt.Buffer, idx sfnt.GlyphIndex, ppem, dx fixed.Int26_6) glyphMask {
	segs, err := f.LoadGlyph(buf, idx, ppem, nil)
	if err != nil || len(segs) == 0 {
		return glyphMask{}
	}
	b := segs.Bounds()
	b.Min.X += dx
	b.Max.X += dx
	r := image.Rect(b.Min.X.Floor(), b.Min.Y.Floor(), b.Max.X.Ceil(), b.Max.Y.Ceil())
	if r.Empty() {
		return glyphMask{}
	}
	biasX := float32(dx-fixed.I(r.Min.X)) / 64
	biasY := float32(-fixed.I(r.Min.Y)) / 64
	ras := vector.NewRasterizer(r.Dx(), r.Dy())
	ras.DrawOp = draw.Src
	pt := func(p fixed.Point26_6) (float32, float32) {
		return float32(p.X)/64 + biasX, float32(p.Y)/64 + biasY
	}
	for _, s := range segs {
		x0, y0 := pt(s.Args[0])
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			ras.MoveTo(x0, y0)
		case sfnt.SegmentOpLineTo:
			ras.LineTo(x0, y0)
		case sfnt.SegmentOpQuadTo:
			x1, y1 := pt(s.Args[1])
			ras.QuadTo(x0, y0, x1, y1)
		case sfnt.SegmentOpCubeTo:
			x1, y1 := pt(s.Args[1])
			x2, y2 := pt(s.Args[2])
			ras.CubeTo(x0, y0, x1, y1, x2, y2)
		}
	}
	alpha := image.NewAlpha(image.Rect(0, 0, r.Dx(), r.Dy()))
	ras.Draw(alpha, alpha.Rect, image.Opaque, image.Point{})
	return glyphMask{alpha: alpha, at: r.Min}
}

func toFixed(v float32) fixed.Int26_6 { return fixed.Int26_6(math.Round(float64(v) * 64)) }
