package mastodon

import (
	"context"
	"fmt"

	"chancery/accounts"
	"chancery/feeds"
)

var _ feeds.Reacher = (*Network)(nil)

// accountCounts are the counts of the Account entity (verify_credentials).
type accountCounts struct {
	ID             flexID `json:"id"`
	FollowersCount *int   `json:"followers_count"`
	FollowingCount int    `json:"following_count"`
	StatusesCount  int    `json:"statuses_count"`
}

// Audience reads the account's followers_count, following_count and
// statuses_count from GET /api/v1/accounts/verify_credentials.
func (n *Network) Audience(ctx context.Context, acct accounts.Account) ([]feeds.Audience, error) {
	s, err := n.session(acct)
	if err != nil {
		return nil, err
	}
	var me accountCounts
	if _, err := s.getJSON(ctx, &me, nil, "api", "v1", "accounts", "verify_credentials"); err != nil {
		return nil, err
	}
	if me.ID == "" || me.FollowersCount == nil {
		return nil, fmt.Errorf("mastodon: verify_credentials without counts: %w", feeds.ErrBadResponse)
	}
	return []feeds.Audience{{Followers: *me.FollowersCount, Following: me.FollowingCount, Posts: me.StatusesCount}}, nil
}

// Own reports whether p's author is the account ("@user@domain").
func (n *Network) Own(acct accounts.Account, p feeds.Post) bool {
	return feeds.SameHandle(p.AuthorHandle, acct.Handle)
}
