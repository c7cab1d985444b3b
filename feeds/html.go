package feeds

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// HTMLToText turns the HTML of a post or feed summary into plain text that
// is safe to show: markup is dropped, scripts and styles with their content,
// paragraphs and line breaks become newlines, and a link becomes its full
// http(s) address (or its text for mentions and hashtags, which read "@…"
// and "#…"). Nothing of the input is ever interpreted as markup again.
func HTMLToText(src string) string {
	var b textBuilder
	z := html.NewTokenizer(strings.NewReader(src))
	skip := 0        // depth inside elements whose content is never shown
	var link *anchor // the <a> being read, if any
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if skip > 0 {
				continue
			}
			if link != nil {
				link.text.Write(z.Text())
				continue
			}
			b.text(string(z.Text()))
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			if hidden(a) {
				if tt == html.StartTagToken {
					skip++
				}
				continue
			}
			if skip > 0 {
				continue
			}
			switch {
			case a == atom.A && tt == html.StartTagToken:
				link = &anchor{href: attr(z, hasAttr, "href")}
			case a == atom.Br:
				b.newline(1)
			case block(a):
				b.newline(2)
			case a == atom.Li:
				b.newline(1)
				b.text("• ")
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if hidden(a) {
				skip = max(skip-1, 0)
				continue
			}
			if skip > 0 {
				continue
			}
			switch {
			case a == atom.A && link != nil:
				b.text(link.render())
				link = nil
			case block(a):
				b.newline(2)
			}
		}
	}
}

type anchor struct {
	href string
	text strings.Builder
}

// render shows a mention or hashtag as its text, any other link as its full
// web address, and the text alone when the address is not http(s).
func (a *anchor) render() string {
	text := strings.TrimSpace(strings.Join(strings.Fields(a.text.String()), " "))
	if strings.HasPrefix(text, "@") || strings.HasPrefix(text, "#") {
		return text
	}
	if u, ok := SafeLink(a.href); ok {
		return u.String()
	}
	return text
}

func attr(z *html.Tokenizer, more bool, name string) string {
	for more {
		var k, v []byte
		k, v, more = z.TagAttr()
		if string(k) == name {
			return string(v)
		}
	}
	return ""
}

func hidden(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Template, atom.Iframe, atom.Object, atom.Embed,
		atom.Svg, atom.Math, atom.Head, atom.Title, atom.Noscript, atom.Select, atom.Textarea:
		return true
	}
	return false
}

func block(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Blockquote, atom.Pre, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Ul, atom.Ol, atom.Table, atom.Tr, atom.Section, atom.Article, atom.Header, atom.Footer, atom.Figure, atom.Hr:
		return true
	}
	return false
}

// textBuilder collapses white space as HTML does and keeps explicit line
// breaks, at most one blank line in a row.
type textBuilder struct {
	sb       strings.Builder
	newlines int  // newlines at the end of sb
	space    bool // a space is pending before the next text
}

func (t *textBuilder) text(s string) {
	if s == "" {
		return
	}
	if first, _ := utf8.DecodeRuneInString(s); isSpace(first) {
		t.space = true
	}
	for i, f := range strings.FieldsFunc(s, isSpace) {
		if (i > 0 || t.space) && t.sb.Len() > 0 && t.newlines == 0 {
			t.sb.WriteByte(' ')
		}
		t.sb.WriteString(f)
		t.newlines, t.space = 0, false
	}
	if last, _ := utf8.DecodeLastRuneInString(s); isSpace(last) {
		t.space = true
	}
}

func (t *textBuilder) newline(n int) {
	if t.sb.Len() == 0 {
		return
	}
	for t.newlines < n {
		t.sb.WriteByte('\n')
		t.newlines++
	}
	t.space = false
}

func (t *textBuilder) String() string { return strings.TrimSpace(t.sb.String()) }

func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\u00a0'
}
