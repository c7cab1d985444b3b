package rss

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"

	"chancery/feeds"
)

// latin1 is "Communiqué: café" in ISO-8859-1; cp1252 is “Quoted” it’s 5 €
// in Windows-1252.
const (
	latin1 = "Communiqu\xe9: caf\xe9"
	cp1252 = "\x93Quoted\x94 it\x92s 5 \x80"
)

func feedIn(decl, title string) string {
	return decl + `<rss version="2.0"><channel><title>` + title +
		`</title><item><guid>https://x.example/1</guid><title>` + title + `</title></item></channel></rss>`
}

func TestCharsets(t *testing.T) {
	tests := []struct {
		name, body, contentType, want string
	}{
		{"latin-1 in the prolog", feedIn(`<?xml version="1.0" encoding="ISO-8859-1"?>`, latin1), "application/rss+xml", "Communiqué: café"},
		{"windows-1252 in the prolog", feedIn(`<?xml version='1.0' encoding='windows-1252'?>`, cp1252), "text/xml", "“Quoted” it’s 5 €"},
		{"windows-1252 in Content-Type", feedIn(`<?xml version="1.0"?>`, cp1252), "application/rss+xml; charset=windows-1252", "“Quoted” it’s 5 €"},
		{"latin-1 in Content-Type, no prolog", feedIn(``, latin1), "text/xml; charset=ISO-8859-1", "Communiqué: café"},
		{"Content-Type wins over the prolog", feedIn(`<?xml version="1.0" encoding="ISO-8859-1"?>`, "caf\xc3\xa9"), "text/xml; charset=utf-8", "café"},
		{"false utf-8 header gives way to the prolog", feedIn(`<?xml version="1.0" encoding="ISO-8859-1"?>`, latin1), "text/xml; charset=UTF-8", "Communiqué: café"},
		{"unknown header charset gives way", feedIn(`<?xml version="1.0" encoding="iso-8859-1"?>`, latin1), "text/xml; charset=x-martian", "Communiqué: café"},
		{"undeclared non-utf-8 read as windows-1252", feedIn(``, cp1252), "application/xml", "“Quoted” it’s 5 €"},
		{"utf-8 with a byte order mark", "\xef\xbb\xbf" + feedIn(`<?xml version="1.0" encoding="utf-8"?>`, "café"), "", "café"},
		{"plain utf-8", feedIn(`<?xml version="1.0" encoding="UTF-8"?>`, "日本語 café"), "", "日本語 café"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := serve(t, static(tt.body, tt.contentType))
			posts := newFixture().fetch(t, s.URL)
			if len(posts) != 1 {
				t.Fatalf("posts = %+v", posts)
			}
			if posts[0].Text != tt.want || posts[0].Author != tt.want {
				t.Errorf("text, author = %q, %q; want %q", posts[0].Text, posts[0].Author, tt.want)
			}
			title, err := Probe(t.Context(), nil, s.URL)
			if err != nil || title != tt.want {
				t.Errorf("Probe = %q, %v; want %q", title, err, tt.want)
			}
		})
	}
}

func TestUTF16WithByteOrderMark(t *testing.T) {
	doc := feedIn(`<?xml version="1.0" encoding="UTF-16"?>`, "Ambassade à Pékin")
	for _, order := range []unicode.Endianness{unicode.LittleEndian, unicode.BigEndian} {
		enc := unicode.UTF16(order, unicode.UseBOM).NewEncoder()
		body, err := enc.Bytes([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		feed, err := parseFeed(body, "")
		if err != nil || feed.Title != "Ambassade à Pékin" {
			t.Errorf("endianness %v: %v, %v", order, feed, err)
		}
	}
}

func TestDeclarationRewrite(t *testing.T) {
	tests := map[string]string{
		`<?xml version="1.0" encoding="ISO-8859-1"?><rss/>`:   `<?xml version="1.0" encoding="UTF-8"?><rss/>`,
		"\n <?xml version='1.0' encoding = 'cp1252' ?><rss/>": "\n <?xml version='1.0' encoding = 'UTF-8' ?><rss/>",
		`<?xml version="1.0" encoding="utf-8"?><rss/>`:        `<?xml version="1.0" encoding="utf-8"?><rss/>`,
		`<?xml version="1.0"?><rss encoding="latin1"/>`:       `<?xml version="1.0"?><rss encoding="latin1"/>`,
		`<rss><title>encoding="x"</title></rss>`:              `<rss><title>encoding="x"</title></rss>`,
	}
	for in, want := range tests {
		if got := string(declareUTF8([]byte(in))); got != want {
			t.Errorf("declareUTF8(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNotAFeedWhateverTheCharset(t *testing.T) {
	_, err := parseFeed([]byte(strings.Repeat("\x93", 100)), "text/plain; charset=windows-1252")
	wantErr(t, err, feeds.ErrBadResponse)
}
