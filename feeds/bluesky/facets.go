package bluesky

import (
	"net/url"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bluesky-social/indigo/atproto/syntax"
	"github.com/rivo/uniseg"
)

// Rich text detection. Offsets are UTF-8 byte offsets into the text, as
// app.bsky.richtext.facet requires; every span starts and ends on a rune
// boundary, and spans never overlap. The text must be valid UTF-8
// (Publish makes it so).
//
// Rules, close to the official app's:
//   - links: "http://" or "https://" not glued to a preceding letter or
//     digit, up to white space or a non-ASCII punctuation mark (so "。" or
//     "，" end a link in Chinese text), without trailing ".,;:!?'\"" and
//     without a closing bracket that has no opening one inside the link;
//   - mentions: "@" at the start, after white space, "(" or non-ASCII
//     punctuation, followed by a valid handle (which needs a dot) not
//     continued by a letter, digit, mark or "_";
//   - hashtags: "#" or "＃" at the start, after white space or non-ASCII
//     punctuation, followed by whole grapheme clusters up to white space,
//     non-ASCII punctuation or an invisible character, trailing ASCII
//     punctuation removed; a tag needs a character that is neither a digit
//     nor punctuation, and at most 64 graphemes; "#️⃣" is not a tag.

type spanKind int

const (
	spanLink spanKind = iota
	spanMention
	spanTag
)

// span is one detected rich text feature: text[start:end] is the whole
// matched text ("@alice.test", "#tag", the URL); value is the handle
// (lower case), the tag (without "#") or the URL.
type span struct {
	start, end int
	kind       spanKind
	value      string
}

// maxTagGraphemes and maxTagBytes are the lexicon's limits of a tag.
const (
	maxTagGraphemes = 64
	maxTagBytes     = 640
)

// detect finds the links, mentions and hashtags of text, in text order.
func detect(text string) []span {
	var all []span
	all = append(all, findLinks(text)...)
	all = append(all, findMentions(text)...)
	all = append(all, findTags(text)...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].start < all[j].start })
	out := all[:0]
	end := 0
	for _, s := range all {
		if s.start >= end {
			out = append(out, s)
			end = s.end
		}
	}
	return out
}

// prevRune returns the rune before byte offset i, or -1 at the start.
func prevRune(text string, i int) rune {
	if i == 0 {
		return -1
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return r
}

// isWideStop reports punctuation outside ASCII (CJK and full-width marks,
// typographic quotes), which ends links and tags.
func isWideStop(r rune) bool { return r >= 0x80 && unicode.IsPunct(r) }

func findLinks(text string) []span {
	var out []span
	for i := 0; i < len(text); {
		rest := text[i:]
		if !hasPrefixFold(rest, "http://") && !hasPrefixFold(rest, "https://") {
			_, size := utf8.DecodeRuneInString(rest)
			i += size
			continue
		}
		if p := prevRune(text, i); p >= 0 && p < 0x80 && (unicode.IsLetter(p) || unicode.IsDigit(p)) {
			i++
			continue
		}
		end := i + linkLength(rest)
		if u, err := url.Parse(text[i:end]); err == nil && strings.Contains(strings.Trim(u.Hostname(), "."), ".") {
			out = append(out, span{start: i, end: end, kind: spanLink, value: text[i:end]})
			i = end
			continue
		}
		i++
	}
	return out
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// linkLength returns the byte length of the link at the start of s.
func linkLength(s string) int {
	end := 0
	for j, r := range s {
		if unicode.IsSpace(r) || isWideStop(r) || r == '<' || r == '>' || r == '"' || unicode.IsControl(r) {
			break
		}
		end = j + utf8.RuneLen(r)
	}
	for end > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:end])
		switch {
		case strings.ContainsRune(".,;:!?'\"", r):
		case r == ')' && strings.Count(s[:end], "(") < strings.Count(s[:end], ")"):
		case r == ']' && strings.Count(s[:end], "[") < strings.Count(s[:end], "]"):
		default:
			return end
		}
		end -= size
	}
	return end
}

func findMentions(text string) []span {
	var out []span
	for i := strings.IndexByte(text, '@'); i >= 0; {
		if p := prevRune(text, i); p == -1 || unicode.IsSpace(p) || p == '(' || isWideStop(p) {
			if s, ok := mentionAt(text, i); ok {
				out = append(out, s)
			}
		}
		next := strings.IndexByte(text[i+1:], '@')
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return out
}

// mentionAt reads a mention whose "@" is at text[i].
func mentionAt(text string, i int) (span, bool) {
	j := i + 1
	for j < len(text) && isHandleByte(text[j]) {
		j++
	}
	for j > i+1 && (text[j-1] == '.' || text[j-1] == '-') {
		j--
	}
	if j < len(text) {
		if r, _ := utf8.DecodeRuneInString(text[j:]); unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_' {
			return span{}, false
		}
	}
	h, err := syntax.ParseHandle(text[i+1 : j])
	if err != nil {
		return span{}, false
	}
	return span{start: i, end: j, kind: spanMention, value: h.Normalize().String()}, true
}

func isHandleByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '.' || b == '-'
}

func findTags(text string) []span {
	var out []span
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == '#' || r == '＃' {
			if p := prevRune(text, i); p == -1 || unicode.IsSpace(p) || isWideStop(p) {
				if s, ok := tagAt(text, i, size); ok {
					out = append(out, s)
					i = s.end
					continue
				}
			}
		}
		i += size
	}
	return out
}

// tagAt reads a hashtag whose marker (of size bytes) is at text[i].
func tagAt(text string, i, size int) (span, bool) {
	body := i + size
	if r, _ := utf8.DecodeRuneInString(text[body:]); r == '\uFE0F' || r == '\u20E3' {
		return span{}, false // keycap emoji "#️⃣"
	}
	end := body
	g := uniseg.NewGraphemes(text[body:])
	for g.Next() {
		from, to := g.Positions()
		if k := tagClusterEnd(g.Str()); k < to-from {
			end = body + from + k
			break
		}
		end = body + to
	}
	for end > body {
		r, rsize := utf8.DecodeLastRuneInString(text[body:end])
		if r >= 0x80 || !unicode.IsPunct(r) {
			break
		}
		end -= rsize
	}
	tag := text[body:end]
	if !hasWord(tag) || len(tag) > maxTagBytes || uniseg.GraphemeClusterCount(tag) > maxTagGraphemes {
		return span{}, false
	}
	return span{start: i, end: end, kind: spanTag, value: tag}, true
}

// tagClusterEnd returns how much of a grapheme cluster may be part of a
// tag: all of it, or the part before white space, wide punctuation or an
// invisible character (a zero-width joiner only inside an emoji sequence).
func tagClusterEnd(c string) int {
	first, _ := utf8.DecodeRuneInString(c)
	if unicode.IsSpace(first) || isWideStop(first) {
		return 0
	}
	if k := strings.IndexAny(c, "\u00AD\u2060\u200A\u200B\u200C\u20E2\uFEFF"); k >= 0 {
		return k
	}
	if strings.HasSuffix(c, "\u200D") {
		return len(c) - len("\u200D")
	}
	return len(c)
}

// hasWord reports whether tag has a rune other than digits and punctuation.
func hasWord(tag string) bool {
	for _, r := range tag {
		if !unicode.IsDigit(r) && !unicode.IsPunct(r) && !unicode.IsSpace(r) {
			return true
		}
	}
	return false
}

// facets turns spans into facets; mentions whose handle has no DID in dids
// are left as plain text.
func facets(spans []span, dids map[string]string) []facet {
	var out []facet
	for _, s := range spans {
		f := feature{}
		switch s.kind {
		case spanLink:
			f = feature{Type: typeFacetLink, URI: s.value}
		case spanTag:
			f = feature{Type: typeFacetTag, Tag: s.value}
		case spanMention:
			did, ok := dids[s.value]
			if !ok {
				continue
			}
			f = feature{Type: typeFacetMention, DID: did}
		}
		out = append(out, facet{Index: byteSlice{ByteStart: s.start, ByteEnd: s.end}, Features: []feature{f}})
	}
	return out
}
