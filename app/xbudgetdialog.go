package app

import (
	"math"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/translations"
)

// errBadAmount: a budget is an amount in US dollars, zero or more.
var errBadAmount = translations.NewProblem("x.error.bad_budget", "the budget must be an amount of zero or more")

// budgetMenuItems offer, for an account on a network that bills calls,
// to set its monthly budget.
func (c *column) budgetMenuItems(a accounts.Account) []*fyne.MenuItem {
	b := c.ui.p.Budgets
	if b == nil || !b.Billed(a.Network) {
		return nil
	}
	return []*fyne.MenuItem{fyne.NewMenuItem(c.ui.loc.T("x.budget.menu"), func() { c.showBudgetDialog(a) })}
}

// showBudgetDialog asks for a's monthly budget in US dollars (0: none),
// filled with the current one once read, and saves it off the UI
// goroutine.
func (c *column) showBudgetDialog(a accounts.Account) {
	loc, w := c.ui.loc, c.ui.window
	amount := newEscEntry(w)
	amount.SetPlaceHolder("20")
	note := widget.NewLabel(loc.T("x.budget.estimate_note"))
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.LowImportance
	message := widget.NewLabel("")
	message.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(widget.NewFormItem(loc.T("x.budget.amount"), amount))
	body := container.NewVBox(form, note, message)
	d := newConfirmDialog(loc.T("x.budget.title", "Account", a.Handle), loc.T("action.save"), loc.T("action.cancel"), body,
		func(ok bool) {
			if ok {
				c.saveBudget(a, amount.Text)
			}
		}, w)
	d.Resize(fyne.NewSize(460, 0))
	c.ui.showDialog(d)
	b, now := c.ui.p.Budgets, c.ui.now()
	go func() {
		sp, err := b.Spending(a, now)
		if err != nil || sp.Budget <= 0 {
			return
		}
		uiDo(func() {
			if amount.Text == "" {
				amount.SetText(strconv.FormatFloat(sp.Budget, 'f', -1, 64))
			}
		})
	}()
}

// saveBudget sets a's budget from what was typed ("20", "$12.50", "12,50")
// and shows the row's line again; a bad amount is said and nothing saved.
func (c *column) saveBudget(a accounts.Account, typed string) {
	typed = strings.ReplaceAll(strings.TrimPrefix(strings.TrimSpace(typed), "$"), ",", ".")
	v, err := strconv.ParseFloat(typed, 64)
	if typed == "" {
		v, err = 0, nil
	}
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		c.ui.showFailure("x.budget.failed", errBadAmount)
		return
	}
	b := c.ui.p.Budgets
	go func() {
		err := b.SetBudget(a, v)
		uiDo(func() {
			if err != nil {
				c.ui.showFailure("x.budget.failed", err)
				return
			}
			c.showBudget(a)
		})
	}()
}
