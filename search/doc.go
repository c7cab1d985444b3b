// Package search keeps a full-text index of every cached post, beside the
// profile's database, and answers queries over it without the network. The
// index is derived data: it is built from the cache in the background,
// follows the cache as posts are stored and dropped, and is built again by
// itself when it is missing, damaged, left open by a crash or of an older
// format. It is the only package that imports the search engine (bleve).
package search

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"

	"chancery/feeds"
)

// entry is what the index holds about one post: the post and the timeline
// kinds of its account that hold it.
type entry struct {
	post  feeds.Post
	kinds []string
}

// docID is the id of a post's document: one per post of an account, whatever
// the timelines that hold it.
func docID(account, postID string) string { return account + "\x1f" + postID }

// baseLang reduces a language tag to its primary subtag, lower-cased:
// "en-GB" → "en", "zh-Hans" → "zh".
func baseLang(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return tag
}

// indexedText is the text a post is found by: its content warning, its text
// and the descriptions of its images.
func indexedText(p *feeds.Post) string {
	parts := make([]string, 0, 2+len(p.Media))
	if p.ContentWarning != "" {
		parts = append(parts, p.ContentWarning)
	}
	parts = append(parts, p.Text)
	for _, m := range p.Media {
		if m.Alt != "" {
			parts = append(parts, m.Alt)
		}
	}
	return strings.Join(parts, "\n")
}

// document renders an entry as the fields bleve indexes.
func (e *entry) document() (map[string]any, error) {
	raw, err := json.Marshal(e.post)
	if err != nil {
		return nil, err
	}
	p := &e.post
	text := indexedText(p)
	lang := baseLang(p.Lang)
	d := map[string]any{
		fieldText:    text,
		fieldAuthor:  strings.TrimSpace(p.Author + " " + p.AuthorHandle),
		fieldAccount: p.Account,
		fieldKind:    e.kinds,
		fieldLang:    lang,
		fieldCreated: p.CreatedAt.UTC(),
		fieldPost:    string(raw),
	}
	if _, ok := stemmed[lang]; ok {
		d[stemField(lang)] = text
	}
	return d, nil
}

// addKind records that a timeline of kind holds the entry.
func (e *entry) addKind(kind string) {
	if !slices.Contains(e.kinds, kind) {
		e.kinds = append(e.kinds, kind)
		slices.Sort(e.kinds)
	}
}

// dropKind records that a timeline of kind no longer holds the entry, and
// reports whether any still does.
func (e *entry) dropKind(kind string) bool {
	e.kinds = slices.DeleteFunc(e.kinds, func(k string) bool { return k == kind })
	return len(e.kinds) > 0
}

// loadEntry reads a post's entry back from the index, or nil if the index
// does not hold it.
func loadEntry(idx bleve.Index, id string) (*entry, error) {
	doc, err := idx.Document(id)
	if err != nil || doc == nil {
		return nil, err
	}
	return entryOf(doc)
}

// entryOf decodes the stored fields of a document.
func entryOf(doc index.Document) (*entry, error) {
	e := &entry{}
	var raw []byte
	doc.VisitFields(func(f index.Field) {
		switch f.Name() {
		case fieldPost:
			raw = f.Value()
		case fieldKind:
			e.kinds = append(e.kinds, string(f.Value()))
		}
	})
	if err := json.Unmarshal(raw, &e.post); err != nil {
		return nil, err
	}
	slices.Sort(e.kinds)
	return e, nil
}
