package search

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/de" // registers the German stemmer
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/nl" // registers the Dutch stemmer
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
)

// Field names of an indexed post.
const (
	fieldText    = "text"    // every post: folded, lower-cased, Han text in bigrams and single characters
	fieldAuthor  = "author"  // display name and handle, folded
	fieldAccount = "account" // account id, exact
	fieldKind    = "kind"    // timeline kinds that hold the post, exact
	fieldLang    = "lang"    // language tag, exact
	fieldCreated = "created" // creation time
	fieldPost    = "post"    // the post as JSON, stored only
)

// stemmed are the languages whose posts are also indexed in a field of
// their own with that language's stemmer, and the analyzer of that field.
var stemmed = map[string]string{
	"en": "chancery_en",
	"fr": "chancery_fr",
	"de": "chancery_de",
	"nl": "chancery_nl",
}

// Analyzer names: anyIndex analyses the text field when a post is indexed
// (Han characters alone and in pairs), anyQuery when a query is (a pair of
// Han characters as a pair, one alone as itself).
const (
	anyIndex  = "chancery_any"
	anyQuery  = "chancery_any_query"
	foldName  = "chancery_fold"
	bigramUni = "chancery_cjk_bigram_unigram"
)

func stemField(lang string) string { return fieldText + "_" + lang }

// foldFilter removes accents and folds letters to ASCII where they have an
// ASCII form (é→e, ä→a, ß→ss), token by token, so that the offsets of the
// tokens stay those of the original text (a character filter would move
// them).
type foldFilter struct {
	fold *asciifolding.AsciiFoldingFilter
}

func (f foldFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		if !isASCII(t.Term) {
			t.Term = f.fold.Filter(t.Term)
		}
	}
	return in
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

func init() {
	err := registry.RegisterTokenFilter(foldName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{fold: asciifolding.New()}, nil
	})
	if err != nil {
		panic(err)
	}
}

// analyzers are the custom analyzers of the index: their tokenizer and
// token filters, in order.
var analyzers = map[string][]string{
	anyIndex:      {cjk.WidthName, lowercase.Name, foldName, bigramUni},
	anyQuery:      {cjk.WidthName, lowercase.Name, foldName, cjk.BigramName},
	"chancery_en": {en.PossessiveName, lowercase.Name, foldName, porter.Name},
	"chancery_fr": {lowercase.Name, fr.ElisionName, foldName, fr.LightStemmerName},
	"chancery_de": {lowercase.Name, foldName, "stemmer_de_light"},
	"chancery_nl": {lowercase.Name, foldName, "stemmer_nl_snowball"},
}

// newMapping describes how posts are indexed.
func newMapping() (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	if err := im.AddCustomTokenFilter(bigramUni, map[string]any{"type": cjk.BigramName, "output_unigram": true}); err != nil {
		return nil, err
	}
	for name, filters := range analyzers {
		err := im.AddCustomAnalyzer(name, map[string]any{
			"type": custom.Name, "tokenizer": unicode.Name, "token_filters": filters,
		})
		if err != nil {
			return nil, err
		}
	}
	doc := mapping.NewDocumentStaticMapping()
	// Only the text field keeps positions: a quoted phrase is found in the
	// words as written (folded), not in their stems.
	doc.AddFieldMappingsAt(fieldText, textField(anyIndex, true))
	for lang, analyzer := range stemmed {
		doc.AddFieldMappingsAt(stemField(lang), textField(analyzer, false))
	}
	doc.AddFieldMappingsAt(fieldAuthor, textField(anyIndex, false))
	for _, name := range []string{fieldAccount, fieldKind, fieldLang} {
		f := mapping.NewKeywordFieldMapping()
		f.Store, f.IncludeInAll, f.IncludeTermVectors, f.DocValues = true, false, false, false
		doc.AddFieldMappingsAt(name, f)
	}
	created := mapping.NewDateTimeFieldMapping()
	created.IncludeInAll = false
	doc.AddFieldMappingsAt(fieldCreated, created)
	post := mapping.NewTextFieldMapping()
	post.Analyzer = keyword.Name
	post.Index, post.Store, post.IncludeInAll, post.IncludeTermVectors, post.DocValues = false, true, false, false, false
	doc.AddFieldMappingsAt(fieldPost, post)

	im.DefaultMapping = doc
	im.DefaultAnalyzer = anyIndex
	im.IndexDynamic, im.StoreDynamic, im.DocValuesDynamic = false, false, false
	return im, nil
}

func textField(analyzer string, positions bool) *mapping.FieldMapping {
	f := mapping.NewTextFieldMapping()
	f.Analyzer = analyzer
	// Term vectors keep the positions that phrase queries need.
	f.Store, f.IncludeInAll, f.IncludeTermVectors, f.DocValues = false, false, positions, false
	return f
}
