package feeds

import (
	"time"

	"chancery/accounts"
	"chancery/translations"
)

// ErrBudgetReached: the account's network bills each call and this month's
// budget, set by the user, is spent; reading stops until the next month or
// a larger budget, publishing goes on.
var ErrBudgetReached = translations.NewProblem("x.error.budget_reached", "the monthly budget of this account is reached; reading stops")

// Spending is what an account on a network that bills calls has used this
// month, as Chancery counted it. Costs are estimates in US dollars, from
// the network's published per-call prices.
type Spending struct {
	Month      string  `json:"month"` // "2026-12", UTC
	ReadCalls  int     `json:"read_calls"`
	WriteCalls int     `json:"write_calls"`
	Cost       float64 `json:"estimated_cost_usd"`
	// Budget is the monthly budget in US dollars; 0 means none set.
	Budget float64 `json:"monthly_budget_usd"`
	// Reached is set when Cost is at or over a set Budget: reading stops.
	Reached bool `json:"budget_reached"`
}

// Budgeted is implemented by networks that bill each call: they count
// calls per account and month, and stop reading at the account's budget.
type Budgeted interface {
	// Spending returns acct's counts for the month of now.
	Spending(acct accounts.Account, now time.Time) (Spending, error)
	// SetBudget sets acct's monthly budget in US dollars (0: none).
	SetBudget(acct accounts.Account, monthlyUSD float64) error
}

// Paced is implemented by networks that should be refreshed less often
// than others (each read costs money): a refresh not asked for by the user
// skips a timeline refreshed less than MinRefresh ago.
type Paced interface {
	MinRefresh() time.Duration
}

// paced reports whether a's network is Paced and key was refreshed less
// than its MinRefresh ago.
func (r *Refresher) paced(a accounts.Account, key TimelineKey) bool {
	nw, err := r.nets.Lookup(a.Network)
	if err != nil {
		return false
	}
	p, ok := nw.(Paced)
	if !ok {
		return false
	}
	last, err := r.cache.LastRefreshed(key)
	return err == nil && !last.IsZero() && r.now().Sub(last) < p.MinRefresh()
}
