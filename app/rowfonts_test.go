package app

import (
	"image"
	"image/color"
	"math"
	"os"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"chancery/feeds"
	"chancery/translations"
)

// withRowFonts loads the row fonts of Chancery's theme for one test.
func withRowFonts(t *testing.T) *glyphFonts {
	t.Helper()
	a := test.NewTempApp(t)
	useTheme(a)
	old := glyphs
	t.Cleanup(func() { glyphs = old })
	loadRowFonts(a.Settings().Theme())
	if glyphs == nil {
		t.Fatal("the theme's fonts could not be parsed")
	}
	return glyphs
}

func TestUnshapedCharacters(t *testing.T) {
	for _, r := range "Aé€“…中文。，かカ한Жλ" {
		if !unshaped(r) {
			t.Errorf("%q (%U) needs no shaper, but is left to Fyne", r, r)
		}
	}
	for _, r := range "مש\u0301\u200d\u202e\ufe0f👍🇨ก\u0915\t" {
		if unshaped(r) {
			t.Errorf("%q (%U) needs a shaper (or is invisible), but would be drawn glyph by glyph", r, r)
		}
	}
}

func TestRowFontsLeaveShapedTextToFyne(t *testing.T) {
	g := withRowFonts(t)
	for _, s := range []string{
		"L'ambassadeur s'est entretenu avec le ministre", "Visa appointments move to Tuesday; #0", "", "Title\nand text",
		"Merci 👍", "Fête nationale 🇨🇦🇫🇷!", "❤\ufe0f family 👨\u200d👩\u200d👧",
	} {
		if !g.canDraw(s, fyne.TextStyle{}) || !g.canDraw(s, fyne.TextStyle{Bold: true}) {
			t.Errorf("%q is left to Fyne, want it drawn", s)
		}
	}
	for _, s := range []string{"السفارة", "Merci 👍 السفارة", "Cafe\u0301", "a\u200db", "\u00a9\ufe0f", "1\ufe0f\u20e3"} {
		if g.canDraw(s, fyne.TextStyle{}) {
			t.Errorf("%q would be drawn glyph by glyph, want it left to Fyne's shaper", s)
		}
	}
	if g.canDraw("plain", fyne.TextStyle{Italic: true}) || g.canDraw("plain", fyne.TextStyle{Monospace: true}) {
		t.Error("italic and monospace text would be drawn with the regular font")
	}
}

// TestRowFontsMeasureAsFyne: a row breaks its lines with these widths, so
// they must be Fyne's (kerning aside, which only narrows a line).
func TestRowFontsMeasureAsFyne(t *testing.T) {
	g := withRowFonts(t)
	for _, style := range []fyne.TextStyle{{}, {Bold: true}} {
		s := "Beware of fraudulent websites offering visas: applications are free"
		var sum float32
		for _, r := range s {
			sum += g.advance(r, theme.TextSize(), style.Bold)
		}
		fyneW := fyne.MeasureText(s, theme.TextSize(), style).Width
		if math.Abs(float64(sum-fyneW)) > 0.02*float64(fyneW) {
			t.Errorf("bold=%v: glyph advances sum to %.1f, Fyne measures %.1f", style.Bold, sum, fyneW)
		}
	}
}

func TestRowFontsDrawCJK(t *testing.T) {
	g := withRowFonts(t)
	if g.cjk[0] == nil {
		if os.Getenv("CI") != "" {
			t.Fatal("no CJK font found, though scripts/deps.sh installs fonts-noto-cjk")
		}
		t.Skip("no CJK font on this system: Chinese rows are left to Fyne")
	}
	if !g.canDraw("大使会见了外交部长，讨论地区安全。", fyne.TextStyle{}) {
		t.Fatal("Chinese text is left to Fyne although a CJK font was found")
	}
	w := g.advance('中', theme.TextSize(), false)
	if w < theme.TextSize()*0.9 || w > theme.TextSize()*1.1 {
		t.Errorf("中 advances %.1f, want about one em (%.1f)", w, theme.TextSize())
	}
	ink := inkBounds(drawnLine(t, g, "中文", 2))
	if ink.Dx() < int(2*theme.TextSize()) || ink.Dy() < int(theme.TextSize()) {
		t.Errorf("中文 at scale 2 inks %v, want about two ems wide and one high", ink)
	}
}

func TestRowFontsDrawAtScale(t *testing.T) {
	g := withRowFonts(t)
	for _, scale := range []float32{1, 2} {
		img := drawnLine(t, g, "Hello", scale)
		ink := inkBounds(img)
		want := fyne.MeasureText("Hello", theme.TextSize(), fyne.TextStyle{}).Width * scale
		if ink.Empty() || float32(ink.Max.X) > want+2 || float32(ink.Max.X) < want*0.8 {
			t.Errorf("scale %v: \"Hello\" inks %v, want it to end near x=%.0f", scale, ink, want)
		}
		base := int(math.Ceil(float64(g.baseline(theme.TextSize(), false) * scale)))
		if ink.Max.Y > base+1 || ink.Min.Y < base-int(theme.TextSize()*scale) {
			t.Errorf("scale %v: \"Hello\" inks rows %d-%d, want them above the baseline %d", scale, ink.Min.Y, ink.Max.Y, base)
		}
	}
}

func TestTextBlockDrawsWhatItCanAndLeavesTheRestToFyne(t *testing.T) {
	withRowFonts(t)
	b := newTextBlock(2, fyne.TextStyle{}, theme.SizeNameText, theme.ColorNameForeground)
	w := test.NewWindow(b)
	defer w.Close()
	w.Resize(fyne.NewSize(300, 80))
	b.SetText("Visa appointments move to Tuesday; please check your e-mail")
	b.Refresh()
	if b.drawn[0].Hidden || !b.lines[0].Hidden || b.drawnText[0] == "" || b.lines[0].Text != "" {
		t.Fatalf("Latin text: drawn line %q (hidden %v), Fyne line %q (hidden %v)", b.drawnText[0], b.drawn[0].Hidden, b.lines[0].Text, b.lines[0].Hidden)
	}
	if ink := inkBounds(w.Canvas().Capture()); ink.Empty() {
		t.Error("the drawn lines show nothing")
	}
	b.SetText("Merci 👍 السفارة")
	b.Refresh()
	if !b.drawn[0].Hidden || b.lines[0].Hidden || b.lines[0].Text == "" || b.drawnText[0] != "" {
		t.Fatalf("shaped text: drawn line %q (hidden %v), Fyne line %q (hidden %v)", b.drawnText[0], b.drawn[0].Hidden, b.lines[0].Text, b.lines[0].Hidden)
	}
}

// drawnLine draws s as a row line at scale, white on transparent.
func drawnLine(t *testing.T, g *glyphFonts, s string, scale float32) *image.RGBA {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, int(400*scale), int(30*scale)))
	base := int(math.Ceil(float64(g.baseline(theme.TextSize(), false) * scale)))
	g.drawLine(img, s, theme.TextSize(), scale, false, color.White, image.Pt(0, base), nil)
	return img
}

// inkBounds is the smallest rectangle holding every pixel that differs
// from the top-left one.
func inkBounds(img image.Image) image.Rectangle {
	bg := img.At(img.Bounds().Min.X, img.Bounds().Min.Y)
	var ink image.Rectangle
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if img.At(x, y) != bg {
				ink = ink.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return ink
}

// TestTextBlockLaysEmojiOverDrawnText: a line with emoji is still drawn
// glyph by glyph; each emoji sequence is shown by a canvas.Text in a gap
// of the drawn line, as wide as Fyne measures it, in the line's order.
func TestTextBlockLaysEmojiOverDrawnText(t *testing.T) {
	g := withRowFonts(t)
	b := newTextBlock(2, fyne.TextStyle{}, theme.SizeNameText, theme.ColorNameForeground)
	w := test.NewWindow(b)
	defer w.Close()
	w.Resize(fyne.NewSize(400, 80))
	b.SetText("Fête 🇨🇦 nationale 🎉!")
	b.Refresh()
	if b.drawn[0].Hidden || !b.lines[0].Hidden {
		t.Fatal("a line with emoji is left to Fyne, want it drawn with the emoji laid over it")
	}
	var shown []*canvas.Text
	for _, m := range b.marks {
		if m.Visible() {
			shown = append(shown, m)
		}
	}
	if len(shown) != 2 || shown[0].Text != "🇨🇦" || shown[1].Text != "🎉" {
		t.Fatalf("emoji shown over the line: %v, want 🇨🇦 then 🎉", marksText(shown))
	}
	size := theme.TextSize()
	pad := theme.InnerPadding()
	var x float32
	for _, r := range "Fête " {
		x += g.advance(r, size, false)
	}
	flag := fyne.MeasureText("🇨🇦", size, fyne.TextStyle{}).Width
	if got := shown[0].Position().X; math.Abs(float64(got-(pad+x))) > 0.5 || shown[0].Size().Width != flag {
		t.Errorf("🇨🇦 at x=%.1f, %.1f wide; want x=%.1f, %.1f wide", got, shown[0].Size().Width, pad+x, flag)
	}
	if shown[1].Position().X <= shown[0].Position().X+flag {
		t.Errorf("🎉 at x=%.1f, not after the flag ending at %.1f", shown[1].Position().X, shown[0].Position().X+flag)
	}
	// The drawn line leaves the flag's gap blank and goes on after it.
	img := image.NewRGBA(image.Rect(0, 0, 400, 30))
	base := int(math.Ceil(float64(g.baseline(size, false))))
	g.drawLine(img, b.drawnText[0], size, 1, false, color.White, image.Pt(0, base), b.gaps[0])
	gap := image.Rect(int(x)+1, 0, int(x+flag)-1, 30)
	if ink := inkBounds(img.SubImage(gap)); !ink.Empty() {
		t.Errorf("the drawn line inks %v inside the flag's gap %v", ink, gap)
	}
	if ink := inkBounds(img); ink.Max.X < int(x+flag) {
		t.Errorf("the drawn line ends at x=%d, before the text after the flag", ink.Max.X)
	}

	b.SetText("plain text")
	b.Refresh()
	for _, m := range b.marks {
		if m.Visible() {
			t.Errorf("emoji %q still shown over a line without emoji", m.Text)
		}
	}
}

func marksText(ts []*canvas.Text) []string {
	var s []string
	for _, t := range ts {
		s = append(s, t.Text)
	}
	return s
}

// TestRowDrawsItsTextInOneRaster: a row draws the text of its author, age,
// body and footer in its one raster, each block where it is laid out; a
// block that needs Fyne's shaper shows its own lines instead, and the
// raster leaves its place blank.
func TestRowDrawsItsTextInOneRaster(t *testing.T) {
	withRowFonts(t)
	loc := translations.New("en")
	r := newPostRow()
	w := test.NewWindow(r)
	defer w.Close()
	w.Resize(fyne.NewSize(320, r.MinSize().Height+2*theme.Padding()))
	p := feeds.Post{ID: "1", Author: "Vienna press", Text: "Visa appointments move to Tuesday.", Lang: "en", CreatedAt: testNow.Add(-5 * time.Minute)}
	r.set(newEntry(p), loc, testNow, false, 320)
	r.Refresh()
	for _, b := range r.blocks() {
		if !b.useDrawn || b.lines[0].Visible() || b.drawn[0].Visible() {
			t.Fatalf("block %q: drawn %v, own Fyne line shown %v, own raster shown %v; want it drawn by the row", b.text, b.useDrawn, b.lines[0].Visible(), b.drawn[0].Visible())
		}
	}
	size := r.ink.Size()
	img := r.draw(int(size.Width), int(size.Height)).(*image.RGBA)
	inkIn := func(b *textBlock) image.Rectangle {
		pos, sz := b.Position(), b.Size()
		return inkBounds(img.SubImage(image.Rect(int(pos.X), int(pos.Y), int(pos.X+sz.Width), int(pos.Y+sz.Height))))
	}
	for _, b := range r.blocks() {
		if inkIn(b).Empty() {
			t.Errorf("the row's raster shows nothing where %q is", b.text)
		}
	}
	if age := r.when.Position(); age.X < size.Width/2 || r.author.Size().Width > age.X+1 {
		t.Errorf("the age is at x=%.0f and the author %.0f wide: want the age at the right, the author left of it", age.X, r.author.Size().Width)
	}

	p.Text = "السفارة مغلقة يوم الاثنين"
	r.set(newEntry(p), loc, testNow, false, 320)
	r.Refresh()
	if r.body.useDrawn || !r.body.lines[0].Visible() || r.body.lines[0].Text == "" {
		t.Fatalf("Arabic text: drawn %v, Fyne line %q shown %v; want Fyne to show it", r.body.useDrawn, r.body.lines[0].Text, r.body.lines[0].Visible())
	}
	img = r.draw(int(size.Width), int(size.Height)).(*image.RGBA)
	if ink := inkIn(r.body); !ink.Empty() {
		t.Errorf("the row's raster draws %v over the body that Fyne shows", ink)
	}
	if inkIn(r.author).Empty() {
		t.Error("the author is no longer drawn")
	}
}
