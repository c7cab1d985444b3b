package x

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"chancery/accounts"
	"chancery/feeds"
)

var _ feeds.Reacher = (*Network)(nil)

// stateAudience keeps the account's audience as last read from X, with
// the time it was read.
const stateAudience = "x.audience"

// userMetrics are the public_metrics of an X user object.
type userMetrics struct {
	Followers int `json:"followers_count"`
	Following int `json:"following_count"`
	Tweets    int `json:"tweet_count"`
}

// Audience reads followers_count, following_count and tweet_count of the
// signed-in user (GET /2/users/me with user.fields=public_metrics).
//
// X bills the read (one user) like any other: it is refused when this
// month's budget is spent and counted in the month's usage. It is sent at
// most once per MinRefresh, the pace of refreshes not asked for by the
// user: a refresh asked for sooner returns the figures last read, with the
// time they were read (Reach keeps changed figures at most every 15
// minutes anyway, so a read sooner would be paid for and thrown away).
func (n *Network) Audience(ctx context.Context, acct accounts.Account) ([]feeds.Audience, error) {
	if last, ok := n.recentAudience(acct); ok {
		return []feeds.Audience{last}, nil
	}
	if err := n.checkBudget(acct); err != nil {
		return nil, err
	}
	s, err := n.session(ctx, acct)
	if err != nil {
		return nil, err
	}
	m, err := s.metrics(ctx)
	if err != nil {
		return nil, fmt.Errorf("x: audience: %w", err)
	}
	a := feeds.Audience{At: n.now().UTC(), Followers: m.Followers, Following: m.Following, Posts: m.Tweets}
	_ = n.saveState(acct.ID, stateAudience, a) // a lost copy only means one more read
	return []feeds.Audience{a}, nil
}

// recentAudience returns the figures last read, if they were read less
// than MinRefresh ago.
func (n *Network) recentAudience(acct accounts.Account) (feeds.Audience, bool) {
	var last feeds.Audience
	if !n.loadState(acct.ID, stateAudience, &last) || last.At.IsZero() {
		return feeds.Audience{}, false
	}
	age := n.now().Sub(last.At)
	return last, age >= 0 && age < n.minRefresh
}

// metrics GETs the signed-in user's public_metrics and counts the user
// read once X returned one.
func (s *session) metrics(ctx context.Context) (userMetrics, error) {
	var ans struct {
		Data struct {
			ID            string       `json:"id"`
			PublicMetrics *userMetrics `json:"public_metrics"`
		} `json:"data"`
	}
	q := url.Values{"user.fields": {"public_metrics"}}
	body, _, err := s.do(ctx, call{method: http.MethodGet, path: []string{"2", "users", "me"}, query: q})
	if err != nil {
		return userMetrics{}, err
	}
	if err := decode(body, "2/users/me", &ans); err != nil {
		return userMetrics{}, err
	}
	if ans.Data.ID == "" {
		return userMetrics{}, fmt.Errorf("x: users/me without a user: %w", feeds.ErrBadResponse)
	}
	s.n.charge(s.acct.ID, true, s.n.prices.UserRead)
	if ans.Data.PublicMetrics == nil {
		return userMetrics{}, fmt.Errorf("x: users/me without public_metrics: %w", feeds.ErrBadResponse)
	}
	return *ans.Data.PublicMetrics, nil
}

// Own reports whether p was written by the account: its author's handle
// is the account's (@username), or, for an account without a handle, the
// username kept at sign-in.
func (n *Network) Own(acct accounts.Account, p feeds.Post) bool {
	if acct.Handle != "" {
		return feeds.SameHandle(p.AuthorHandle, acct.Handle)
	}
	return feeds.SameHandle(p.AuthorHandle, n.ownName(acct))
}
