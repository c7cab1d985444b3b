package bluesky

import (
	"context"
	"fmt"
	"net/url"

	"chancery/accounts"
	"chancery/feeds"
)

var _ feeds.Reacher = (*Network)(nil)

// profileCounts are the counts of app.bsky.actor.defs#profileViewDetailed.
type profileCounts struct {
	DID            string `json:"did"`
	FollowersCount *int   `json:"followersCount"`
	FollowsCount   int    `json:"followsCount"`
	PostsCount     int    `json:"postsCount"`
}

// Audience reads followersCount, followsCount and postsCount of the
// account's own profile with app.bsky.actor.getProfile.
func (n *Network) Audience(ctx context.Context, acct accounts.Account) ([]feeds.Audience, error) {
	s, err := n.current(ctx, acct)
	if err != nil {
		return nil, err
	}
	var p profileCounts
	if err := n.authed(ctx, acct, query("app.bsky.actor.getProfile", url.Values{"actor": {s.DID}}), &p); err != nil {
		return nil, err
	}
	if p.DID == "" || p.FollowersCount == nil {
		return nil, fmt.Errorf("app.bsky.actor.getProfile: a profile without counts: %w", feeds.ErrBadResponse)
	}
	return []feeds.Audience{{Followers: *p.FollowersCount, Following: p.FollowsCount, Posts: p.PostsCount}}, nil
}

// Own reports whether p's author is the account's handle.
func (n *Network) Own(acct accounts.Account, p feeds.Post) bool {
	return feeds.SameHandle(p.AuthorHandle, acct.Handle)
}
