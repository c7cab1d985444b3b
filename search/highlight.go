package search

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Span is a piece of a snippet; Match marks a word the query found.
type Span struct {
	Text  string `json:"text"`
	Match bool   `json:"match,omitempty"`
}

// snippetRunes is about how long a snippet is.
const snippetRunes = 200

// byteRange is a half-open range of bytes of a text.
type byteRange struct{ start, end int }

// matches returns the ranges of text whose words the query found, in
// order and merged: the folded words of every post, and the stemmed words
// of the post's language.
func (x *Index) matches(text, lang string, marks map[string]map[string]bool) []byteRange {
	var found []byteRange
	analyzers := []string{anyIndex}
	if a, ok := stemmed[baseLang(lang)]; ok {
		analyzers = append(analyzers, a)
	}
	for _, name := range analyzers {
		want := marks[name]
		if name == anyIndex {
			want = marks[anyQuery]
		}
		if len(want) == 0 {
			continue
		}
		for _, tok := range x.mapping.AnalyzerNamed(name).Analyze([]byte(text)) {
			if want[string(tok.Term)] {
				found = append(found, byteRange{tok.Start, tok.End})
			}
		}
	}
	slices.SortFunc(found, func(a, b byteRange) int { return a.start - b.start })
	merged := found[:0]
	for _, r := range found {
		if n := len(merged); n > 0 && r.start <= merged[n-1].end {
			merged[n-1].end = max(merged[n-1].end, r.end)
			continue
		}
		merged = append(merged, r)
	}
	return merged
}

// snippet cuts text to about snippetRunes around its first match, and
// splits it into spans with the matches marked. Line breaks become spaces.
func snippet(text string, found []byteRange) []Span {
	from, to := 0, len(text)
	if utf8.RuneCountInString(text) > snippetRunes {
		anchor := 0
		if len(found) > 0 {
			anchor = found[0].start
		}
		from = wordStart(text, backRunes(text, anchor, snippetRunes/8), anchor)
		to = forwardRunes(text, from, snippetRunes)
	}
	var spans []Span
	add := func(s string, match bool) {
		s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == '\t' }), " ")
		if s == "" {
			return
		}
		if n := len(spans); n > 0 && spans[n-1].Match == match {
			spans[n-1].Text += s
			return
		}
		spans = append(spans, Span{Text: s, Match: match})
	}
	if from > 0 {
		add("…", false)
	}
	at := from
	for _, r := range found {
		if r.end <= from || r.start >= to {
			continue
		}
		start, end := max(r.start, from), min(r.end, to)
		add(text[at:start], false)
		add(text[start:end], true)
		at = end
	}
	add(text[at:to], false)
	if to < len(text) {
		add("…", false)
	}
	return spans
}

// backRunes returns the byte offset n runes before at (or 0).
func backRunes(s string, at, n int) int {
	for ; n > 0 && at > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:at])
		at -= size
	}
	return at
}

// wordStart moves from forward to the start of the next word if it is in
// the middle of one, without going past limit.
func wordStart(s string, from, limit int) int {
	if from == 0 {
		return 0
	}
	if i := strings.IndexAny(s[from:limit], " \n\t"); i >= 0 {
		return from + i + 1
	}
	return from
}

// forwardRunes returns the byte offset n runes after at (or len(s)).
func forwardRunes(s string, at, n int) int {
	for ; n > 0 && at < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[at:])
		at += size
	}
	return at
}
