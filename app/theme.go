package app

import (
	"encoding/binary"
	"image/color"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// chanceryTheme is Fyne's default theme made for a dense dashboard read all
// day: a focus colour that shows on every control, secondary text that
// meets WCAG AA contrast (4.5:1) in dark and light, slightly tighter
// spacing so that a column shows more posts, and text fonts whose line box
// also holds the CJK fallback font (see lineBoxFont).
type chanceryTheme struct{ fyne.Theme }

func newTheme() fyne.Theme { return chanceryTheme{theme.DefaultTheme()} }

var (
	// Secondary text (widget.LowImportance labels use the disabled colour):
	// 5.5:1 on the dark background, 4.9:1 on the light one.
	darkSecondary  = color.NRGBA{R: 0x8e, G: 0x8e, B: 0x93, A: 0xff}
	lightSecondary = color.NRGBA{R: 0x70, G: 0x70, B: 0x70, A: 0xff}
	// The focus colour is blended over a focused control's background:
	// amber on dark, burnt orange on light, strong enough to tell a focused
	// control from the others at a glance, blue buttons included.
	darkFocus  = color.NRGBA{R: 0xff, G: 0xd2, B: 0x3c, A: 0x80}
	lightFocus = color.NRGBA{R: 0x8a, G: 0x2e, B: 0x00, A: 0x80}
)

func (t chanceryTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNameDisabled:
		if v == theme.VariantLight {
			return lightSecondary
		}
		return darkSecondary
	case theme.ColorNameFocus:
		if v == theme.VariantLight {
			return lightFocus
		}
		return darkFocus
	}
	return t.Theme.Color(n, v)
}

func (t chanceryTheme) Size(n fyne.ThemeSizeName) float32 {
	// Fyne's spacing (8 and 4) leaves a 205-pixel-wide column at 1024×700
	// fewer than four posts.
	// Controls end up 26 px high, as on most desktops.
	switch n {
	case theme.SizeNameInnerPadding:
		return 3
	case theme.SizeNameLineSpacing:
		return 2
	}
	return t.Theme.Size(n)
}

func (t chanceryTheme) Font(s fyne.TextStyle) fyne.Resource {
	if s.Monospace || s.Symbol {
		return t.Theme.Font(s)
	}
	return lineBoxFont(t.Theme.Font(s))
}

// cjkAscent is the ascent, in em, of the common CJK fallback fonts (Noto
// Sans CJK and Source Han Sans: 1.16 em; others less).
const cjkAscent = 1.16

var (
	lineBoxMu    sync.Mutex
	lineBoxFonts = map[string]fyne.Resource{}
)

// lineBoxFont returns the font with its ascent raised to cjkAscent.
//
// Fyne sizes a line of text with the theme font's ascent and descent, but
// draws the whole line on the baseline of its first run's font. A line that
// begins with Chinese is drawn with the taller CJK fallback font's ascent,
// so its baseline drops below where the theme font put it, and the
// descenders of the Latin text after it ("@beijing") are cut off by the
// bottom of the line. A theme font whose ascent is as tall as the CJK one
// puts both baselines in the same place.
func lineBoxFont(r fyne.Resource) fyne.Resource {
	lineBoxMu.Lock()
	defer lineBoxMu.Unlock()
	if f, ok := lineBoxFonts[r.Name()]; ok {
		return f
	}
	out := r
	if data, ok := raiseAscent(r.Content(), cjkAscent); ok {
		out = fyne.NewStaticResource("linebox-"+r.Name(), data)
	}
	lineBoxFonts[r.Name()] = out
	return out
}

// raiseAscent returns a copy of the TrueType/OpenType font data whose
// horizontal ascent (hhea, and OS/2 typographic and Windows ascents) is at
// least em times its units per em. It reports false for data it does not
// understand.
func raiseAscent(data []byte, em float64) ([]byte, bool) {
	tables := map[string][2]int{}
	if len(data) < 12 {
		return nil, false
	}
	n := int(binary.BigEndian.Uint16(data[4:]))
	for i := range n {
		rec := 12 + 16*i
		if rec+16 > len(data) {
			return nil, false
		}
		off := int(binary.BigEndian.Uint32(data[rec+8:]))
		size := int(binary.BigEndian.Uint32(data[rec+12:]))
		if off+size > len(data) {
			return nil, false
		}
		tables[string(data[rec:rec+4])] = [2]int{off, size}
	}
	head, hhea, os2 := tables["head"], tables["hhea"], tables["OS/2"]
	if head[1] < 20 || hhea[1] < 8 {
		return nil, false
	}
	upm := float64(binary.BigEndian.Uint16(data[head[0]+18:]))
	want := int16(em * upm)
	out := append([]byte(nil), data...)
	raise := func(at int, signed bool) {
		cur := int16(binary.BigEndian.Uint16(out[at:]))
		if !signed { // usWinAscent is unsigned, never above 32767 in practice
			cur = int16(min(binary.BigEndian.Uint16(out[at:]), 0x7fff))
		}
		if cur < want {
			binary.BigEndian.PutUint16(out[at:], uint16(want))
		}
	}
	raise(hhea[0]+4, true)
	if os2[1] >= 78 {
		raise(os2[0]+68, true)  // sTypoAscender
		raise(os2[0]+74, false) // usWinAscent
	}
	return out, true
}

// useTheme makes a use Chancery's theme, once: setting a theme again would
// throw away the fonts already loaded.
func useTheme(a fyne.App) {
	if _, ok := a.Settings().Theme().(chanceryTheme); !ok {
		a.Settings().SetTheme(newTheme())
	}
}
