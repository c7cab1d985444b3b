package app

import (
	"image"
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// luminance is the relative luminance of c as WCAG 2 defines it.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrast is the WCAG 2 contrast ratio of two opaque colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// over blends fg (with its alpha) over the opaque bg.
func over(fg, bg color.Color) color.Color {
	n := color.NRGBAModel.Convert(fg).(color.NRGBA)
	b := color.NRGBAModel.Convert(bg).(color.NRGBA)
	a := float64(n.A) / 255
	mix := func(f, g uint8) uint8 { return uint8(math.Round(a*float64(f) + (1-a)*float64(g))) }
	return color.NRGBA{R: mix(n.R, b.R), G: mix(n.G, b.G), B: mix(n.B, b.B), A: 0xff}
}

var variants = map[string]fyne.ThemeVariant{"dark": theme.VariantDark, "light": theme.VariantLight}

func TestSecondaryTextMeetsWCAGAAInDarkAndLight(t *testing.T) {
	th := newTheme()
	for name, v := range variants {
		text := th.Color(theme.ColorNameDisabled, v) // widget.LowImportance labels
		for _, bg := range []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameOverlayBackground, theme.ColorNameHeaderBackground} {
			if r := contrast(text, th.Color(bg, v)); r < 4.5 {
				t.Errorf("%s: secondary text on %s has contrast %.2f:1, want at least 4.5:1", name, bg, r)
			}
		}
		// Fyne's own default, for the record: too dim.
		if r := contrast(theme.DefaultTheme().Color(theme.ColorNameDisabled, v), theme.DefaultTheme().Color(theme.ColorNameBackground, v)); r >= 4.5 {
			t.Logf("%s: Fyne's default secondary text now has %.2f:1", name, r)
		}
	}
}

func TestFocusIsClearlyVisibleOnEveryControl(t *testing.T) {
	th := newTheme()
	for name, v := range variants {
		focus := th.Color(theme.ColorNameFocus, v)
		for _, base := range []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameButton, theme.ColorNameInputBackground} {
			b := th.Color(base, v)
			if r := contrast(over(focus, b), b); r < 2 {
				t.Errorf("%s: focus on %s changes it by %.2f:1 only, want at least 2:1", name, base, r)
			}
		}
		// The blue "New post" button: Fyne's own focus colour is blue on blue.
		primary := th.Color(theme.ColorNamePrimary, v)
		if r := contrast(over(focus, primary), primary); r < 1.5 {
			t.Errorf("%s: focus on a primary button changes it by %.2f:1 only", name, r)
		}
		if r := contrast(over(theme.DefaultTheme().Color(theme.ColorNameFocus, v), primary), primary); r >= 1.5 {
			t.Logf("%s: Fyne's default focus on primary is %.2f:1", name, r)
		}
	}
}

// ink counts the pixels of img that differ clearly from bg.
func ink(img image.Image, bg color.Color) int {
	br, bgg, bb, _ := bg.RGBA()
	n := 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			d := math.Abs(float64(r)-float64(br)) + math.Abs(float64(g)-float64(bgg)) + math.Abs(float64(b)-float64(bb))
			if d > 0x6000 {
				n++
			}
		}
	}
	return n
}

// renderInk draws s as one line of text, in the given theme, with room
// around it, and counts its ink.
func renderInk(t *testing.T, th fyne.Theme, s string) int {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(th)
	text := canvas.NewText(s, th.Color(theme.ColorNameForeground, theme.VariantDark))
	text.TextSize = 20
	w := test.NewWindow(container.NewCenter(text))
	defer w.Close()
	w.Resize(fyne.NewSize(400, 120))
	bg := th.Color(theme.ColorNameBackground, theme.VariantDark)
	return ink(w.Canvas().Capture(), bg)
}

// A line that starts with Chinese keeps the descenders of the Latin text
// after it: "演示 @beijing" shows its g and j whole. The same glyphs in the
// other order (Latin first) give the reference amount of ink.
func TestLinesStartingWithCJKDoNotClipDescenders(t *testing.T) {
	th := newTheme()
	cjkFirst, latinFirst := renderInk(t, th, "演示 gjpqy"), renderInk(t, th, "gjpqy 演示")
	if float64(cjkFirst) < 0.99*float64(latinFirst) {
		t.Errorf("a line starting with Chinese loses ink: %d pixels against %d", cjkFirst, latinFirst)
	}
	def := theme.DefaultTheme()
	if c, l := renderInk(t, def, "演示 gjpqy"), renderInk(t, def, "gjpqy 演示"); float64(c) < 0.99*float64(l) {
		t.Logf("Fyne's default theme clips: %d pixels against %d", c, l)
	} else {
		t.Logf("no CJK fallback font that clips on this machine (%d against %d)", c, l)
	}
}
