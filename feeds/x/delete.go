package x

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"chancery/accounts"
	"chancery/feeds"
)

// notFoundType ends the problem type X gives a request about a post that
// does not exist.
const notFoundType = "/resource-not-found"

// Delete removes one of acct's own posts (DELETE /2/tweets/:id), which
// answers {"data":{"deleted":true}}. A post that is already gone (an HTTP
// 404, or X's resource-not-found problem) counts as deleted; another's post
// is refused with a 403. Each call is charged to the account's budget.
func (n *Network) Delete(ctx context.Context, acct accounts.Account, postID string) error {
	if postID == "" {
		return fmt.Errorf("x: delete: no post id: %w", feeds.ErrRejected)
	}
	s, err := n.session(ctx, acct)
	if err != nil {
		return err
	}
	body, _, err := s.do(ctx, call{method: http.MethodDelete, path: []string{"2", "tweets", postID}})
	if err != nil {
		if alreadyGone(err) {
			return nil
		}
		return fmt.Errorf("x: delete %s: %w", postID, err)
	}
	n.charge(acct.ID, false, n.prices.Delete)
	var ans struct {
		Data struct {
			Deleted bool `json:"deleted"`
		} `json:"data"`
	}
	if err := decode(body, "2/tweets", &ans); err != nil {
		return fmt.Errorf("x: delete %s: %w", postID, err)
	}
	if !ans.Data.Deleted {
		return fmt.Errorf("x: delete %s: not deleted: %w", postID, feeds.ErrRejected)
	}
	return nil
}

// alreadyGone reports whether err says the post does not exist.
func alreadyGone(err error) bool {
	var p *Problem
	if errors.As(err, &p) && strings.HasSuffix(p.Type, notFoundType) {
		return true
	}
	return feeds.Gone(err)
}
