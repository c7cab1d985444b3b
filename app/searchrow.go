package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"chancery/search"
)

// searchRow is one post found: when, which mission and account, who; then
// its snippet with the words found in bold.
type searchRow struct {
	widget.BaseWidget
	line    *widget.Label
	snippet *widget.RichText
	content fyne.CanvasObject
}

func (r *searchRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.content) }

func newSearchRow() fyne.CanvasObject {
	r := &searchRow{line: widget.NewLabel(""), snippet: widget.NewRichText()}
	r.line.Importance = widget.LowImportance
	r.line.Truncation = fyne.TextTruncateEllipsis
	r.snippet.Truncation = fyne.TextTruncateEllipsis
	r.content = container.NewVBox(r.line, r.snippet)
	r.ExtendBaseWidget(r)
	return r
}

func (u *ui) updateSearchRow(h search.Hit, r *searchRow) {
	loc := u.loc
	a, m := u.missionOf(h.Post.Account)
	who := h.Post.Author
	if who == "" {
		who = h.Post.AuthorHandle
	}
	handle := a.Handle
	if handle == "" {
		handle = h.Post.Account
	}
	r.line.SetText(loc.T("search.line", "Time", absoluteTime(loc, h.Post.CreatedAt.Local()),
		"Mission", m.Name(loc.Lang()), "Handle", handle, "Author", who))
	r.snippet.Segments = snippetSegments(h.Snippet)
	r.snippet.Refresh()
}

// snippetSegments renders a snippet on one line, the words found in bold.
func snippetSegments(spans []search.Span) []widget.RichTextSegment {
	segs := make([]widget.RichTextSegment, 0, len(spans))
	for _, sp := range spans {
		style := widget.RichTextStyleInline
		if sp.Match {
			style = widget.RichTextStyleStrong
		}
		segs = append(segs, &widget.TextSegment{Text: sp.Text, Style: style})
	}
	return segs
}
