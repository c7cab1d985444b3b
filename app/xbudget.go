package app

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/feeds"
)

// Budgets reads what accounts on networks that bill each call (X) used
// this month, against their budget.
type Budgets interface {
	// Billed reports whether network n bills calls (cheap: no I/O).
	Billed(n accounts.Network) bool
	// Spending returns a's calls and estimated cost for the month of now.
	Spending(a accounts.Account, now time.Time) (feeds.Spending, error)
}

// withBudget adds under an account's row, for a network that bills calls,
// a line with this month's estimated cost against the budget; it is read
// in the background and again after each refresh of the account.
func (c *column) withBudget(a accounts.Account, row fyne.CanvasObject) fyne.CanvasObject {
	b := c.ui.p.Budgets
	if b == nil || !b.Billed(a.Network) {
		return row
	}
	label := widget.NewLabel("")
	label.Importance = widget.LowImportance
	label.Truncation = fyne.TextTruncateEllipsis
	label.SizeName = theme.SizeNameCaptionText
	if c.budgetLabels == nil {
		c.budgetLabels = map[string]*widget.Label{}
	}
	c.budgetLabels[a.ID] = label
	c.showBudget(a)
	return container.NewVBox(row, label)
}

// showBudget reads a's spending off the UI goroutine and shows it.
func (c *column) showBudget(a accounts.Account) {
	label := c.budgetLabels[a.ID]
	if label == nil {
		return
	}
	b, now := c.ui.p.Budgets, c.ui.now()
	go func() {
		sp, err := b.Spending(a, now)
		if err != nil {
			return // the row keeps what it showed
		}
		uiDo(func() { c.applyBudget(label, sp) })
	}()
}

// applyBudget words sp in the reader's language on label.
func (c *column) applyBudget(label *widget.Label, sp feeds.Spending) {
	loc := c.ui.loc
	cost, calls := loc.Number(sp.Cost, 2), loc.Integer(sp.ReadCalls+sp.WriteCalls)
	text := loc.T("x.budget.usage_no_budget", "Cost", cost, "Calls", calls)
	if sp.Budget > 0 {
		text = loc.T("x.budget.usage", "Cost", cost, "Budget", loc.Number(sp.Budget, 2), "Calls", calls)
	}
	importance := widget.LowImportance
	if sp.Reached {
		text += " · " + loc.T("x.budget.reached")
		importance = widget.DangerImportance
	}
	if label.Text != text || label.Importance != importance {
		label.Text, label.Importance = text, importance
		label.Refresh()
	}
}

// budgetAfterRefresh shows account id's spending again after a refresh.
func (c *column) budgetAfterRefresh(id string) {
	for _, a := range c.accts {
		if a.ID == id {
			c.showBudget(a)
		}
	}
}
