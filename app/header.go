package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
)

// titleClockLayout puts a column's mission name on the left and its clock
// on the right. The name keeps its full width: when both do not fit, the
// clock goes first, and the name is cut (with "…") only when it alone is
// wider than the column.
type titleClockLayout struct {
	title *widget.Label // truncates with an ellipsis, so its MinSize is small
	clock fyne.CanvasObject
}

// fullWidth is the width the title needs to show the whole name.
func (l *titleClockLayout) fullWidth() float32 {
	th := l.title.Theme()
	text := fyne.MeasureText(l.title.Text, th.Size(theme.SizeNameText), l.title.TextStyle)
	return text.Width + 2*th.Size(theme.SizeNameInnerPadding)
}

func (l *titleClockLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	clockW := l.clock.MinSize().Width
	pad := l.title.Theme().Size(theme.SizeNamePadding)
	showClock := l.fullWidth()+pad+clockW <= size.Width
	titleW := size.Width
	if showClock {
		titleW = size.Width - clockW - pad
		l.clock.Resize(fyne.NewSize(clockW, size.Height))
		l.clock.Move(fyne.NewPos(size.Width-clockW, 0))
	}
	if showClock != l.clock.Visible() {
		if showClock {
			l.clock.Show()
		} else {
			l.clock.Hide()
		}
	}
	l.title.Resize(fyne.NewSize(titleW, size.Height))
	l.title.Move(fyne.NewPos(0, 0))
}

func (l *titleClockLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(l.title.MinSize().Width, max(l.title.MinSize().Height, l.clock.MinSize().Height))
}

// titleRow is the column's first line: mission name and local time.
func (c *column) titleRow() fyne.CanvasObject {
	clock := container.NewHBox(c.ui.inboxBadge(c.mission.ID), c.clock)
	return container.New(&titleClockLayout{title: c.title, clock: clock}, c.title, clock)
}

// accountsToggle is the compact "2 accounts ▾" button of a column's
// header that shows or hides its accounts. The list starts folded, so that
// a column at 1024×700 shows four posts, stays as the user left it when
// the window is rebuilt (an account added), and unfolds by itself when an
// account needs attention (sign in again, offline, an error).
func (c *column) accountsToggle() *widget.Button {
	b := widget.NewButtonWithIcon("", theme.MenuDropDownIcon(), nil)
	b.Importance = widget.LowImportance
	b.IconPlacement = widget.ButtonIconTrailingText
	b.OnTapped = func() {
		if c.ui.unfolded == nil {
			c.ui.unfolded = map[string]bool{}
		}
		c.ui.unfolded[c.mission.ID] = !c.ui.unfolded[c.mission.ID]
		c.showAccountsToggle()
	}
	return b
}

// needsAttention reports whether one of the column's accounts is not ok.
func (c *column) needsAttention() bool {
	for _, a := range c.accts {
		if a.State != "" && a.State != accounts.StateOK {
			return true
		}
		if _, failed := c.failures[a.ID]; failed {
			return true
		}
	}
	return false
}

// showAccountsToggle shows the number of accounts and the list, folded or
// not.
func (c *column) showAccountsToggle() {
	if c.toggle == nil {
		return
	}
	loc := c.ui.loc
	open := c.ui.unfolded[c.mission.ID] || len(c.accts) == 0 || c.needsAttention()
	c.toggle.SetText(loc.N("column.accounts", len(c.accts)))
	icon := theme.MenuDropDownIcon()
	if open {
		icon = theme.MenuDropUpIcon()
	}
	c.toggle.SetIcon(icon)
	if open != c.accountsC.Visible() {
		c.accountsC.Hidden = !open
		c.accountsC.Refresh()
	}
}
