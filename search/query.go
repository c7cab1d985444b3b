package search

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"

	"chancery/translations"
)

// Errors of a malformed query; each has its own message for users.
var (
	ErrEmptyQuery    = translations.NewProblem("search.error_empty", "empty search query")
	ErrUnclosedQuote = translations.NewProblem("search.error_unclosed_quote", "search query has an unclosed quote")
	ErrOnlyExcluded  = translations.NewProblem("search.error_only_excluded", "search query only excludes words")
	ErrNoWords       = translations.NewProblem("search.error_no_words", "search query has no word to look for")
	ErrQueryTooLong  = translations.NewProblem("search.error_too_long", "search query is too long")
)

// Limits of a query.
const (
	maxQueryBytes = 1000
	maxQueryTerms = 32
)

// term is one part of a query: a word or a quoted phrase, to find or (with
// a leading minus) to exclude.
type term struct {
	text    string
	phrase  bool
	exclude bool
}

// parseQuery splits a query into terms: words separated by spaces, phrases
// in double quotes ("visa fraud"), and either one preceded by - to exclude
// posts that contain it.
func parseQuery(s string) ([]term, error) {
	if len(s) > maxQueryBytes {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrQueryTooLong, len(s), maxQueryBytes)
	}
	s = strings.Map(func(r rune) rune {
		switch r {
		case '“', '”', '„', '«', '»':
			return '"'
		}
		return r
	}, s)
	var terms []term
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		t := term{}
		if r == '-' {
			t.exclude = true
			i += size
		}
		if i < len(s) && s[i] == '"' {
			end := strings.IndexByte(s[i+1:], '"')
			if end < 0 {
				return nil, fmt.Errorf("%w at byte %d", ErrUnclosedQuote, i)
			}
			t.text, t.phrase = strings.TrimSpace(s[i+1:i+1+end]), true
			i += end + 2
		} else {
			end := strings.IndexFunc(s[i:], unicode.IsSpace)
			if end < 0 {
				end = len(s) - i
			}
			t.text = s[i : i+end]
			i += end
		}
		if t.text != "" {
			terms = append(terms, t)
		}
	}
	if len(terms) > maxQueryTerms {
		return nil, fmt.Errorf("%w: %d words, at most %d", ErrQueryTooLong, len(terms), maxQueryTerms)
	}
	return terms, nil
}

// compiled is a query ready for bleve, and the terms that mark the words
// it found, per analyzer.
type compiled struct {
	query query.Query
	marks map[string]map[string]bool // analyzer name → analysed terms
}

// textFields are the fields a word is looked for in, each with the
// analyzer that turns a query word into its terms.
func textFields() map[string]string {
	f := map[string]string{fieldText: anyQuery}
	for lang, analyzer := range stemmed {
		f[stemField(lang)] = analyzer
	}
	return f
}

// compile turns the terms of a query into one bleve query.
func (x *Index) compile(terms []term) (compiled, error) {
	c := compiled{marks: map[string]map[string]bool{}}
	var must, mustNot []query.Query
	for _, t := range terms {
		q, ok := x.termQuery(t, &c)
		if !ok {
			if t.exclude {
				continue
			}
			return c, fmt.Errorf("%w: %q", ErrNoWords, t.text)
		}
		if t.exclude {
			mustNot = append(mustNot, q)
		} else {
			must = append(must, q)
		}
	}
	switch {
	case len(must) == 0 && len(mustNot) > 0:
		return c, ErrOnlyExcluded
	case len(must) == 0:
		return c, ErrEmptyQuery
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(must...)
	b.AddMustNot(mustNot...)
	c.query = b
	return c, nil
}

// termQuery finds one term in any text field: a post matches if the field
// of its language, or the folded text of every post, holds it.
func (x *Index) termQuery(t term, c *compiled) (query.Query, bool) {
	var alts []query.Query
	for field, analyzerName := range textFields() {
		tokens := x.mapping.AnalyzerNamed(analyzerName).Analyze([]byte(t.text))
		if len(tokens) == 0 {
			continue
		}
		if !t.exclude {
			marks := c.marks[analyzerName]
			if marks == nil {
				marks = map[string]bool{}
				c.marks[analyzerName] = marks
			}
			for _, tok := range tokens {
				marks[string(tok.Term)] = true
			}
		}
		if t.phrase && len(tokens) > 1 && field != fieldText {
			continue // phrases are matched on the words as written
		}
		alts = append(alts, fieldQuery(field, tokens, t.phrase))
	}
	if len(alts) == 0 {
		return nil, false
	}
	return bleve.NewDisjunctionQuery(alts...), true
}

// fieldQuery finds the tokens of one term in one field: as a phrase if it
// was quoted and has no Han characters, else all of them anywhere.
func fieldQuery(field string, tokens analysis.TokenStream, phrase bool) query.Query {
	if len(tokens) == 1 {
		q := bleve.NewTermQuery(string(tokens[0].Term))
		q.SetField(field)
		return q
	}
	terms := make([]string, len(tokens))
	han := false
	for i, tok := range tokens {
		terms[i] = string(tok.Term)
		han = han || tok.Type == analysis.Ideographic || tok.Type == analysis.Double || tok.Type == analysis.Single
	}
	if phrase && !han {
		return bleve.NewPhraseQuery(terms, field)
	}
	all := make([]query.Query, len(terms))
	for i, s := range terms {
		q := bleve.NewTermQuery(s)
		q.SetField(field)
		all[i] = q
	}
	return bleve.NewConjunctionQuery(all...)
}
