package app

import (
	"errors"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/team"
)

// reviewShortcut opens the Review view.
var reviewShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: fyne.KeyModifierShortcutDefault}

// reviewFilter is one of the lists the Review view offers.
type reviewFilter int

const (
	reviewWaiting   reviewFilter = iota // submitted by others: waiting for me
	reviewMine                          // submitted by me, waiting for an approver
	reviewReturned                      // returned to me
	reviewApproved                      // approved, or being published
	reviewPublished                     // published
	reviewFilters
)

var reviewFilterIDs = [reviewFilters]string{
	"reviewui.filter_waiting", "reviewui.filter_mine", "reviewui.filter_returned",
	"reviewui.filter_approved", "reviewui.filter_published",
}

// has tells whether the filter lists it, for the user login.
func (f reviewFilter) has(it team.Item, login string) bool {
	mine := it.Author == login
	switch f {
	case reviewWaiting:
		return it.State == team.StateSubmitted && !mine
	case reviewMine:
		return it.State == team.StateSubmitted && mine
	case reviewReturned:
		return it.State == team.StateReturned && mine
	case reviewApproved:
		return it.State == team.StateApproved || it.State == team.StateClaimed
	case reviewPublished:
		return it.State == team.StatePublished
	}
	return false
}

// reviewData is what one load of a Review window read.
type reviewData struct {
	mission string
	login   string
	items   []team.Item
	waiting int // this laptop's actions not yet sent
	refused int // this laptop's actions the server refused
	// orphans are refused actions on posts the list cannot show (a
	// refused first submission leaves no revision).
	orphans  []team.Queued
	required bool
	// approver is whether the login may approve in the mission, as the
	// server last said (true while it has not said: the server judges).
	approver bool
	err      error
}

// reviewPanel is one Review window: a mission's posts in review, one list
// at a time, and the selected post's diff, comments and actions.
type reviewPanel struct {
	u        *ui
	win      fyne.Window
	mission  accounts.Mission
	filter   reviewFilter
	data     reviewData
	shown    []team.Item
	selected string // the post shown on the right
	from, to int    // the revisions the diff compares
	loader   *latestRunner[string, reviewData]
	dialog   keyGuarded
	busy     bool // an action is being recorded

	missionSel *escSelect
	filterSel  *escSelect
	required   *escCheck
	status     *widget.Label
	connect    *fyne.Container // its button, while no team server is set up
	problem    *widget.Label
	orphans    *fyne.Container
	list       *reviewList
	detail     *fyne.Container
}

// showReview opens the Review window on a mission (the first for "").
func (u *ui) showReview(missionID string) {
	if u.review == nil || len(u.missions) == 0 {
		return
	}
	p := &reviewPanel{u: u, mission: u.missions[0], from: -1}
	for _, m := range u.missions {
		if m.ID == missionID {
			p.mission = m
		}
	}
	p.loader = newLatestRunner(p.read, p.show)
	p.win = u.app.NewWindow(u.loc.T("reviewui.title", "Mission", p.mission.Name(u.loc.Lang())))
	p.win.SetContent(p.build())
	p.win.Resize(fyne.NewSize(1100, 720))
	u.review.panels = append(u.review.panels, p)
	p.win.SetOnClosed(func() { u.forgetReviewPanel(p) })
	p.win.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			p.escape()
		}
	})
	p.win.Show()
	p.win.Canvas().Focus(p.list)
	p.load()
}

// escape closes the dialog over the window, if one is open, else the window.
func (p *reviewPanel) escape() {
	if p.dialog != nil {
		p.dialog.Dismiss()
		return
	}
	p.win.Close()
}

func (p *reviewPanel) build() fyne.CanvasObject {
	loc := p.u.loc
	names := make([]string, len(p.u.missions))
	for i, m := range p.u.missions {
		names[i] = m.Name(loc.Lang())
	}
	p.missionSel = newEscSelect(p.win, names, nil)
	p.missionSel.SetSelectedIndex(slices.IndexFunc(p.u.missions, func(m accounts.Mission) bool { return m.ID == p.mission.ID }))
	p.missionSel.OnChanged = func(string) { p.setMission(p.u.missions[p.missionSel.SelectedIndex()]) }
	p.filterSel = newEscSelect(p.win, p.filterLabels(), nil)
	p.filterSel.SetSelectedIndex(int(p.filter))
	p.filterSel.OnChanged = func(string) {
		p.filter = reviewFilter(max(p.filterSel.SelectedIndex(), 0))
		p.showList()
	}
	p.required = newEscCheck(p.win, loc.T("reviewui.required"), nil)
	p.required.Disable()
	sync := newEnterButton(p.win, loc.T("reviewui.sync"), theme.ViewRefreshIcon(), p.u.syncReview)
	p.status = widget.NewLabel(loc.T("reviewui.loading"))
	p.status.Importance = widget.LowImportance
	p.status.Wrapping = fyne.TextWrapWord
	p.connect = p.newConnectButton()
	p.problem = widget.NewLabel("")
	p.problem.Importance = widget.WarningImportance
	p.problem.Wrapping = fyne.TextWrapWord
	p.problem.Hide()
	p.orphans = container.NewVBox()
	p.list = newReviewList(p)
	p.detail = container.NewVBox()
	top := container.NewVBox(
		container.NewHBox(widget.NewLabel(loc.T("reviewui.mission")), p.missionSel,
			widget.NewLabel(loc.T("reviewui.show")), container.NewGridWrap(fyne.NewSize(300, p.filterSel.MinSize().Height), p.filterSel),
			p.required, sync),
		p.status, p.connect, p.problem, p.orphans)
	split := container.NewHSplit(p.list, container.NewVScroll(container.NewPadded(p.detail)))
	split.Offset = 0.36
	p.showDetail()
	return container.NewBorder(top, nil, nil, nil, split)
}

func (p *reviewPanel) filterLabels() []string {
	labels := make([]string, reviewFilters)
	for f := range reviewFilters {
		n := 0
		for _, it := range p.data.items {
			if f.has(it, p.data.login) {
				n++
			}
		}
		labels[f] = p.u.loc.T(reviewFilterIDs[f], "Count", n)
	}
	return labels
}

func (p *reviewPanel) setMission(m accounts.Mission) {
	if m.ID == p.mission.ID {
		return
	}
	p.mission, p.selected, p.from, p.to = m, "", -1, 0
	p.win.SetTitle(p.u.loc.T("reviewui.title", "Mission", m.Name(p.u.loc.Lang())))
	p.required.Disable()
	p.load()
}

// load reads the mission's posts in review off the UI goroutine.
func (p *reviewPanel) load() { p.loader.submit(p.mission.ID) }

// read runs off the UI goroutine.
func (p *reviewPanel) read(mission string) reviewData {
	svc := p.u.p.Review
	d := reviewData{mission: mission}
	if d.login, d.err = svc.Login(); d.err != nil {
		return d
	}
	if d.items, d.err = svc.List(mission); d.err != nil {
		return d
	}
	queued, err := svc.Queued()
	if d.err = err; err != nil {
		return d
	}
	for _, q := range queued {
		if q.Refused == "" {
			d.waiting++
			continue
		}
		if q.Mission != mission {
			continue
		}
		d.refused++
		if !slices.ContainsFunc(d.items, func(it team.Item) bool { return it.Post == q.Post }) {
			d.orphans = append(d.orphans, q)
		}
	}
	if d.required, d.err = svc.RequiresReview(mission); d.err != nil {
		return d
	}
	d.approver, d.err = svc.CanApprove(mission)
	if errors.Is(d.err, team.ErrRightsUnknown) {
		d.approver, d.err = true, nil
	}
	return d
}

// show applies a load, on the UI goroutine.
func (p *reviewPanel) show(d reviewData) {
	if d.mission != p.mission.ID {
		return // a load of the mission shown before
	}
	p.data = d
	p.required.OnChanged = nil
	p.required.SetChecked(d.required)
	p.required.OnChanged = p.setRequired
	if d.err == nil {
		p.required.Enable()
	}
	p.filterSel.Options = p.filterLabels()
	p.filterSel.SetSelectedIndex(int(p.filter))
	p.showStatus()
	p.orphans.RemoveAll()
	for _, q := range d.orphans {
		p.orphans.Add(p.refusal(q))
	}
	p.showList()
}

// showStatus says whether the team server is reached and what waits here.
func (p *reviewPanel) showStatus() {
	loc, rs := p.u.loc, p.u.review
	var parts []string
	p.status.Importance = widget.WarningImportance // unless in step
	switch {
	case p.data.err != nil:
		parts = append(parts, loc.T("reviewui.failed", "Reason", loc.Error(p.data.err)))
	case rs.syncErr != nil:
		parts = append(parts, loc.T("reviewui.offline", "Reason", loc.Error(rs.syncErr)))
	case !rs.synced.IsZero():
		p.status.Importance = widget.LowImportance
		parts = append(parts, loc.T("reviewui.synced", "Time", rs.synced.Local().Format("15:04")))
	case rs.attempts == 0:
		p.status.Importance = widget.LowImportance
		parts = append(parts, loc.T("reviewui.connecting"))
	}
	var notes []string
	if p.data.waiting > 0 {
		notes = append(notes, loc.N("reviewui.waiting", p.data.waiting))
	}
	if p.data.refused > 0 {
		notes = append(notes, loc.N("reviewui.refused_count", p.data.refused))
	}
	p.problem.Hidden = len(notes) == 0
	p.connect.Hidden = !errors.Is(p.data.err, team.ErrNotConnected)
	p.connect.Refresh()
	p.problem.SetText(strings.Join(notes, " "))
	p.status.SetText(strings.Join(parts, " "))
}

// setRequired turns the mission's review requirement on or off.
func (p *reviewPanel) setRequired(on bool) {
	svc, mission := p.u.p.Review, p.mission.ID
	p.required.Disable()
	go func() {
		err := svc.SetRequiresReview(mission, on)
		uiDo(func() {
			if err != nil {
				p.message("reviewui.failed_required", err)
			}
			p.load()
		})
	}()
}

// showList fills the list with the posts the filter keeps.
func (p *reviewPanel) showList() {
	p.shown = p.shown[:0]
	for _, it := range p.data.items {
		if p.filter.has(it, p.data.login) {
			p.shown = append(p.shown, it)
		}
	}
	p.list.Refresh()
	i := slices.IndexFunc(p.shown, func(it team.Item) bool { return it.Post == p.selected })
	if i < 0 {
		p.list.UnselectAll()
		p.selected = ""
	} else {
		p.list.Select(i)
	}
	p.showDetail()
}

// message shows a failure over the window.
func (p *reviewPanel) message(failed string, err error) {
	label := widget.NewLabel(p.u.loc.Error(err))
	label.Wrapping = fyne.TextWrapWord
	d := newMessageDialog(p.u.loc.T(failed), p.u.loc.T("action.close"), label, p.win)
	d.Resize(fyne.NewSize(420, 0))
	p.showDialog(d)
}

// showDialog shows d over the window; Escape closes it first.
func (p *reviewPanel) showDialog(d keyGuarded) {
	p.dialog = d
	d.SetOnClosed(func() {
		if p.dialog == d { // a dialog its own closing opened stays
			p.dialog = nil
		}
	})
	d.Show()
}

// addReviewMenu adds Review… to the File menu, after Reach….
func (u *ui) addReviewMenu(file *fyne.Menu) {
	if u.p.Review == nil {
		return
	}
	at := slices.IndexFunc(file.Items, func(it *fyne.MenuItem) bool { return it.Label == u.loc.T("reach.menu") }) + 1
	item := menuItem(u.loc.T("reviewui.menu"), func() { u.showReview("") }, reviewShortcut)
	file.Items = slices.Insert(file.Items, at, item)
}
