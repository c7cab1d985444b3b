package app

import "unicode"

// textRow is one visible line of a proseEntry: runes [begin, end) are shown
// on it and the next line starts at next. A line that ends at a line break
// has next = end+1 (the break belongs to no line); a line wrapped at a
// word boundary has next = end, and its trailing spaces are part of it:
// they hang past the right edge, as in a word processor, instead of being
// left out of every line.
type textRow struct{ begin, end, next int }

// wrapText splits text into lines no wider than width, breaking only
// after spaces and between ideographs; a word wider than a whole line is
// broken between letters, as nothing else can show it. Every rune but the
// line breaks belongs to exactly one line, in order, so any offset in the
// text has a line and a column, and the lines joined give the text back.
func wrapText(text []rune, width float32, measure func([]rune) float32) []textRow {
	var rows []textRow
	start := 0
	for {
		end := start
		for end < len(text) && text[end] != '\n' {
			end++
		}
		rows = wrapParagraph(rows, text, start, end, width, measure)
		if end == len(text) {
			return rows
		}
		rows[len(rows)-1].next = end + 1
		start = end + 1
	}
}

// wrapParagraph appends the lines of text[from:to], which holds no line
// break; the last line's next is to.
func wrapParagraph(rows []textRow, text []rune, from, to int, width float32, measure func([]rune) float32) []textRow {
	line := from
	for i := from; i < to; {
		j := unitEnd(text, i, to) // text[i:j] cannot be broken
		k := j
		for k < to && isBreakSpace(text[k]) {
			k++
		}
		if line < i && measure(text[line:j]) > width {
			rows = append(rows, textRow{line, i, i})
			line = i
		}
		for line < j && measure(text[line:j]) > width {
			cut := longestFitting(text, line, j, width, measure)
			rows = append(rows, textRow{line, cut, cut})
			line = cut
		}
		i = k
	}
	return append(rows, textRow{line, to, to})
}

// longestFitting returns the largest cut in (from, to) such that
// text[from:cut] fits width; at least from+1, so that a line always
// advances.
func longestFitting(text []rune, from, to int, width float32, measure func([]rune) float32) int {
	lo, hi := from+1, to-1 // text[from:to] does not fit
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if measure(text[from:mid]) <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// unitEnd returns the end of the unbreakable run that starts at i: a word
// (letters up to a space or an ideograph), or one ideograph with the
// punctuation that may not start a line after it. At a space it returns i.
func unitEnd(text []rune, i, to int) int {
	if i >= to || isBreakSpace(text[i]) {
		return i
	}
	if isIdeograph(text[i]) {
		i++
		for i < to && noBreakBefore(text[i]) {
			i++
		}
		return i
	}
	for i < to && !isBreakSpace(text[i]) && !isIdeograph(text[i]) {
		i++
	}
	for i < to && noBreakBefore(text[i]) {
		i++
	}
	return i
}

// isBreakSpace reports whether a line may break after r: a space, but not
// the no-break spaces French puts before « ; : ! ? ».
func isBreakSpace(r rune) bool {
	switch r {
	case '\u00a0', '\u202f', '\u2007', '\u2060', '\n':
		return false
	}
	return unicode.IsSpace(r)
}

// isIdeograph reports whether a line may break before and after r, as
// between Chinese or Japanese characters.
func isIdeograph(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) || noBreakBefore(r)
}

// noBreakBefore reports whether r is punctuation that may not start a
// line: CJK closing punctuation.
func noBreakBefore(r rune) bool {
	switch r {
	case '，', '。', '、', '；', '：', '？', '！', '」', '』', '）', '》', '〉', '】', '…', '·', '％', '〕':
		return true
	}
	return false
}
