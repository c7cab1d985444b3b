package app

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/feeds"
)

// ReachStore reads and keeps the Reach figures (storage.DB).
type ReachStore interface {
	feeds.StatsSource
	SetCadenceTarget(missionID string, t feeds.CadenceTarget) error
}

// reachPeriods are the periods the Reach view offers, in weeks.
var reachPeriods = []int{4, 8, 13, 26}

// Size of one chart, in Fyne units.
const (
	reachChartW = 500
	reachChartH = 230
)

// reachPanel is one Reach window: a mission's four charts, each with the
// text that says what it shows, its target and the CSV export.
type reachPanel struct {
	u        *ui
	win      fyne.Window
	missions []accounts.Mission
	mission  accounts.Mission
	weeks    int
	// report holds the series the charts show; the CSV export writes them.
	report feeds.Reach
	loaded bool
	// targetOf is the mission whose target the entries show.
	targetOf string
	seq      int
	ctx      context.Context
	cancel   context.CancelFunc

	status    *widget.Label
	warning   *widget.Label
	minEntry  *widget.Entry
	maxEntry  *widget.Entry
	export    *widget.Button
	titles    [chartCount]*widget.Label
	charts    [chartCount]*canvas.Image
	texts     [chartCount]*widget.Label
	bilingual *widget.Label
}

// showReach opens the Reach window on a mission (the first one for "").
func (u *ui) showReach(missionID string) {
	if u.p.Reach == nil || len(u.missions) == 0 {
		return
	}
	p := &reachPanel{u: u, missions: u.missions, mission: u.missions[0], weeks: reachPeriods[0]}
	for _, m := range u.missions {
		if m.ID == missionID {
			p.mission = m
		}
	}
	p.ctx, p.cancel = context.WithCancel(u.ctx)
	p.win = u.app.NewWindow(u.loc.T("reach.title", "Mission", p.mission.Name(u.loc.Lang())))
	p.win.SetContent(p.build())
	p.win.Resize(fyne.NewSize(1100, 800))
	rs := u.reachState()
	rs.open = append(rs.open, p)
	p.win.SetOnClosed(func() {
		p.cancel()
		rs.open = slices.DeleteFunc(rs.open, func(o *reachPanel) bool { return o == p })
	})
	p.win.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			p.win.Close()
		}
	})
	// The charts follow the theme: drawn again when it changes. Fyne keeps
	// listeners for good, so a closed window's one does nothing.
	u.app.Settings().AddListener(func(fyne.Settings) {
		uiDo(func() {
			if p.ctx.Err() == nil && p.loaded {
				p.load()
			}
		})
	})
	p.win.Show()
	p.load()
}

func (p *reachPanel) build() fyne.CanvasObject {
	loc := p.u.loc
	p.status = widget.NewLabel(loc.T("reach.loading"))
	p.status.Importance = widget.LowImportance
	p.warning = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.warning.Importance = widget.WarningImportance
	p.warning.Wrapping = fyne.TextWrapWord
	p.warning.Hide()
	p.bilingual = widget.NewLabel("")
	p.bilingual.Wrapping = fyne.TextWrapWord
	cards := make([]fyne.CanvasObject, 0, chartCount)
	titleIDs := [chartCount]string{"reach.chart_followers", "reach.chart_engagement", "reach.chart_cadence", "reach.chart_hours"}
	for k := range chartCount {
		p.titles[k] = widget.NewLabelWithStyle(loc.T(titleIDs[k], "Zone", p.mission.TimeZone), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		p.titles[k].Wrapping = fyne.TextWrapWord
		p.charts[k] = canvas.NewImageFromImage(nil)
		p.charts[k].FillMode = canvas.ImageFillContain
		p.charts[k].SetMinSize(fyne.NewSize(reachChartW, reachChartH))
		p.texts[k] = widget.NewLabel("")
		p.texts[k].Wrapping = fyne.TextWrapWord
		cards = append(cards, container.NewBorder(p.titles[k], p.texts[k], nil, nil, p.charts[k]))
	}
	body := container.NewVBox(p.warning, container.NewGridWithColumns(2, cards...), p.bilingual)
	return container.NewBorder(container.NewVBox(p.toolbar(), p.status), nil, nil, nil, container.NewVScroll(body))
}

// toolbar: the mission, the period, the target and the export.
func (p *reachPanel) toolbar() fyne.CanvasObject {
	loc := p.u.loc
	names := make([]string, len(p.missions))
	for i, m := range p.missions {
		names[i] = m.Name(loc.Lang())
	}
	missionSel := widget.NewSelect(names, nil)
	missionSel.SetSelected(p.mission.Name(loc.Lang()))
	missionSel.OnChanged = func(string) {
		p.mission = p.missions[missionSel.SelectedIndex()]
		p.win.SetTitle(loc.T("reach.title", "Mission", p.mission.Name(loc.Lang())))
		p.titles[chartHours].SetText(loc.T("reach.chart_hours", "Zone", p.mission.TimeZone))
		p.load()
	}
	periods := make([]string, len(reachPeriods))
	for i, w := range reachPeriods {
		periods[i] = loc.N("reach.weeks", w)
	}
	periodSel := widget.NewSelect(periods, nil)
	periodSel.SetSelectedIndex(0)
	periodSel.OnChanged = func(string) {
		p.weeks = reachPeriods[periodSel.SelectedIndex()]
		p.load()
	}
	p.minEntry, p.maxEntry = widget.NewEntry(), widget.NewEntry()
	save := widget.NewButtonWithIcon(loc.T("reach.target_save"), theme.DocumentSaveIcon(), p.saveTarget)
	p.export = widget.NewButtonWithIcon(loc.T("reach.export"), theme.DownloadIcon(), p.exportCSV)
	p.export.Disable()
	target := container.NewHBox(widget.NewLabel(loc.T("reach.target")),
		container.NewGridWrap(fyne.NewSize(56, p.minEntry.MinSize().Height), p.minEntry),
		widget.NewLabel("–"),
		container.NewGridWrap(fyne.NewSize(56, p.maxEntry.MinSize().Height), p.maxEntry), save)
	return container.NewVBox(
		container.NewHBox(widget.NewLabel(loc.T("reach.mission")), wideSelect(missionSel),
			widget.NewLabel(loc.T("reach.period")), wideSelect(periodSel), p.export),
		target)
}

// wideSelect gives a Select the width of its longest option, so that the
// chosen one is never cut.
func wideSelect(s *widget.Select) fyne.CanvasObject {
	w := s.MinSize().Width
	size := theme.TextSize()
	for _, o := range s.Options {
		w = max(w, fyne.MeasureText(o, size, fyne.TextStyle{}).Width+4*theme.Padding()+theme.IconInlineSize())
	}
	return container.NewGridWrap(fyne.NewSize(w, s.MinSize().Height), s)
}

// style reads what the charts take from the window (on the UI goroutine).
func (p *reachPanel) style() chartStyle {
	s := p.u.app.Settings()
	th, v := s.Theme(), s.ThemeVariant()
	c := func(n fyne.ThemeColorName) color.Color { return th.Color(n, v) }
	return chartStyle{
		fg: c(theme.ColorNameForeground), bg: c(theme.ColorNameBackground), grid: c(theme.ColorNameSeparator),
		primary: c(theme.ColorNamePrimary), warning: c(theme.ColorNameWarning),
		series: []color.Color{c(theme.ColorNamePrimary), c(theme.ColorNameSuccess), c(theme.ColorNameWarning), c(theme.ColorNameError)},
		width:  reachChartW, height: reachChartH, scale: max(p.win.Canvas().Scale(), 1),
		zone: p.mission.Location(),
	}
}

// reachView is what one reading of the figures gives the window.
type reachView struct {
	report feeds.Reach
	text   feeds.ReachTexts
	charts [chartCount]image.Image
	err    error
}

// load reads the figures and draws the charts off the UI goroutine, then
// shows them; only the latest reading is shown.
func (p *reachPanel) load() {
	p.seq++
	seq, m, weeks, st, loc := p.seq, p.mission, p.weeks, p.style(), p.u.loc
	if !p.loaded { // a reading after a refresh replaces the charts quietly
		p.status.SetText(p.u.loc.T("reach.loading"))
		p.status.Show()
	}
	now := p.u.now()
	go func() {
		v := p.u.computeReach(m, now.AddDate(0, 0, -7*weeks), now)
		if v.err == nil { // the words go over every post: not on the UI goroutine
			v.text = feeds.ReachText(loc, v.report)
		}
		for k := range chartCount {
			if v.err == nil {
				v.charts[k], v.err = drawChart(chartKind(k), v.report, st)
			}
		}
		uiDo(func() {
			if seq == p.seq && p.ctx.Err() == nil {
				p.show(v)
			}
		})
	}()
}

// computeReach reads a mission's Reach: off the UI goroutine.
func (u *ui) computeReach(m accounts.Mission, since, until time.Time) reachView {
	all, err := u.p.Workspace.Accounts()
	if err != nil {
		return reachView{err: err}
	}
	var mine []accounts.Account
	for _, a := range all {
		if a.Mission == m.ID {
			mine = append(mine, a)
		}
	}
	r, err := feeds.ComputeReach(u.p.Reach, m, mine, since, until)
	return reachView{report: r, err: err}
}

func (p *reachPanel) show(v reachView) {
	loc := p.u.loc
	if v.err != nil {
		p.status.SetText(loc.T("reach.failed", "Reason", loc.Error(v.err)))
		p.status.Show()
		return
	}
	p.status.Hide()
	p.report, p.loaded = v.report, true
	p.export.Enable()
	r := v.report
	if p.targetOf != r.Mission { // not while the user types a new one
		p.targetOf = r.Mission
		p.minEntry.SetText(strconv.Itoa(r.Target.Min))
		p.maxEntry.SetText(strconv.Itoa(r.Target.Max))
	}
	text := v.text
	texts := [chartCount]string{text.Followers, strings.Join(text.Engagement, "\n"), strings.Join(text.Cadence[:2], " "), text.Hours}
	for k := range chartCount {
		p.texts[k].SetText(texts[k])
		p.charts[k].Image = v.charts[k]
		p.charts[k].Hidden = v.charts[k] == nil
		p.charts[k].Refresh()
	}
	p.bilingual.SetText(text.Bilingual)
	p.warning.SetText("⚠ " + loc.N("reach.below_tip", r.LastSeven, "Mission", p.mission.Name(loc.Lang()), "Min", r.Target.Min, "Max", r.Target.Max))
	p.warning.Hidden = !r.Below
	p.warning.Refresh()
}

// saveTarget keeps the target typed in, then reads the figures again.
func (p *reachPanel) saveTarget() {
	loc := p.u.loc
	lo, err1 := strconv.Atoi(strings.TrimSpace(p.minEntry.Text))
	hi, err2 := strconv.Atoi(strings.TrimSpace(p.maxEntry.Text))
	t := feeds.CadenceTarget{Min: lo, Max: hi}
	err := t.Check()
	if err1 != nil || err2 != nil {
		err = fmt.Errorf("%q to %q: %w", p.minEntry.Text, p.maxEntry.Text, feeds.ErrBadTarget)
	}
	if err != nil {
		p.status.SetText(loc.Error(err))
		p.status.Show()
		return
	}
	id := p.mission.ID
	go func() {
		err := p.u.p.Reach.SetCadenceTarget(id, t)
		uiDo(func() {
			if err != nil {
				p.status.SetText(loc.T("reach.failed", "Reason", loc.Error(err)))
				p.status.Show()
				return
			}
			p.targetOf = ""
			p.u.recountReach()
			p.load()
		})
	}()
}

// exportCSV saves the series shown as a CSV file the user chooses.
func (p *reachPanel) exportCSV() {
	if !p.loaded {
		return
	}
	report := p.report
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err == nil && w != nil {
			p.saveCSV(w, report)
		}
	}, p.win)
	d.SetFileName(fmt.Sprintf("reach-%s-%s.csv", report.Mission, report.Until.Format("2006-01-02")))
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// saveCSV writes report to w off the UI goroutine, then says where.
func (p *reachPanel) saveCSV(w fyne.URIWriteCloser, report feeds.Reach) {
	loc := p.u.loc
	go func() {
		err := feeds.WriteCSV(w, report)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		uiDo(func() {
			p.status.SetText(loc.T("reach.exported", "Path", w.URI().Path()))
			if err != nil {
				p.status.SetText(loc.T("reach.failed", "Reason", loc.Error(err)))
			}
			p.status.Show()
		})
	}()
}
