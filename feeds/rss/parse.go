package rss

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"mime"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html/charset"

	"chancery/feeds"
)

// parser is shared: gofeed's Parser is safe for concurrent use.
var parser = gofeed.NewParser()

// parseFeed turns a response body into a feed. The body is first decoded to
// UTF-8 (see toUTF8), so the XML parser never has to guess. Anything that is
// not a feed, and any failure (a panic too) of the parser, is an error
// wrapping feeds.ErrBadResponse.
//
// gofeed reads XML with encoding/xml, which expands only the five predefined
// entities and character references, never entities declared in a DTD: an
// entity bomb ("billion laughs") stays a few literal "&lol9;" strings.
// Deep nesting, which would make the parser recurse and allocate without
// bound, is refused before parsing (see checkDepth).
func parseFeed(body []byte, contentType string) (feed *gofeed.Feed, err error) {
	text, err := toUTF8(body, contentType)
	if err != nil {
		return nil, fmt.Errorf("decode: %w: %w", feeds.ErrBadResponse, err)
	}
	if err := checkDepth(text); err != nil {
		return nil, fmt.Errorf("not a feed: %w: %w", feeds.ErrBadResponse, err)
	}
	defer func() {
		if r := recover(); r != nil {
			feed, err = nil, fmt.Errorf("not a feed: %w: parser panicked: %v", feeds.ErrBadResponse, r)
		}
	}()
	feed, err = parser.Parse(bytes.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("not a feed: %w: %w", feeds.ErrBadResponse, err)
	}
	return feed, nil
}

// MaxDepth is how deeply the elements of a feed may nest.
const MaxDepth = 512

// checkDepth fails when the elements of doc (UTF-8) nest deeper than
// MaxDepth. It tokenizes as gofeed will, without building anything, and
// stops at the first syntax error, leaving that for the parser to report.
func checkDepth(doc []byte) error {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	depth := 0
	for {
		tok, err := d.RawToken()
		if err != nil {
			return nil
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth++; depth > MaxDepth {
				return fmt.Errorf("elements nested more than %d deep", MaxDepth)
			}
		case xml.EndElement:
			depth--
		}
	}
}

// toUTF8 decodes body to UTF-8 by the first charset that applies, as RFC
// 7303 orders them: a byte order mark, the Content-Type charset, the XML
// declaration's encoding. An unknown charset, or one that says UTF-8 over
// bytes that are not, gives way to the next one; bytes that are not UTF-8
// with no usable charset are read as Windows-1252 (a superset of ISO-8859-1,
// as browsers read both). The XML declaration of the result says UTF-8.
func toUTF8(body []byte, contentType string) ([]byte, error) {
	body, label := cutBOM(body)
	valid := utf8.Valid(body)
	for _, l := range []string{headerCharset(contentType), declaredCharset(body)} {
		if label == "" && usable(l, valid) {
			label = l
		}
	}
	if label == "" || isUTF8(label) {
		if valid {
			return declareUTF8(body), nil
		}
		label = "windows-1252"
	}
	enc, _ := charset.Lookup(label)
	if enc == nil {
		return nil, fmt.Errorf("unknown charset %q", label)
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return nil, fmt.Errorf("charset %s: %w", label, err)
	}
	return declareUTF8(out), nil
}

// cutBOM removes a UTF-8 or UTF-16 byte order mark and names its charset.
func cutBOM(b []byte) ([]byte, string) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return b[3:], "utf-8"
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return b[2:], "utf-16le"
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return b[2:], "utf-16be"
	}
	return b, ""
}

// headerCharset returns the charset parameter of a Content-Type, if any.
func headerCharset(contentType string) string {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(params["charset"])
}

// declRe matches the encoding of an XML declaration.
var declRe = regexp.MustCompile(`^[ \t\r\n]*<\?xml[ \t\r\n][^>]*?\bencoding[ \t\r\n]*=[ \t\r\n]*["']([^"']*)["']`)

// declHead is how much of a body is searched for the XML declaration.
const declHead = 512

func declaredCharset(b []byte) string {
	if m := declRe.FindSubmatch(b[:min(len(b), declHead)]); m != nil {
		return strings.TrimSpace(string(m[1]))
	}
	return ""
}

// declareUTF8 sets the encoding of b's XML declaration, if it has one, to
// UTF-8, so the XML parser reads b as it is.
func declareUTF8(b []byte) []byte {
	loc := declRe.FindSubmatchIndex(b[:min(len(b), declHead)])
	if loc == nil || strings.EqualFold(string(b[loc[2]:loc[3]]), "utf-8") {
		return b
	}
	return slices.Concat(b[:loc[2]], []byte("UTF-8"), b[loc[3]:])
}

// usable reports whether label names a charset body can be read in; valid
// tells whether body is valid UTF-8.
func usable(label string, valid bool) bool {
	if isUTF8(label) {
		return valid
	}
	enc, _ := charset.Lookup(label)
	return enc != nil
}

// isUTF8 reports whether label is one of the names of UTF-8.
func isUTF8(label string) bool {
	_, name := charset.Lookup(label)
	return name == "utf-8"
}
