package app

import (
	"cmp"
	"context"
	"errors"
	"net/url"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/feeds"
)

// columnPosts is how many posts a column reads from the cache per account.
const columnPosts = 300

// column shows one mission: its header, its accounts and a merged timeline.
type column struct {
	ui      *ui
	mission accounts.Mission
	accts   []accounts.Account
	ctx     context.Context
	cancel  context.CancelFunc

	view      feeds.Kind // "" for the accounts' main timelines
	choices   []viewChoice
	viewLabel *widget.Label
	posts     []feeds.Post
	heights   []float32         // each post row's height at the current width
	limit     int               // posts read from the cache per timeline
	cursors   map[string]string // timeline -> cursor of its next older page
	newCount  int
	newButton *widget.Button
	refreshed time.Time
	running   map[string]bool  // account id -> refresh in flight
	failures  map[string]error // account id -> last refresh error
	loading   bool
	reloadDue bool

	title     *widget.Label
	clock     *widget.Label
	status    *widget.Label
	progress  *widget.ProgressBarInfinite
	accountsC *fyne.Container
	problems  *fyne.Container
	empty     *widget.Label
	list      *widget.List
	measure   *rowMeasurer
	width     float32
	root      fyne.CanvasObject
}

func newColumn(u *ui, m accounts.Mission, accts []accounts.Account, view feeds.Kind) *column {
	ctx, cancel := context.WithCancel(context.Background())
	c := &column{
		ui: u, mission: m, accts: accts, ctx: ctx, cancel: cancel, view: view,
		running: map[string]bool{}, failures: map[string]error{},
		limit: columnPosts, cursors: map[string]string{},
		measure: newRowMeasurer(),
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
	c.progress = widget.NewProgressBarInfinite()
	c.progress.Hide()
	c.accountsC = container.NewVBox()
	c.problems = container.NewVBox()
	c.empty = widget.NewLabel(loc.T("column.empty"))
	c.empty.Wrapping = fyne.TextWrapWord
	c.empty.Hide()
	c.list = widget.NewList(
		func() int { return len(c.posts) },
		func() fyne.CanvasObject { return newPostRow() },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(c.posts) {
				o.(*postRow).set(c.posts[id], loc, c.ui.now(), c.ui.openURL)
			}
		})
	c.list.OnSelected = func(id widget.ListItemID) {
		c.list.UnselectAll()
		if id < len(c.posts) {
			c.ui.showPost(c.posts[id], c.mission)
		}
	}
	viewSel := c.buildViewSelect()
	viewSel.Hidden = len(c.choices) < 2 // nothing to choose
	c.viewLabel = widget.NewLabel(c.viewTitle())
	c.viewLabel.Truncation = fyne.TextTruncateEllipsis
	header := container.NewVBox(
		container.NewBorder(nil, nil, nil, c.clock, c.title),
		c.status, c.progress, c.accountsC,
		container.NewBorder(nil, nil, viewSel, nil, c.viewLabel), c.problems,
	)
	c.newButton = c.newPostsButton()
	header.Add(c.newButton)
	body := container.NewStack(c.list, container.NewVBox(c.empty))
	c.root = container.NewBorder(header, c.olderButton(), nil, nil, newWidthWatcher(body, c.setWidth))
	c.showAccounts()
	c.tick()
}

// tick updates the time-dependent text: the mission's clock, the last
// refresh and the posts' relative times.
func (c *column) tick() {
	loc := c.ui.loc
	now := c.ui.now()
	c.clock.SetText(loc.T("column.local_time", "Time", now.In(c.mission.Location()).Format("15:04")))
	switch {
	case len(c.running) > 0:
		c.status.SetText(loc.T("column.refreshing"))
	case c.refreshed.IsZero():
		c.status.SetText(loc.T("column.never_refreshed"))
	case c.ui.p.Refresher.Offline():
		c.status.SetText(loc.T("column.offline_since", "When", relativeTime(loc, now, c.refreshed)))
	default:
		c.status.SetText(loc.T("column.refreshed", "When", relativeTime(loc, now, c.refreshed)))
	}
	c.list.Refresh()
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
			if err := c.ui.p.Admin.MoveAccount(a.ID, m.ID); err != nil {
				c.ui.showError(err)
				return
			}
			c.ui.build()
		}))
	}
	return append(items, fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(loc.T("account.remove"), func() { c.ui.confirmRemoveAccount(a) }))
}

// reload reads the column's timelines from the cache in the background.
// Bursts of calls while a read is running are coalesced into one more read.
func (c *column) reload() {
	if c.loading {
		c.reloadDue = true
		return
	}
	c.loading = true
	var keys []feeds.TimelineKey
	for _, t := range c.targets() {
		keys = append(keys, feeds.TimelineKey{Account: t.Account.ID, Kind: t.Kind})
	}
	limit := c.limit
	go func() {
		posts, refreshed, err := readColumn(c.ui.p.Timelines, keys, limit)
		uiDo(func() { c.applyLoad(posts, refreshed, err) })
	}()
}

func readColumn(t Timelines, keys []feeds.TimelineKey, limit int) ([]feeds.Post, time.Time, error) {
	var all []feeds.Post
	var newest time.Time
	for _, k := range keys {
		ps, err := t.Posts(k, limit)
		if err != nil {
			return nil, time.Time{}, err
		}
		all = append(all, ps...)
		at, err := t.LastRefreshed(k)
		if err != nil {
			return nil, time.Time{}, err
		}
		if at.After(newest) {
			newest = at
		}
	}
	slices.SortStableFunc(all, func(a, b feeds.Post) int {
		return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return all, newest, nil
}

func (c *column) applyLoad(posts []feeds.Post, refreshed time.Time, err error) {
	c.loading = false
	if c.ctx.Err() != nil {
		return
	}
	if err != nil {
		c.failures[""] = err
	} else {
		delete(c.failures, "")
		c.refreshed = refreshed
		c.replacePosts(posts)
	}
	c.showProblems()
	c.empty.Hidden = len(c.posts) > 0 || len(c.accts) == 0
	c.empty.Refresh()
	c.tick()
	if c.reloadDue {
		c.reloadDue = false
		c.reload()
	}
}

// onRefresh applies a refresh event of one of this column's accounts.
func (c *column) onRefresh(e feeds.Event) {
	id := e.Result.Key.Account
	switch e.Phase {
	case feeds.Started:
		c.running[id] = true
	case feeds.Finished:
		delete(c.running, id)
		// Being offline is said once, by the window's banner, not per column.
		if err := e.Result.Err; err != nil && !errors.Is(err, feeds.ErrOffline) && !errors.Is(err, context.Canceled) {
			c.failures[id] = err
		} else {
			delete(c.failures, id)
		}
		c.noteState(id, e.Result.Err)
		c.reload()
	}
	c.progress.Hidden = len(c.running) == 0
	if c.progress.Hidden {
		c.progress.Stop()
	} else {
		c.progress.Start()
	}
	c.progress.Refresh()
	c.showProblems()
	c.tick()
}

// noteState shows at once an account's new state after a refresh: "Sign in
// again" when its credentials were refused, nothing once it works again.
func (c *column) noteState(id string, err error) {
	state := accounts.StateOK
	switch {
	case errors.Is(err, feeds.ErrUnauthorized):
		state = accounts.StateNeedsSignIn
	case err != nil:
		return
	}
	for i := range c.accts {
		if c.accts[i].ID == id && c.accts[i].State != state {
			c.accts[i].State = state
			c.showAccounts()
		}
	}
}

// showProblems lists inline what went wrong, each with a Retry action.
func (c *column) showProblems() {
	loc := c.ui.loc
	c.problems.RemoveAll()
	for _, a := range c.accts {
		if err, ok := c.failures[a.ID]; ok {
			msg := widget.NewLabel(loc.T("column.refresh_failed", "Handle", a.Handle, "Reason", loc.Error(err)))
			msg.Wrapping = fyne.TextWrapWord
			msg.Importance = widget.DangerImportance
			retry := widget.NewButton(loc.T("action.retry"), func() { c.ui.refreshTargets(c.targets(), true) })
			c.problems.Add(container.NewBorder(nil, nil, nil, retry, msg))
		}
	}
	if err, ok := c.failures[""]; ok {
		msg := widget.NewLabel(loc.T("column.cache_failed", "Reason", loc.Error(err)))
		msg.Wrapping = fyne.TextWrapWord
		msg.Importance = widget.DangerImportance
		c.problems.Add(container.NewBorder(nil, nil, nil, widget.NewButton(loc.T("action.retry"), c.reload), msg))
	}
}

// setWidth is called when the column's width changes.
func (c *column) setWidth(w float32) {
	if w == c.width {
		return
	}
	c.width = w
	c.layoutHeights()
}

// layoutHeights gives each post row the height its wrapped text needs.
func (c *column) layoutHeights() {
	if c.width <= 0 {
		return
	}
	c.heights = make([]float32, len(c.posts))
	for i, p := range c.posts {
		c.heights[i] = c.measure.height(displayText(c.ui.loc, p), c.width)
		c.list.SetItemHeight(i, c.heights[i])
	}
}

func (c *column) close() { c.cancel() }

// openURL opens a link in the browser, http and https only.
func (u *ui) openURL(link *url.URL) {
	if _, ok := safeLink(link.String()); !ok {
		return
	}
	if err := u.p.OpenURL(link); err != nil {
		u.showError(err)
	}
}
