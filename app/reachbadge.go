package app

import (
	"log/slog"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/feeds"
)

// reachBadges are the columns' "Below target" warnings: a mission whose
// publications of the last seven days are under its target shows one in
// its column header; it opens the mission's Reach. They are worked out
// off the UI goroutine at start, after each refresh burst and when a
// target changes.
//
// The open Reach windows are read again at the same times.
type reachState struct {
	kick   chan struct{}
	badges map[string]*widget.Button // mission id -> its column's warning
	below  map[string]feeds.Reach    // missions below target
	open   []*reachPanel             // the Reach windows, the last opened last
}

// reachState returns the Reach state, made (with its loop) on first use.
func (u *ui) reachState() *reachState {
	if u.reach != nil {
		return u.reach
	}
	u.reach = &reachState{kick: make(chan struct{}, 1), badges: map[string]*widget.Button{}, below: map[string]feeds.Reach{}}
	go u.reachLoop(u.reach)
	unsubscribe := u.p.Refresher.Subscribe(func(e feeds.Event) {
		if e.Phase == feeds.Finished && e.Result.Err == nil {
			u.recountReach()
		}
	})
	done := u.ctx.Done()
	go func() { <-done; unsubscribe() }()
	return u.reach
}

// reachBadge returns a column's warning, hidden while the mission is on
// target.
func (u *ui) reachBadge(m accounts.Mission) fyne.CanvasObject {
	if u.p.Reach == nil {
		return container.NewHBox()
	}
	u.reachState()
	id := m.ID
	b := widget.NewButtonWithIcon(u.loc.T("reach.below_badge"), theme.WarningIcon(), func() { u.showReach(id) })
	b.Importance = widget.WarningImportance
	u.reach.badges[id] = b
	u.showReachBadge(m)
	u.recountReach()
	return b
}

// recountReach asks for the missions' cadence to be read again; bursts are
// coalesced. Safe from any goroutine once the badges exist.
func (u *ui) recountReach() {
	if u.reach == nil {
		return
	}
	select {
	case u.reach.kick <- struct{}{}:
	default:
	}
}

// reachLoop reads each mission's last seven days whenever asked.
func (u *ui) reachLoop(rb *reachState) {
	for {
		select {
		case <-u.ctx.Done():
			return
		case <-rb.kick:
		}
		missions, err := u.p.Workspace.Missions()
		if err != nil {
			slog.Warn("reach: read missions", "err", err)
			continue
		}
		now := u.now()
		below := map[string]feeds.Reach{}
		for _, m := range missions {
			v := u.computeReach(m, now.AddDate(0, 0, -7), now)
			if v.err != nil {
				slog.Warn("reach: read cadence", "mission", m.ID, "err", v.err)
				continue
			}
			if v.report.Below {
				below[m.ID] = v.report
			}
		}
		uiDo(func() {
			rb.below = below
			for _, m := range missions {
				if rb.badges[m.ID] != nil {
					u.showReachBadge(m)
				}
			}
			for _, p := range rb.open {
				p.load()
			}
		})
	}
}

// showReachBadge shows or hides a mission's warning, with the count of the
// last seven days against the target's minimum.
func (u *ui) showReachBadge(m accounts.Mission) {
	b := u.reach.badges[m.ID]
	r, below := u.reach.below[m.ID]
	b.Hidden = !below
	if below {
		b.SetText(u.loc.T("reach.below_badge") + " · " + u.loc.Integer(r.LastSeven) + "/" + u.loc.Integer(r.Target.Min))
	}
	b.Refresh()
}
