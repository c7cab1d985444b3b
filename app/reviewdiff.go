package app

import (
	"image/color"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/team"
)

// The Review view shows what changed between two revisions word by word:
// kept words plain, added words green and bold, removed words red and in
// italics. Colour is never the only sign, and the greens and reds are
// chosen per theme variant for a contrast of at least 4.5:1 against the
// background, so the diff reads in the light and the dark theme alike
// (the theme's own success green is too pale on white).

// The diff's colours, resolved by diffTheme.
const (
	colorDiffAdded   fyne.ThemeColorName = "chancery-diff-added"
	colorDiffRemoved fyne.ThemeColorName = "chancery-diff-removed"
)

// diffTheme is the window's theme plus the diff's colours.
type diffTheme struct{ fyne.Theme }

// Color implements fyne.Theme.
func (t diffTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	light := v == theme.VariantLight
	switch {
	case n == colorDiffAdded && light:
		return color.NRGBA{R: 0x1a, G: 0x6e, B: 0x2e, A: 0xff}
	case n == colorDiffAdded:
		return color.NRGBA{R: 0x6c, G: 0xdb, B: 0x8b, A: 0xff}
	case n == colorDiffRemoved && light:
		return color.NRGBA{R: 0xb3, G: 0x26, B: 0x1e, A: 0xff}
	case n == colorDiffRemoved:
		return color.NRGBA{R: 0xff, G: 0x8a, B: 0x80, A: 0xff}
	}
	return t.Theme.Color(n, v)
}

// newDiffText shows a word diff as wrapped rich text in the diff's colours.
func newDiffText(base fyne.Theme, ops []wordOp) fyne.CanvasObject {
	rt := widget.NewRichText(diffSegments(ops)...)
	rt.Wrapping = fyne.TextWrapWord
	return container.NewThemeOverride(rt, diffTheme{Theme: base})
}

// wordOp is one run of words of a word diff.
type wordOp struct {
	op   team.Op
	text string
}

// maxDiffCells bounds the diff's table (tokens of one text times tokens of
// the other); longer texts are shown as wholly removed and added.
const maxDiffCells = 1 << 20

// diffWords returns the word-level difference from a to b: runs of kept,
// removed and added text that, read in order without the removed (or
// without the added), give b (or a) back exactly.
func diffWords(a, b string) []wordOp {
	x, y := tokens(a), tokens(b)
	if len(x)*len(y) > maxDiffCells {
		return merge(nil, []wordOp{{team.Removed, a}, {team.Added, b}})
	}
	lcs := make([][]int32, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []wordOp
	i, j := 0, 0
	for i < len(x) && j < len(y) {
		switch {
		case x[i] == y[j]:
			out = merge(out, []wordOp{{team.Same, x[i]}})
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			out = merge(out, []wordOp{{team.Removed, x[i]}})
			i++
		default:
			out = merge(out, []wordOp{{team.Added, y[j]}})
			j++
		}
	}
	for ; i < len(x); i++ {
		out = merge(out, []wordOp{{team.Removed, x[i]}})
	}
	for ; j < len(y); j++ {
		out = merge(out, []wordOp{{team.Added, y[j]}})
	}
	return out
}

// merge appends ops to out, joining runs of the same kind; empty runs are
// dropped.
func merge(out, ops []wordOp) []wordOp {
	for _, o := range ops {
		if o.text == "" {
			continue
		}
		if n := len(out); n > 0 && out[n-1].op == o.op {
			out[n-1].text += o.text
			continue
		}
		out = append(out, o)
	}
	return out
}

// tokens splits s into words, runs of spaces, and single line breaks and
// punctuation marks; CJK text has no spaces, so each of its characters is
// a word.
func tokens(s string) []string {
	var out []string
	start := -1
	kind := 0
	flush := func(end int) {
		if start >= 0 {
			out = append(out, s[start:end])
		}
		start = -1
	}
	for i, r := range s {
		k := tokenKind(r)
		single := k == tokNewline || k == tokSingle
		if single || k != kind {
			flush(i)
		}
		if single {
			out = append(out, string(r))
			kind = 0
			continue
		}
		if start < 0 {
			start = i
		}
		kind = k
	}
	flush(len(s))
	return out
}

const (
	tokWord = iota + 1
	tokSpace
	tokNewline
	tokSingle // a CJK character or a punctuation mark
)

func tokenKind(r rune) int {
	switch {
	case r == '\n':
		return tokNewline
	case unicode.IsSpace(r):
		return tokSpace
	case unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r):
		return tokSingle
	case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
		return tokWord
	}
	return tokSingle
}

// diffSegments renders a word diff as rich text: one paragraph per line.
func diffSegments(ops []wordOp) []widget.RichTextSegment {
	var segs []widget.RichTextSegment
	for i, o := range ops {
		if i > 0 && o.op == team.Added && ops[i-1].op == team.Removed && !spaced(ops[i-1].text, o.text) {
			segs = append(segs, &widget.TextSegment{Text: " ", Style: diffStyle(team.Same)}) // "closed open", not "closedopen"
		}
		lines := strings.Split(o.text, "\n")
		for k, line := range lines {
			if k > 0 {
				segs = append(segs, lineBreak())
			}
			if line != "" {
				segs = append(segs, &widget.TextSegment{Text: line, Style: diffStyle(o.op)})
			}
		}
	}
	return segs
}

// spaced tells whether a space or line break already separates a from b.
func spaced(a, b string) bool {
	return strings.HasSuffix(a, " ") || strings.HasSuffix(a, "\n") || strings.HasPrefix(b, " ") || strings.HasPrefix(b, "\n")
}

// lineBreak ends the current line of a rich text.
func lineBreak() widget.RichTextSegment {
	return &widget.TextSegment{Style: widget.RichTextStyle{Inline: false}}
}

func diffStyle(op team.Op) widget.RichTextStyle {
	s := widget.RichTextStyle{Inline: true, SizeName: theme.SizeNameText}
	switch op {
	case team.Added:
		s.ColorName = colorDiffAdded
		s.TextStyle = fyne.TextStyle{Bold: true}
	case team.Removed:
		s.ColorName = colorDiffRemoved
		s.TextStyle = fyne.TextStyle{Italic: true}
	default:
		s.ColorName = theme.ColorNameForeground
	}
	return s
}
