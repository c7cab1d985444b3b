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
	// SetBudget sets a's monthly budget in US dollars (0: none).
	SetBudget(a accounts.Account, monthlyUSD float64) error
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

// applyBudget words sp in the reader's language on label, shortly (the
// row is as narrow as its column): once the budget is reached, that first.
func (c *column) applyBudget(label *widget.Label, sp feeds.Spending) {
	loc := c.ui.loc
	cost, budget, calls := loc.Number(sp.Cost, 2), loc.Number(sp.Budget, 2), sp.ReadCalls+sp.WriteCalls
	text, importance := loc.N("x.budget.row_no_budget", calls, "Cost", cost), widget.LowImportance
	switch {
	case sp.Reached:
		text, importance = loc.T("x.budget.row_reached", "Cost", cost, "Budget", budget), widget.DangerImportance
	case sp.Budget > 0:
		text = loc.N("x.budget.row", calls, "Cost", cost, "Budget", budget)
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
