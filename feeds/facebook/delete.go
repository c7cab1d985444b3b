package facebook

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"chancery/accounts"
	"chancery/feeds"
)

// Delete removes one of the Page's own posts (DELETE /{post-id}, answered
// {"success": true}). Graph answers a post that is gone with error 100,
// subcode 33 ("Object with ID ... does not exist, cannot be loaded due to
// missing permissions, or does not support this operation"): that counts
// as deleted, since the Page has no such post left to delete.
func (n *Network) Delete(ctx context.Context, acct accounts.Account, postID string) error {
	if !validID(postID) {
		return fmt.Errorf("facebook: delete %q: %w", postID, feeds.ErrRejected)
	}
	s, err := n.session(acct)
	if err != nil {
		return err
	}
	var res struct {
		Success bool `json:"success"`
	}
	c := call{method: http.MethodDelete, path: []string{postID}, perm: "pages_manage_posts"}
	if err := s.postJSON(ctx, c, &res); err != nil {
		if noObject(err) {
			return nil
		}
		return fmt.Errorf("facebook: delete %s: %w", postID, err)
	}
	if !res.Success {
		return fmt.Errorf("facebook: delete %s: success false: %w", postID, feeds.ErrRejected)
	}
	return nil
}

// noObject reports Graph's "object does not exist" (code 100, subcode 33).
func noObject(err error) bool {
	var ge *GraphError
	return errors.As(err, &ge) && ge.Code == codeParam && ge.Subcode == subcodeNoObject
}
