package app

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/feeds"
)

// column shows one mission: its header, its accounts and a span of its
// merged timeline (see span.go).
type column struct {
	ui      *ui
	mission accounts.Mission
	accts   []accounts.Account
	ctx     context.Context
	cancel  context.CancelFunc

	view      feeds.Kind // "" for the accounts' main timelines
	choices   []viewChoice
	viewLabel *widget.Label
	span                        // the posts shown, newest first
	want      pending           // span work waiting for the running one
	busy      bool              // span work is running
	gen       int               // counts resets: work from before one is dropped
	loaded    bool              // the cache was read once
	cursors   map[string]string // timeline -> network cursor of its next older page
	newCount  int
	newButton *widget.Button
	refreshed time.Time
	running   map[string]bool          // account id -> refresh in flight
	answered  int                      // accounts done since running was last empty
	failures  map[string]error         // account id -> last refresh error
	rowLabels map[string]*widget.Label // account id -> its row's text (health.go)
	// budgetLabels: account id -> its row's monthly cost line (xbudget.go)
	budgetLabels map[string]*widget.Label
	problemOf    string // what showProblems last showed

	title      *widget.Label
	clock      *widget.Label
	status     *widget.Label
	progress   *refreshBar
	accountsC  *fyne.Container
	toggle     *widget.Button // folds and unfolds accountsC (see header.go)
	problems   *fyne.Container
	empty      *widget.Label
	list       *postList
	stride     float32 // a row's height and the space after it
	probe      *paintProbe
	paintNoted bool // the first cached posts' paint is noted (see notePaint)
	root       fyne.CanvasObject
}

func newColumn(u *ui, m accounts.Mission, accts []accounts.Account, view feeds.Kind) *column {
	ctx, cancel := context.WithCancel(u.ctx)
	c := &column{
		ui: u, mission: m, accts: accts, ctx: ctx, cancel: cancel, view: view,
		running: map[string]bool{}, failures: map[string]error{}, cursors: map[string]string{},
		probe: newPaintProbe(),
	}
	c.build()
	return c
}

func (c *column) build() {
	loc := c.ui.loc
	c.title = widget.NewLabelWithStyle(c.mission.Name(loc.Lang()), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	c.title.Truncation = fyne.TextTruncateEllipsis
	c.clock = widget.NewLabel("")
	c.clock.Importance = widget.LowImportance
	c.status = widget.NewLabel("")
	c.status.Importance = widget.LowImportance
	c.status.Truncation = fyne.TextTruncateEllipsis
	c.progress = newRefreshBar()
	c.accountsC = container.NewVBox()
	c.problems = container.NewVBox()
	c.empty = widget.NewLabel(loc.T("column.empty"))
	c.empty.Wrapping = fyne.TextWrapWord
	c.empty.Hide()
	c.list = newPostList(func() int { return len(c.posts) }, c.updateRow, c.showRow)
	c.list.onKey = c.postKey
	c.stride = newPostRow().rowHeight() + c.list.Theme().Size(theme.SizeNamePadding)
	c.list.stride = c.stride
	c.list.OnSelected = func(id int) {
		c.list.UnselectAll()
		if id < len(c.posts) {
			c.ui.showPost(c.posts[id].Post, c.mission)
		}
	}
	viewSel := c.buildViewSelect()
	viewSel.Hidden = len(c.choices) < 2 // nothing to choose
	c.viewLabel = widget.NewLabel(c.viewTitle())
	c.viewLabel.Truncation = fyne.TextTruncateEllipsis
	c.toggle = c.accountsToggle()
	header := container.NewVBox(
		c.titleRow(),
		// The paint probe is beside the status, which is always shown (the
		// clock hides in a narrow column).
		container.NewBorder(nil, nil, nil, container.NewHBox(c.ui.reviewBadge(c.mission), c.ui.reachBadge(c.mission), c.probe.raster), c.status), c.progress,
		container.NewBorder(nil, nil, viewSel, c.toggle, c.viewLabel), c.accountsC, c.problems,
	)
	c.newButton = c.newPostsButton()
	header.Add(c.newButton)
	body := container.NewStack(c.list, container.NewVBox(c.empty))
	// The header comes first, so that Tab goes from it to the posts.
	older := c.olderButton()
	c.root = container.New(layout.NewBorderLayout(header, older, nil, nil), header, body, older)
	c.showAccounts()
	c.tick()
}

// tick updates the time-dependent text: the mission's clock, the last
// refresh and the posts' relative times.
func (c *column) tick() {
	c.showStatus()
	c.list.refreshRows()
}

// showStatus shows the mission's clock and when the column was refreshed.
func (c *column) showStatus() {
	loc := c.ui.loc
	now := c.ui.now()
	setText(c.clock, loc.T("column.local_time", "Time", now.In(c.mission.Location()).Format("15:04")))
	// While a refresh runs, the refresh bar says so and the last refresh
	// time stays in view, after the worst of the accounts (health.go).
	c.showStatusLine()
}

// updateRow shows post id in row o, and asks for the next page when the
// reader comes near either end of the span.
func (c *column) updateRow(id int, r *postRow) {
	if id >= len(c.posts) {
		return
	}
	c.showRow(id, r)
	c.nearEdge(id)
}

// showRow shows post id in row r.
func (c *column) showRow(id int, r *postRow) {
	if id >= len(c.posts) {
		return
	}
	trace.timed("list-row", func() {
		r.set(c.posts[id], c.ui.loc, c.ui.now(), c.list.focused && id == c.list.focus, c.list.Size().Width)
	})
}

func (c *column) showAccounts() {
	loc := c.ui.loc
	c.accountsC.RemoveAll()
	for _, a := range c.accts {
		c.accountsC.Add(c.accountRow(a))
	}
	if len(c.accts) == 0 {
		none := widget.NewLabel(loc.T("column.no_accounts"))
		none.Wrapping = fyne.TextWrapWord
		c.accountsC.Add(none)
	}
	add := widget.NewButtonWithIcon(loc.T("account.add_short"), theme.ContentAddIcon(), func() { c.ui.showAddAccount(c.mission, nil) })
	add.Importance = widget.LowImportance
	c.accountsC.Add(container.NewHBox(add))
	c.showAccountsToggle()
}

// accountMenu offers what can be done with an account, below anchor.
func (c *column) accountMenu(a accounts.Account, anchor fyne.CanvasObject) {
	canvas := c.ui.window.Canvas()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(anchor).Add(fyne.NewPos(0, anchor.Size().Height))
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", c.accountMenuItems(a)...), canvas, pos)
}

// accountMenuItems are: move the account to another mission, or remove it.
func (c *column) accountMenuItems(a accounts.Account) []*fyne.MenuItem {
	loc := c.ui.loc
	var items []*fyne.MenuItem
	for _, m := range c.ui.missions {
		if m.ID == a.Mission {
			continue
		}
		items = append(items, fyne.NewMenuItem(loc.T("account.move_to", "Mission", m.Name(loc.Lang())), func() {
			go func() {
				err := c.ui.p.Admin.MoveAccount(a.ID, m.ID)
				uiDo(func() {
					if err != nil {
						c.ui.showFailure("dialog.failed_move_account", err)
						return
					}
					c.ui.build()
				})
			}()
		}))
	}
	items = append(items, c.budgetMenuItems(a)...) // X: its monthly budget (xbudgetdialog.go)
	return append(items, fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(loc.T("account.remove"), func() { c.ui.confirmRemoveAccount(a) }))
}

// onRefresh applies a refresh event of one of this column's accounts:
// what arrived is merged into the span, off the UI goroutine.
func (c *column) onRefresh(e feeds.Event) {
	id := e.Result.Key.Account
	switch e.Phase {
	case feeds.Started:
		if len(c.running) == 0 {
			c.answered = 0
		}
		c.running[id] = true
	case feeds.Finished:
		trace.event("refresh-finished", "timeline", e.Result.Key, "added", e.Result.Added, "failed", e.Result.Err != nil)
		if c.running[id] {
			delete(c.running, id)
			c.answered++
		}
		// Being offline is said once, by the window's banner, not per column.
		if err := e.Result.Err; reportable(err) {
			c.failures[id] = err
		} else {
			delete(c.failures, id)
		}
		c.noteHealth(id, e.Result.Err, e.Result.At)
		if e.Result.Err == nil {
			if e.Result.At.After(c.refreshed) {
				c.refreshed = e.Result.At
			}
			c.merge(e.Result.Key, e.Result.Added)
		}
	}
	if len(c.running) > 0 {
		c.progress.set(c.answered, c.answered+len(c.running))
	} else {
		c.progress.set(0, 0)
	}
	c.showProblems()
	c.showAccountsToggle()
	c.showStatus()
}

// showProblems lists inline what went wrong, each with a Retry action. It
// rebuilds the list only when what it says changed.
func (c *column) showProblems() {
	loc := c.ui.loc
	var said []string
	for _, a := range c.accts {
		if err, ok := c.failures[a.ID]; ok {
			said = append(said, loc.T("column.refresh_failed", "Handle", a.Handle, "Reason", loc.Error(err)))
		}
	}
	if err, ok := c.failures[""]; ok {
		said = append(said, loc.T("column.cache_failed", "Reason", loc.Error(err)))
	}
	if key := strings.Join(said, "\n"); key == c.problemOf {
		return
	} else {
		c.problemOf = key
	}
	c.problems.RemoveAll()
	for i, text := range said {
		msg := widget.NewLabel(text)
		msg.Wrapping = fyne.TextWrapWord
		msg.Importance = widget.DangerImportance
		retry := widget.NewButton(loc.T("action.retry"), func() { c.ui.refreshTargets(c.targets(), true) })
		if _, cache := c.failures[""]; cache && i == len(said)-1 {
			retry.OnTapped = c.reload
		}
		c.problems.Add(container.NewBorder(nil, nil, nil, retry, msg))
	}
}

func (c *column) close() { c.cancel() }

// updatePost shows p's new state if the column holds it.
func (c *column) updatePost(p feeds.Post) {
	i := place(c.posts, &p)
	if i >= len(c.posts) || c.posts[i].ID != p.ID || c.posts[i].Account != p.Account {
		return
	}
	posts := slices.Clone(c.posts) // a running read may hold the old slice
	posts[i] = newEntry(p)
	c.posts = posts
	c.list.refreshRow(i)
}

// openURL opens a link in the browser, http and https only.
func (u *ui) openURL(link *url.URL) {
	if _, ok := safeLink(link.String()); !ok {
		return
	}
	if err := u.p.OpenURL(link); err != nil {
		u.showFailure("dialog.failed_open_link", err)
	}
}
