package bluesky

import (
	"context"
	"fmt"

	"github.com/bluesky-social/indigo/atproto/syntax"

	"chancery/accounts"
	"chancery/feeds"
)

// Delete removes acct's own post: postID is the post's AT-URI (or the id of
// a repost item of it), and the record is deleted with
// com.atproto.repo.deleteRecord in the account's repository, collection
// app.bsky.feed.post, by the URI's record key. A PDS answers 200 without a
// commit for a record that is not there, so deleting again is a success; a
// RecordNotFound refusal, which some PDS versions may give, counts as
// deleted too. A post of another account is refused before any write.
func (n *Network) Delete(ctx context.Context, acct accounts.Account, postID string) error {
	s, err := n.current(ctx, acct)
	if err != nil {
		return err
	}
	u, err := syntax.ParseATURI(postURI(postID))
	if err != nil || u.Authority().String() != s.DID || u.Collection().String() != collPost || u.RecordKey() == "" {
		return fmt.Errorf("bluesky delete %q: not a post of %s: %w", postID, acct.ID, feeds.ErrRejected)
	}
	r, err := procedure("com.atproto.repo.deleteRecord", map[string]string{
		"repo": s.DID, "collection": collPost, "rkey": u.RecordKey().String(),
	})
	if err != nil {
		return err
	}
	if err := n.authed(ctx, acct, r, nil); err != nil && !recordNotFound(err) {
		return fmt.Errorf("bluesky delete: %w", err)
	}
	return nil
}
