package app

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// oneEach measures every character as one unit wide.
func oneEach(rune) float32 { return 1 }

func TestWrapLinesBreaksAtSpacesAndKeepsEveryWord(t *testing.T) {
	text := "Visa appointments move to Tuesday; please check your e-mail"
	lines := wrapLines(text, 20, 10, oneEach)
	for _, l := range lines {
		if utf8.RuneCountInString(l) > 20 {
			t.Errorf("line %q is wider than 20", l)
		}
		if strings.HasPrefix(l, " ") || strings.HasSuffix(l, " ") {
			t.Errorf("line %q starts or ends with a space", l)
		}
	}
	if got := strings.Join(lines, " "); got != text {
		t.Errorf("joined lines %q, want %q", got, text)
	}
	for _, word := range strings.Fields(text) {
		found := false
		for _, l := range lines {
			found = found || strings.Contains(" "+l+" ", " "+word+" ")
		}
		if !found {
			t.Errorf("word %q was split across lines: %q", word, lines)
		}
	}
}

func TestWrapLinesCutsWhatDoesNotFitWithAnEllipsis(t *testing.T) {
	lines := wrapLines("one two three four five six seven eight nine ten", 10, 2, oneEach)
	if len(lines) != 2 {
		t.Fatalf("%d lines: %q", len(lines), lines)
	}
	if last := lines[1]; !strings.HasSuffix(last, "…") || utf8.RuneCountInString(last) > 10 {
		t.Errorf("last line %q: want an ellipsis within the width", last)
	}
	// Text that fits has no ellipsis, and hard line breaks are kept.
	lines = wrapLines("Merci\nThank you", 20, 3, oneEach)
	if len(lines) != 2 || lines[0] != "Merci" || lines[1] != "Thank you" {
		t.Errorf("got %q", lines)
	}
	// An ellipsis already at the end is not doubled.
	lines = wrapLines("aaaa bbbb… cccc dddd", 10, 1, oneEach)
	if strings.Count(lines[0], "…") != 1 {
		t.Errorf("got %q", lines)
	}
}

func TestWrapLinesBreaksChineseBetweenCharactersNotBeforePunctuation(t *testing.T) {
	text := "大使馆将于周一国庆节期间闭馆。请阅读关于人道主义局势的联合声明。"
	lines := wrapLines(text, 7, 10, oneEach)
	if got := strings.Join(lines, ""); got != text {
		t.Errorf("joined %q, want %q", got, text)
	}
	for _, l := range lines {
		if r, _ := utf8.DecodeRuneInString(l); r == '。' {
			t.Errorf("a line starts with closing punctuation: %q", lines)
		}
	}
	if len(lines) < 2 {
		t.Errorf("not wrapped: %q", lines)
	}
}

func TestWrapLinesCutsAWordWiderThanTheLine(t *testing.T) {
	lines := wrapLines("https://example.org/a/very/long/path", 10, 5, oneEach)
	for _, l := range lines {
		if utf8.RuneCountInString(l) > 10 {
			t.Errorf("line %q is wider than 10", l)
		}
	}
	if got := strings.Join(lines, ""); got != "https://example.org/a/very/long/path" {
		t.Errorf("joined %q", got)
	}
}
