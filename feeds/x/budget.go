package x

import (
	"fmt"
	"math"
	"time"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/translations"
)

// Prices are the estimated cost of X calls, in US dollars. X publishes
// per-resource read prices and per-request write prices for its
// pay-per-use plan (docs.x.com, "Pricing"); rates change and the
// developer console has the current ones, so these are estimates and can
// be set with WithPrices.
type Prices struct {
	PostRead      float64 // per post returned by a read
	UserRead      float64 // per user returned by a read
	Create        float64 // per post created
	CreateWithURL float64 // per post created that holds a link
	Interaction   float64 // per like or repost
	Delete        float64 // per deletion (a post, a like, a repost)
	MediaUpload   float64 // per media upload call (not priced by X's table)
}

// DefaultPrices are X's published pay-per-use prices of December 2026:
// posts read $0.005 each, users read $0.010 each, a post created $0.015
// ($0.200 with a link), an interaction $0.015, a deletion $0.010.
func DefaultPrices() Prices {
	return Prices{PostRead: 0.005, UserRead: 0.010, Create: 0.015, CreateWithURL: 0.200, Interaction: 0.015, Delete: 0.010}
}

// State keys of usage and budget.
const (
	stateBudget      = "x.budget"
	stateUsagePrefix = "x.usage."
)

type budget struct {
	MonthlyUSD float64 `json:"monthly_usd"`
}

type usage struct {
	ReadCalls  int   `json:"read_calls"`
	WriteCalls int   `json:"write_calls"`
	CostMicros int64 `json:"cost_micro_usd"`
}

func month(t time.Time) string { return t.UTC().Format("2006-01") }

// charge counts one call of the account in this month's usage.
func (n *Network) charge(accountID string, read bool, cost float64) {
	if n.state == nil || accountID == "" {
		return
	}
	n.usageMu.Lock()
	defer n.usageMu.Unlock()
	key := stateUsagePrefix + month(n.now())
	var u usage
	n.loadState(accountID, key, &u)
	if read {
		u.ReadCalls++
	} else {
		u.WriteCalls++
	}
	u.CostMicros += int64(math.Round(cost * 1e6))
	_ = n.saveState(accountID, key, u) // a lost count only makes the estimate low
}

// Spending returns acct's counts and estimated cost for the month of now.
func (n *Network) Spending(acct accounts.Account, now time.Time) (feeds.Spending, error) {
	sp := feeds.Spending{Month: month(now)}
	if n.state == nil {
		return sp, nil
	}
	var u usage
	n.loadState(acct.ID, stateUsagePrefix+sp.Month, &u)
	var b budget
	n.loadState(acct.ID, stateBudget, &b)
	sp.ReadCalls, sp.WriteCalls = u.ReadCalls, u.WriteCalls
	sp.Cost = float64(u.CostMicros) / 1e6
	sp.Budget = b.MonthlyUSD
	sp.Reached = b.MonthlyUSD > 0 && sp.Cost >= b.MonthlyUSD
	return sp, nil
}

// ErrBadBudget: a budget must be a finite amount, zero or more.
var ErrBadBudget = translations.NewProblem("x.error.bad_budget", "the budget must be an amount of zero or more")

// SetBudget sets acct's monthly budget in US dollars; 0 removes it.
func (n *Network) SetBudget(acct accounts.Account, monthlyUSD float64) error {
	if math.IsNaN(monthlyUSD) || math.IsInf(monthlyUSD, 0) || monthlyUSD < 0 {
		return fmt.Errorf("x %s: %v: %w", acct.ID, monthlyUSD, ErrBadBudget)
	}
	if n.state == nil {
		return fmt.Errorf("x %s: no state store: %w", acct.ID, feeds.ErrUnsupported)
	}
	if err := n.saveState(acct.ID, stateBudget, budget{MonthlyUSD: monthlyUSD}); err != nil {
		return fmt.Errorf("x %s: set budget: %w", acct.ID, err)
	}
	return nil
}

// BudgetError says that reading stopped at the budget: what was spent
// this month, and the budget.
type BudgetError struct {
	Spent, Budget float64
}

func (e *BudgetError) Error() string {
	return fmt.Sprintf("x: estimated $%.2f of $%.2f this month: %v", e.Spent, e.Budget, feeds.ErrBudgetReached)
}

// Unwrap keeps feeds.ErrBudgetReached (a refusal: nothing was sent).
func (e *BudgetError) Unwrap() []error { return []error{feeds.ErrBudgetReached, feeds.ErrRejected} }

// Explain implements translations.Explainer.
func (e *BudgetError) Explain(l *translations.Localizer) string {
	return l.T("x.error.budget_reached_amounts", "Spent", l.Number(e.Spent, 2), "Budget", l.Number(e.Budget, 2))
}

// checkBudget refuses a read when acct's budget for this month is spent.
func (n *Network) checkBudget(acct accounts.Account) error {
	sp, err := n.Spending(acct, n.now())
	if err != nil || !sp.Reached {
		return err
	}
	return &BudgetError{Spent: sp.Cost, Budget: sp.Budget}
}
