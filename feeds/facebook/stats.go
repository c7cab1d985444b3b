package facebook

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"strings"

	"chancery/accounts"
	"chancery/feeds"
)

var _ feeds.Reacher = (*Network)(nil)

// pageAudience is GET /{page-id}?fields=followers_count,fan_count.
type pageAudience struct {
	ID        string `json:"id"`
	Followers *int   `json:"followers_count"`
	Fans      *int   `json:"fan_count"`
}

// Audience reads the Page's followers_count (its fan_count, the people
// who like it, when Graph gives no followers). A Page follows no one and
// Graph gives no count of its posts: those stay zero.
func (n *Network) Audience(ctx context.Context, acct accounts.Account) ([]feeds.Audience, error) {
	s, err := n.session(acct)
	if err != nil {
		return nil, err
	}
	var page pageAudience
	q := url.Values{"fields": {"followers_count,fan_count"}}
	if err := s.getJSON(ctx, call{path: []string{s.page}, query: q, perm: "pages_read_engagement"}, &page); err != nil {
		return nil, fmt.Errorf("facebook: audience: %w", err)
	}
	count := cmp.Or(page.Followers, page.Fans)
	if page.ID != s.page || count == nil || *count < 0 {
		return nil, fmt.Errorf("facebook: page %s without followers_count: %w", s.page, feeds.ErrBadResponse)
	}
	return []feeds.Audience{{Followers: *count}}, nil
}

// Own reports whether p is one of the Page's posts: its id is the Page's
// id and the post's, joined by an underscore (a comment's id starts with
// its post's).
func (n *Network) Own(acct accounts.Account, p feeds.Post) bool {
	return p.Notification == "" && acct.Handle != "" && strings.HasPrefix(p.ID, acct.Handle+"_")
}
