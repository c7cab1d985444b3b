package search

import (
	"strings"
	"testing"
)

func TestSnippetCutsAroundTheFirstMatchAtAWord(t *testing.T) {
	text := strings.Repeat("Kryptowährung ", 30) + "Visa-Anträge\nnur online. " + strings.Repeat("Ende ", 60)
	at := strings.Index(text, "Visa")
	spans := snippet(text, []byteRange{{at, at + len("Visa")}})
	if len(spans) != 3 || !strings.HasPrefix(spans[0].Text, "…") {
		t.Fatalf("spans %+v", spans)
	}
	first := strings.TrimPrefix(spans[0].Text, "…")
	if !strings.HasPrefix(first, "Kryptowährung ") {
		t.Errorf("snippet starts inside a word: %q", first)
	}
	var marked []string
	var all strings.Builder
	for _, s := range spans {
		all.WriteString(s.Text)
		if s.Match {
			marked = append(marked, s.Text)
		}
	}
	if strings.Join(marked, ",") != "Visa" {
		t.Errorf("marked %v", marked)
	}
	if strings.Contains(all.String(), "\n") || !strings.HasSuffix(all.String(), "…") {
		t.Errorf("snippet %q", all.String())
	}
	if n := len([]rune(all.String())); n > snippetRunes+2 {
		t.Errorf("snippet of %d runes", n)
	}
}

func TestSnippetOfShortTextIsWhole(t *testing.T) {
	spans := snippet("Visa fraud", []byteRange{{0, 4}, {5, 10}})
	if len(spans) != 3 || !spans[0].Match || spans[1].Text != " " || !spans[2].Match {
		t.Fatalf("spans %+v", spans)
	}
}
