package facebook

import (
	"context"
	"fmt"
	"net/http"

	"chancery/accounts"
	"chancery/feeds"
)

// Act likes (POST /{object-id}/likes) or unlikes (DELETE) a post or
// comment as the Page. A Page cannot repost through the Graph API.
func (n *Network) Act(ctx context.Context, acct accounts.Account, postID string, action feeds.Action, undo bool) error {
	if action != feeds.Like {
		return fmt.Errorf("facebook: %s: %w", action, feeds.ErrUnsupported)
	}
	if !validID(postID) {
		return fmt.Errorf("facebook: like %q: %w", postID, feeds.ErrRejected)
	}
	s, err := n.session(acct)
	if err != nil {
		return err
	}
	method := http.MethodPost
	if undo {
		method = http.MethodDelete
	}
	var res struct {
		Success bool `json:"success"`
	}
	c := call{method: method, path: []string{postID, "likes"}, perm: "pages_manage_engagement"}
	if err := s.postJSON(ctx, c, &res); err != nil {
		return fmt.Errorf("facebook: like %s: %w", postID, err)
	}
	if !res.Success {
		return fmt.Errorf("facebook: like %s: success false: %w", postID, feeds.ErrRejected)
	}
	return nil
}
