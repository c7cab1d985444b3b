package app

import (
	"strings"
	"testing"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
)

const bilingual = "Visa fraud warning: we never ask for payment by gift card. " +
	"Avertissement : l’ambassade ne demande jamais de paiement par carte‑cadeau ; " +
	"méfiez-vous des appels où l’on prétend être « agent consulaire » à Genève, Québec ou Zürich. " +
	"签证诈骗提醒：使馆从不要求以礼品卡付款。"

// checkRows fails unless the lines hold the text, in order, and every line
// that wraps ends after a space or between ideographs, or holds a single
// word too wide for any line.
func checkRows(t *testing.T, text []rune, rows []textRow, tooWide func(word []rune) bool) {
	t.Helper()
	var b strings.Builder
	for i, r := range rows {
		b.WriteString(string(text[r.begin:r.end]))
		if r.next == r.end+1 {
			b.WriteRune(text[r.end])
		}
		if i+1 < len(rows) && rows[i+1].begin != r.next {
			t.Fatalf("line %d ends at %d, the next starts at %d", i, r.next, rows[i+1].begin)
		}
		if r.next != r.end || r.end == len(text) || r.end == r.begin {
			continue // a line break, the end, or an empty line
		}
		before, after := text[r.end-1], text[r.end]
		switch {
		case unicode.IsSpace(before) && before != '\u00a0' && before != '\u202f':
		case isIdeograph(after) && !noBreakBefore(after):
		case !strings.ContainsFunc(string(text[r.begin:r.end]), isBreakSpace) && tooWide(text[r.begin:r.end+1]):
		default:
			t.Errorf("line %d %q is cut inside a word (next starts %q)", i, string(text[r.begin:r.end]), string(text[r.end:min(len(text), r.end+8)]))
		}
	}
	if got := b.String(); got != string(text) {
		t.Fatalf("the lines hold %q, want %q", got, string(text))
	}
}

func TestWrapTextKeepsEveryCharacterAndBreaksBetweenWords(t *testing.T) {
	measure := func(r []rune) float32 { return float32(len(r)) * 10 }
	texts := []string{
		bilingual,
		"Avant-hier,\u00a0à\u00a0Vienne\u202f: réunion.\n\nDeuxième paragraphe  avec  espaces doubles   ",
		"Anticonstitutionnellement extraordinaire",
		"   leading spaces and a trailing newline\n",
		"",
	}
	for _, s := range texts {
		for _, width := range []float32{60, 90, 150, 230, 400, 1000} {
			text := []rune(s)
			rows := wrapText(text, width, measure)
			checkRows(t, text, rows, func(w []rune) bool { return measure(w) > width })
			for _, r := range rows {
				visible := strings.TrimRightFunc(string(text[r.begin:r.end]), isBreakSpace)
				if measure([]rune(visible)) > width {
					t.Errorf("width %v: line %q is wider", width, visible)
				}
			}
		}
	}
	// A French no-break space never starts or ends a line.
	rows := wrapText([]rune("Attention\u00a0: danger"), 130, measure)
	if len(rows) != 2 || rows[0].end != 12 {
		t.Errorf("rows %+v", rows)
	}
}

// proseWindow shows one proseEntry at the given width.
func proseWindow(t *testing.T, width float32) (fyne.Window, *proseEntry) {
	t.Helper()
	test.NewTempApp(t)
	e := newProseEntry()
	w := test.NewWindow(container.NewStack(e))
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(width, 400))
	return w, e
}

// Typed key by key through the window, with the field drawn between keys
// as a real window does, bilingual text comes out exactly as typed and its
// lines break only between words, whatever the width.
func TestProseEntryKeepsEveryTypedCharacterAndWrapsAtWords(t *testing.T) {
	for _, width := range []float32{180, 233, 260, 301, 420, 577} {
		w, e := proseWindow(t, width)
		changes := 0
		e.OnChanged = func(string) { changes++ }
		w.Canvas().Focus(e)
		for _, r := range bilingual {
			w.Canvas().Focused().TypedRune(r)
			test.RenderObjectToMarkup(e)
		}
		if got := e.Text(); got != bilingual {
			t.Fatalf("at width %v the field holds %q", width, got)
		}
		if changes != len([]rune(bilingual)) {
			t.Errorf("%d changes reported", changes)
		}
		if len(e.rows) < 3 {
			t.Errorf("at width %v only %d lines", width, len(e.rows))
		}
		size := e.textSize()
		checkRows(t, e.text, e.rows, func(word []rune) bool {
			return fyne.MeasureText(string(word), size, fyne.TextStyle{}).Width > e.wrapWidth
		})
		// What is drawn is the lines, nothing cut off at the wrap points.
		if got := strings.Join(e.Rows(), ""); got != bilingual {
			t.Errorf("drawn lines %q", got)
		}
	}
}

func TestProseEntryEditingKeys(t *testing.T) {
	w, e := proseWindow(t, 300)
	test.Type(e, "Bonjour Vienne")
	key := func(names ...fyne.KeyName) {
		for _, n := range names {
			w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: n})
		}
	}
	w.Canvas().Focus(e)
	key(fyne.KeyHome)
	test.Type(e, "« ")
	key(fyne.KeyEnd)
	test.Type(e, " »")
	if got := e.Text(); got != "« Bonjour Vienne »" {
		t.Fatalf("after Home and End: %q", got)
	}
	key(fyne.KeyLeft, fyne.KeyLeft, fyne.KeyBackspace, fyne.KeyBackspace, fyne.KeyBackspace, fyne.KeyBackspace, fyne.KeyBackspace, fyne.KeyBackspace)
	test.Type(e, "Genève")
	if got := e.Text(); got != "« Bonjour Genève »" {
		t.Fatalf("after Backspace: %q", got)
	}
	e.KeyDown(&fyne.KeyEvent{Name: "LeftShift"})
	key(fyne.KeyLeft, fyne.KeyLeft, fyne.KeyLeft, fyne.KeyLeft, fyne.KeyLeft, fyne.KeyLeft)
	e.KeyUp(&fyne.KeyEvent{Name: "LeftShift"})
	if got := e.SelectedText(); got != "Genève" {
		t.Fatalf("selected %q", got)
	}
	test.Type(e, "Pékin")
	key(fyne.KeyReturn)
	test.Type(e, "北京")
	if got := e.Text(); got != "« Bonjour Pékin\n北京 »" {
		t.Fatalf("after replacing the selection: %q", got)
	}
	e.TypedShortcut(&fyne.ShortcutUndo{})
	e.TypedShortcut(&fyne.ShortcutUndo{})
	if got := e.Text(); got != "« Bonjour Pékin »" {
		t.Errorf("after two undos: %q", got)
	}
	e.TypedShortcut(&fyne.ShortcutRedo{})
	if got := e.Text(); got != "« Bonjour Pékin\n »" {
		t.Errorf("after redo: %q", got)
	}
	e.TypedShortcut(&fyne.ShortcutSelectAll{})
	key(fyne.KeyDelete)
	if e.Text() != "" {
		t.Errorf("select all and delete left %q", e.Text())
	}
}

// Up and Down keep the column across wrapped lines, and a tap puts the
// cursor where it falls.
func TestProseEntryMovesBetweenWrappedLines(t *testing.T) {
	w, e := proseWindow(t, 200)
	e.SetText(strings.Repeat("word ", 30))
	w.Canvas().Focus(e)
	if len(e.rows) < 4 {
		t.Fatalf("%d lines", len(e.rows))
	}
	e.moveTo(0, false)
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if e.rowOf(e.cursor) != 1 || e.cursor != e.rows[1].begin+1 {
		t.Errorf("Down went to %d (line %d)", e.cursor, e.rowOf(e.cursor))
	}
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	if e.cursor != 1 {
		t.Errorf("Up went to %d", e.cursor)
	}
	pad := e.Theme().Size("innerPadding")
	test.TapAt(e, fyne.NewPos(pad+1, pad+e.lineHeight()*2.5))
	if e.cursor != e.rows[2].begin {
		t.Errorf("tap on the third line put the cursor at %d, want %d", e.cursor, e.rows[2].begin)
	}
}
