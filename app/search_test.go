package app

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"chancery/feeds"
	"chancery/search"
)

// fakeSearch answers searches from a fixed list of hits once released, and
// reports a build in progress until then (the package never imports
// storage; search's own tests cover the index).
type fakeSearch struct {
	mu       sync.Mutex
	started  bool
	queries  []search.Request
	hits     []search.Hit
	err      error
	release  chan struct{}
	progress []func(search.Progress)
}

func (f *fakeSearch) Start() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.started = true
}

func (f *fakeSearch) OnProgress(fn func(search.Progress)) func() {
	f.mu.Lock()
	f.progress = append(f.progress, fn)
	f.mu.Unlock()
	go fn(search.Progress{Building: true, Done: 1000, Total: 5000})
	return func() {}
}

func (f *fakeSearch) Search(ctx context.Context, r search.Request) (search.Result, error) {
	f.mu.Lock()
	f.queries = append(f.queries, r)
	f.mu.Unlock()
	select {
	case <-f.release:
	case <-ctx.Done():
		return search.Result{}, ctx.Err()
	}
	return search.Result{Hits: f.hits, Total: len(f.hits)}, f.err
}

func (f *fakeSearch) queryCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.queries)
}

func TestSearchWindowFindsAndOpensPosts(t *testing.T) {
	f := newFixture(t)
	idx := &fakeSearch{release: make(chan struct{}), hits: []search.Hit{{
		Post: feeds.Post{
			ID: "p9", Account: "beijing-demo", Author: "Consular section", Text: "警惕签证诈骗：大使馆从不通过电话收费。",
			Lang: "zh-Hans", CreatedAt: testNow.Add(-time.Hour), URL: "https://example.org/p9",
		},
		Kinds:   []string{"home"},
		Snippet: []search.Span{{Text: "警惕"}, {Text: "签证", Match: true}, {Text: "诈骗：大使馆从不通过电话收费。"}},
	}}}
	f.params.Search = idx
	u := f.start(t)

	u.window.Canvas().(fyne.Shortcutable).TypedShortcut(searchShortcut)
	s := u.searching
	if s == nil {
		t.Fatal("Ctrl+F opened no search window")
	}
	if !idx.started {
		t.Error("the index was not started")
	}
	if s.win.Canvas().Focused() != s.entry {
		t.Error("the search entry is not focused")
	}
	eventually(t, "build progress", func() bool { return strings.Contains(s.status.Text, "1,000 of 5,000") })

	test.Type(s.entry, "签证")
	s.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	// The search runs on its own goroutine: the window is not held while
	// the index answers.
	eventually(t, "the query", func() bool { return idx.queryCount() == 1 })
	if len(s.hits) != 0 {
		t.Fatal("hits shown before the index answered")
	}
	close(idx.release)
	eventually(t, "the hits", func() bool { return len(s.hits) == 1 })
	if !strings.Contains(s.status.Text, "1 post matches") {
		t.Errorf("status %q", s.status.Text)
	}

	row := newSearchRow().(*searchRow)
	u.updateSearchRow(s.hits[0], row)
	for _, want := range []string{"Beijing", "Consular section", "@beijing@demo"} {
		if !strings.Contains(row.line.Text, want) {
			t.Errorf("row line %q lacks %q", row.line.Text, want)
		}
	}
	var bold []string
	for _, seg := range row.snippet.Segments {
		if ts := seg.(*widget.TextSegment); ts.Style.TextStyle.Bold {
			bold = append(bold, ts.Text)
		}
	}
	if strings.Join(bold, ",") != "签证" {
		t.Errorf("bold words %v", bold)
	}

	s.list.Select(0)
	eventually(t, "the post's details", func() bool {
		top := u.window.Canvas().Overlays().Top()
		return top != nil && contains(top, "Consular section")
	})

	// Ctrl+F again brings the same window forward; Escape closes it.
	u.window.Canvas().(fyne.Shortcutable).TypedShortcut(searchShortcut)
	if u.searching != s {
		t.Error("a second search window was opened")
	}
	s.win.Canvas().(interface{ OnTypedKey() func(*fyne.KeyEvent) }).OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if u.searching != nil {
		t.Error("Escape did not close the search window")
	}
}

func TestSearchWindowSaysWhatIsWrong(t *testing.T) {
	f := newFixture(t)
	idx := &fakeSearch{release: make(chan struct{}), err: search.ErrUnclosedQuote}
	close(idx.release)
	f.params.Search = idx
	u := f.start(t)
	u.showSearch()
	s := u.searching
	test.Type(s.entry, `"visa`)
	s.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	eventually(t, "the message", func() bool { return strings.Contains(s.status.Text, "quotation mark is not closed") })
}
