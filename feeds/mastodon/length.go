package mastodon

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"chancery/accounts"
)

// Length counts text as a Mastodon server does: in grapheme clusters
// (user-perceived characters), each http(s) link counting as the server's
// characters_reserved_per_url (23 by default) whatever its length, and each
// mention of a remote account (@user@domain) as its "@user" part only. The
// limit is the server's max_characters as last cached (500 by default).
// The server adds the content warning's length to the text's: a caller
// that shows a content warning adds Length of it too.
func (n *Network) Length(acct accounts.Account, text string) (used, limit int) {
	lim := n.limitsOf(acct)
	return count(text, lim.URLLength), lim.MaxCharacters
}

// count returns the length of text with links counting urlLength.
func count(text string, urlLength int) int {
	if text == "" {
		return 0
	}
	ents := entities(text)
	var b strings.Builder
	at := 0
	for _, e := range ents {
		b.WriteString(text[at:e.start])
		if e.mention == "" {
			b.WriteString(strings.Repeat("x", urlLength))
		} else {
			b.WriteString(e.mention)
		}
		at = e.end
	}
	b.WriteString(text[at:])
	return uniseg.GraphemeClusterCount(b.String())
}

// entity is a link (mention == "") or a mention, as byte offsets in text.
type entity struct {
	start, end int
	mention    string // what a mention counts as: "@user"
}

// entities finds the links, then the mentions that do not overlap a link,
// in text order.
func entities(text string) []entity {
	ents := links(text)
	for _, m := range mentions(text) {
		if !overlaps(ents, m) {
			ents = append(ents, m)
		}
	}
	sort.Slice(ents, func(i, j int) bool { return ents[i].start < ents[j].start })
	return ents
}

func overlaps(ents []entity, e entity) bool {
	for _, o := range ents {
		if e.start < o.end && o.start < e.end {
			return true
		}
	}
	return false
}

var schemeRE = regexp.MustCompile(`(?i)https?://`)

// links finds http(s) links the way the server's extractor does, closely
// enough: a scheme not glued to a preceding letter, digit, @, $ or #, a
// host with a top-level domain, and everything up to white space, less
// trailing punctuation and unbalanced closing brackets.
func links(text string) []entity {
	var out []entity
	for _, loc := range schemeRE.FindAllStringIndex(text, -1) {
		start := loc[0]
		if r, _ := utf8.DecodeLastRuneInString(text[:start]); start > 0 && !urlMayFollow(r) {
			continue
		}
		end := loc[1]
		for end < len(text) {
			r, size := utf8.DecodeRuneInString(text[end:])
			if unicode.IsSpace(r) || strings.ContainsRune(`<>"`, r) {
				break
			}
			end += size
		}
		end = start + trimURL(text[start:end])
		if validHost(text[loc[1]:end]) {
			out = append(out, entity{start: start, end: end})
		}
	}
	return out
}

func urlMayFollow(r rune) bool {
	switch {
	case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
		return false
	case r == '@' || r == '$' || r == '#' || r == '＠' || r == '＃':
		return false
	}
	return true
}

// trimURL returns the length of u without trailing punctuation and
// closing brackets that have no opening one inside it.
func trimURL(u string) int {
	for len(u) > 0 {
		last, size := utf8.DecodeLastRuneInString(u)
		switch {
		case strings.ContainsRune(".,;:!?'*", last):
		case last == ')' && strings.Count(u, "(") < strings.Count(u, ")"):
		case last == ']' && strings.Count(u, "[") < strings.Count(u, "]"):
		default:
			return len(u)
		}
		u = u[:len(u)-size]
	}
	return 0
}

// validHost reports whether rest (the link after "://") starts with a host
// name that has a top-level domain of two letters or more.
func validHost(rest string) bool {
	host := rest
	if i := strings.IndexAny(host, "/?#:"); i >= 0 {
		host = host[:i]
	}
	labels := strings.Split(host, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return false
		}
		for _, r := range l {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	if strings.HasPrefix(strings.ToLower(tld), "xn--") {
		return true
	}
	return utf8.RuneCountInString(tld) >= 2 && strings.IndexFunc(tld, func(r rune) bool { return !unicode.IsLetter(r) }) < 0
}

// mentionRE is the server's mention pattern: a username, then optionally
// "@" and a domain.
var mentionRE = regexp.MustCompile(`@([A-Za-z0-9_]+(?:[A-Za-z0-9_.-]+[A-Za-z0-9_]+)?)(?:@[\p{L}\p{M}\p{N}\p{Pc}]+(?:[.-]+[\p{L}\p{M}\p{N}\p{Pc}]+)*)?`)

// mentions finds mentions not glued to a preceding word character, "=" or
// "/" (so e-mail addresses and links are not mentions).
func mentions(text string) []entity {
	var out []entity
	for at := 0; at < len(text); {
		loc := mentionRE.FindStringSubmatchIndex(text[at:])
		if loc == nil {
			break
		}
		start, end := at+loc[0], at+loc[1]
		if r, _ := utf8.DecodeLastRuneInString(text[:start]); start > 0 && (isWord(r) || r == '=' || r == '/') {
			at = start + 1
			continue
		}
		out = append(out, entity{start: start, end: end, mention: "@" + text[at+loc[2]:at+loc[3]]})
		at = end
	}
	return out
}

func isWord(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || unicode.Is(unicode.Pc, r)
}
