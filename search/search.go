package search

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"chancery/feeds"
)

// Request is one search.
type Request struct {
	// Query is what to look for: words (all of them must be there),
	// "quoted phrases", and -words or -"phrases" to leave out.
	Query string
	// Accounts, when not nil, limits the search to these accounts; an
	// empty, non-nil slice finds nothing.
	Accounts []string
	// Since, when set, leaves out posts written before it.
	Since time.Time
	// Limit is how many hits to return at most (default 50).
	Limit int
}

// Hit is one post found, newest first.
type Hit struct {
	Post feeds.Post
	// Kinds are the timelines of its account that hold it.
	Kinds []string
	// Snippet is a part of its text with the words found marked.
	Snippet []Span
}

// Result is the answer to a search.
type Result struct {
	Hits []Hit
	// Total is how many posts match, of which Hits are the newest.
	Total int
	Took  time.Duration
}

// Check reports whether query is well formed, without searching.
func (x *Index) Check(q string) error {
	terms, err := parseQuery(q)
	if err != nil {
		return err
	}
	_, err = x.compile(terms)
	return err
}

// Search waits until the index is ready, then finds the newest posts that
// match the request. A malformed query gives one of the query errors
// (ErrUnclosedQuote, ErrNoWords, …) at once, without waiting.
func (x *Index) Search(ctx context.Context, r Request) (Result, error) {
	start := time.Now()
	terms, err := parseQuery(r.Query)
	if err != nil {
		return Result{}, err
	}
	c, err := x.compile(terms)
	if err != nil {
		return Result{}, err
	}
	if r.Accounts != nil && len(r.Accounts) == 0 {
		return Result{Hits: []Hit{}}, nil
	}
	if err := x.Wait(ctx); err != nil {
		return Result{}, err
	}
	req := bleve.NewSearchRequestOptions(x.filtered(c.query, r), limitOf(r), 0, false)
	req.SortBy([]string{"-" + fieldCreated, "-_id"})
	req.Score = "none" // newest first: relevance is not computed

	x.life.RLock()
	defer x.life.RUnlock()
	if x.idx == nil {
		return Result{}, ErrClosed
	}
	res, err := x.idx.SearchInContext(ctx, req)
	if err != nil {
		return Result{}, fmt.Errorf("search %q: %w", r.Query, err)
	}
	out := Result{Hits: make([]Hit, 0, len(res.Hits)), Total: int(res.Total)}
	for _, h := range res.Hits {
		e, err := loadEntry(x.idx, h.ID)
		if err != nil || e == nil {
			continue // removed meanwhile
		}
		out.Hits = append(out.Hits, Hit{
			Post:    e.post,
			Kinds:   e.kinds,
			Snippet: snippet(e.post.Text, x.matches(e.post.Text, e.post.Lang, c.marks)),
		})
	}
	out.Took = time.Since(start)
	return out, nil
}

func limitOf(r Request) int {
	if r.Limit <= 0 {
		return 50
	}
	return min(r.Limit, 10000)
}

// filtered adds the request's account and time filters to q.
func (x *Index) filtered(q query.Query, r Request) query.Query {
	parts := []query.Query{q}
	if r.Accounts != nil {
		accts := make([]query.Query, 0, len(r.Accounts))
		for _, a := range slices.Compact(slices.Sorted(slices.Values(r.Accounts))) {
			t := bleve.NewTermQuery(a)
			t.SetField(fieldAccount)
			accts = append(accts, t)
		}
		parts = append(parts, bleve.NewDisjunctionQuery(accts...))
	}
	if !r.Since.IsZero() {
		inclusive := true
		d := bleve.NewDateRangeInclusiveQuery(r.Since.UTC(), time.Time{}, &inclusive, nil)
		d.SetField(fieldCreated)
		parts = append(parts, d)
	}
	if len(parts) == 1 {
		return q
	}
	return bleve.NewConjunctionQuery(parts...)
}
