package mastodon

import (
	"context"
	"fmt"
	"net/http"

	"chancery/accounts"
	"chancery/feeds"
)

// Delete removes acct's own status inside postID (DELETE
// /api/v1/statuses/:id, which answers the deleted Status). Mastodon answers
// 404 "Record not found" for a status that is gone, and also for one that
// is not the account's own (it looks only among the account's statuses):
// both count as deleted, since after either the account has no such post.
func (n *Network) Delete(ctx context.Context, acct accounts.Account, postID string) error {
	id := StatusID(postID)
	if id == "" {
		return fmt.Errorf("mastodon: delete %q: no status: %w", postID, feeds.ErrRejected)
	}
	s, err := n.session(acct)
	if err != nil {
		return err
	}
	_, _, err = s.do(ctx, call{method: http.MethodDelete, path: []string{"api", "v1", "statuses", id}})
	if err != nil && !feeds.Gone(err) {
		return fmt.Errorf("mastodon: delete %s: %w", id, err)
	}
	return nil
}
