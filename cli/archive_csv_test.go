package cli

import (
	"testing"

	"chancery/feeds"
)

func TestArchiveCSVCellsNeverRunAsFormulas(t *testing.T) {
	r := feeds.Record{
		Kind: feeds.RecordReceived, Text: `=HYPERLINK("http://127.0.0.1/x","visa")`,
		Author: "+1 555", AuthorHandle: "@someone", Warning: "-2+3", Account: "vienna-x",
	}
	row := recordRow(r)
	cols := recordColumns(feeds.RecordReceived)
	want := map[string]string{
		"text":            `'=HYPERLINK("http://127.0.0.1/x","visa")`,
		"author":          "'+1 555",
		"author_handle":   "'@someone",
		"content_warning": "'-2+3",
		"account":         "vienna-x",
	}
	for i, c := range cols {
		if w, ok := want[c]; ok && row[i] != w {
			t.Errorf("%s = %q, want %q", c, row[i], w)
		}
	}
}
