package app

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/search"
)

// SearchIndex is the full-text index of the cached posts.
type SearchIndex interface {
	// Start opens or builds the index in the background.
	Start()
	// OnProgress calls fn, on the index's goroutine, as the build goes.
	OnProgress(fn func(search.Progress)) (cancel func())
	// Search waits for the index, then finds posts, newest first.
	Search(ctx context.Context, r search.Request) (search.Result, error)
}

var searchShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}

// searchShown is how many hits the search window lists.
const searchShown = 100

// searchPanel is the search window while it is open.
type searchPanel struct {
	win    fyne.Window
	entry  *widget.Entry
	status *widget.Label
	list   *widget.List
	hits   []search.Hit
	// progress is the latest state of the index; building tells the
	// status line to show it rather than the hint or the counts.
	progress search.Progress
	// cancel stops the search running, if any; seq numbers the searches
	// so that only the last one's answer is shown.
	cancel       context.CancelFunc
	seq          int
	stopProgress func()
}

// showSearch opens the search window, or brings it forward with its entry
// focused.
func (u *ui) showSearch() {
	if u.p.Search == nil {
		return
	}
	if s := u.searching; s != nil {
		s.win.RequestFocus()
		s.win.Canvas().Focus(s.entry)
		return
	}
	loc := u.loc
	s := &searchPanel{entry: widget.NewEntry(), status: widget.NewLabel(loc.T("search.hint"))}
	u.searching = s
	s.win = u.app.NewWindow(loc.T("search.title"))
	s.entry.SetPlaceHolder(loc.T("search.placeholder"))
	s.entry.OnSubmitted = func(q string) { u.runSearch(s, q) }
	s.status.Wrapping = fyne.TextWrapWord
	s.status.Importance = widget.LowImportance
	s.list = widget.NewList(func() int { return len(s.hits) }, newSearchRow, func(id widget.ListItemID, o fyne.CanvasObject) {
		if id < len(s.hits) {
			u.updateSearchRow(s.hits[id], o.(*searchRow))
		}
	})
	s.list.OnSelected = func(id widget.ListItemID) {
		s.list.UnselectAll()
		if id < len(s.hits) {
			u.openHit(s.hits[id])
		}
	}
	s.win.SetContent(container.NewBorder(container.NewVBox(s.entry, s.status), nil, nil, nil, s.list))
	s.win.Resize(fyne.NewSize(720, 560))
	s.win.SetOnClosed(func() {
		if s.cancel != nil {
			s.cancel()
		}
		s.stopProgress()
		u.searching = nil
	})
	s.win.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			s.win.Close()
		}
	})
	s.stopProgress = u.p.Search.OnProgress(func(p search.Progress) {
		uiDo(func() { u.searchProgress(s, p) })
	})
	u.p.Search.Start()
	s.win.Show()
	s.win.Canvas().Focus(s.entry)
}

// searchProgress shows how far the index is built.
func (u *ui) searchProgress(s *searchPanel, p search.Progress) {
	building := s.progress.Building
	s.progress = p
	switch {
	case p.Err != nil:
		s.status.SetText(u.loc.T("search.failed", "Reason", u.loc.Error(p.Err)))
	case p.Building:
		s.status.SetText(u.loc.T("search.progress", "Done", u.loc.Integer(p.Done), "Total", u.loc.Integer(p.Total)))
	case building && p.Ready:
		s.status.SetText(u.loc.T("search.hint"))
	}
}

// runSearch looks for q off the UI goroutine and shows what it finds.
func (u *ui) runSearch(s *searchPanel, q string) {
	if strings.TrimSpace(q) == "" {
		return
	}
	if s.cancel != nil {
		s.cancel()
	}
	s.seq++
	seq := s.seq
	ctx, cancel := context.WithCancel(u.ctx)
	s.cancel = cancel
	idx := u.p.Search
	go func() {
		res, err := idx.Search(ctx, search.Request{Query: q, Limit: searchShown})
		uiDo(func() {
			if seq != s.seq || u.searching != s {
				return // a newer search, or the window closed
			}
			u.showHits(s, res, err)
		})
	}()
}

// showHits lists the posts found, or says why there are none.
func (u *ui) showHits(s *searchPanel, res search.Result, err error) {
	loc := u.loc
	switch {
	case err != nil:
		s.hits = nil
		s.status.SetText(loc.Error(err))
	case len(res.Hits) == 0:
		s.hits = nil
		s.status.SetText(loc.T("search.none_ui"))
	default:
		s.hits = res.Hits
		s.status.SetText(loc.N("search.found", res.Total, "Shown", loc.Integer(len(res.Hits))))
	}
	s.list.Refresh()
	s.list.ScrollToTop()
}

// missionOf finds the mission of an account shown in the window.
func (u *ui) missionOf(accountID string) (accounts.Account, accounts.Mission) {
	a, _ := u.accountOf(accountID)
	for _, m := range u.missions {
		if m.ID == a.Mission {
			return a, m
		}
	}
	return a, accounts.Mission{}
}

// openHit shows the post found in the post's details.
func (u *ui) openHit(h search.Hit) {
	_, m := u.missionOf(h.Post.Account)
	u.showPost(h.Post, m)
}
