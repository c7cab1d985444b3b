package x

import (
	"context"
	"fmt"
	"net/http"

	"chancery/accounts"
	"chancery/feeds"
)

// Act likes or reposts the post postID as acct (POST /2/users/:id/likes or
// /retweets with tweet_id), or with undo withdraws it (DELETE
// /2/users/:id/likes/:tweet_id, /retweets/:source_tweet_id).
func (n *Network) Act(ctx context.Context, acct accounts.Account, postID string, action feeds.Action, undo bool) error {
	var what string
	switch action {
	case feeds.Like:
		what = "likes"
	case feeds.Repost:
		what = "retweets"
	default:
		return fmt.Errorf("x: %s: %w", action, feeds.ErrUnsupported)
	}
	s, err := n.session(ctx, acct)
	if err != nil {
		return err
	}
	id, err := s.ownID(ctx)
	if err != nil {
		return fmt.Errorf("x: %s: %w", action, err)
	}
	c := call{method: http.MethodPost, path: []string{"2", "users", id, what}, json: map[string]string{"tweet_id": postID}}
	price := n.prices.Interaction
	if undo {
		c = call{method: http.MethodDelete, path: []string{"2", "users", id, what, postID}}
		price = n.prices.Delete
	}
	if _, _, err := s.do(ctx, c); err != nil {
		return fmt.Errorf("x: %s %s: %w", action, postID, err)
	}
	n.charge(acct.ID, false, price)
	return nil
}
