package cli

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/translations"
)

// ErrNotBilled: the account's network does not bill calls, so it has no
// budget.
var ErrNotBilled = translations.NewProblem("x.budget.not_billed", "this network does not bill calls")

// usageOf is what acct used this month, for networks that bill calls (X);
// nil elsewhere.
func usageOf(s Services, a accounts.Account) *feeds.Spending {
	nw, err := s.Networks.Lookup(a.Network)
	if err != nil {
		return nil
	}
	b, ok := nw.(feeds.Budgeted)
	if !ok {
		return nil
	}
	sp, err := b.Spending(a, time.Now())
	if err != nil {
		return nil
	}
	return &sp
}

// runAccountsBudget implements "accounts budget ACCOUNT-ID [--monthly USD]
// [--json]": it sets the account's monthly budget when --monthly is given
// (0 removes it), then says this month's calls and estimated cost.
func runAccountsBudget(s Services, args []string) error {
	fs := newFlags("accounts budget")
	monthly := fs.String("monthly", "", "")
	asJSON := fs.Bool("json", false, "")
	id := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		id, args = args[0], args[1:]
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if id == "" {
		return fmt.Errorf("%w: accounts budget needs one account id", errUsage)
	}
	a, err := s.Workspace.Account(id)
	if err != nil {
		return err
	}
	nw, err := s.Networks.Lookup(a.Network)
	if err != nil {
		return err
	}
	b, ok := nw.(feeds.Budgeted)
	if !ok {
		return fmt.Errorf("%s (%s): %w", id, a.Network, ErrNotBilled)
	}
	if *monthly != "" {
		v, err := strconv.ParseFloat(strings.TrimPrefix(strings.TrimSpace(*monthly), "$"), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return fmt.Errorf("%w: --monthly needs an amount in US dollars, zero or more", errUsage)
		}
		if err := b.SetBudget(a, v); err != nil {
			return err
		}
	}
	sp, err := b.Spending(a, time.Now())
	if err != nil {
		return err
	}
	if *asJSON {
		j := toAccountJSON(a)
		j.Usage = &sp
		return writeJSON(s.Out, []accountJSON{j})
	}
	writeBudget(s, a, sp, *monthly != "")
	return nil
}

func writeBudget(s Services, a accounts.Account, sp feeds.Spending, changed bool) {
	l := s.Loc
	cost, budget := l.Number(sp.Cost, 2), l.Number(sp.Budget, 2)
	name := a.Handle
	if name == "" {
		name = a.ID
	}
	switch {
	case changed && sp.Budget > 0:
		fmt.Fprintln(s.Out, l.T("x.budget.set", "Account", name, "Budget", budget, "Cost", cost))
	case changed:
		fmt.Fprintln(s.Out, l.T("x.budget.removed", "Account", name, "Cost", cost))
	}
	calls := sp.ReadCalls + sp.WriteCalls
	line := l.N("x.budget.usage_no_budget", calls, "Cost", cost)
	if sp.Budget > 0 {
		line = l.N("x.budget.usage", calls, "Cost", cost, "Budget", budget)
	}
	if sp.Reached {
		line += " · " + l.T("x.budget.reached")
	}
	fmt.Fprintln(s.Out, line)
	fmt.Fprintln(s.Out, l.T("x.budget.estimate_note"))
}
