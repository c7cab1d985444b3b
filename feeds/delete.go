package feeds

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"chancery/accounts"
)

// Deleter is implemented by networks on which an account can delete its own
// posts.
//
// Delete removes the post with remote id postID, written by acct. A post
// that is already gone from the server is a success, so that a delete whose
// answer was lost can be sent again: each network says in its
// implementation how its server reports a post that is not there (an HTTP
// 404 or 410 for most; see Gone). Any other failure is returned wrapped,
// classified as feeds.Do classifies it (a post that is not acct's own is a
// refusal).
type Deleter interface {
	Delete(ctx context.Context, acct accounts.Account, postID string) error
}

// Gone reports whether err is a server's answer that the thing asked for
// does not exist (HTTP 404 Not Found or 410 Gone), which a Deleter treats as
// already deleted.
func Gone(err error) bool {
	var se *StatusError
	if !errors.As(err, &se) {
		return false
	}
	return se.Status == http.StatusNotFound || se.Status == http.StatusGone
}

// PostDropper removes a deleted post from the cache. Implemented by storage.
type PostDropper interface {
	// DropPost removes postID from every cached timeline of accountID and
	// returns how many held it.
	DropPost(accountID, postID string) (int, error)
}

// DeletePost deletes acct's own post postID on its network, then drops it
// from the cache. A network without Deleter gives ErrUnsupported; a failed
// delete leaves the cache as it was.
func DeletePost(ctx context.Context, reg Registry, cache PostDropper, acct accounts.Account, postID string) error {
	nw, err := reg.Lookup(acct.Network)
	if err != nil {
		return err
	}
	d, ok := nw.(Deleter)
	if !ok {
		return fmt.Errorf("delete on %s: %w", acct.Network, ErrUnsupported)
	}
	if err := d.Delete(ctx, acct, postID); err != nil {
		return fmt.Errorf("delete %s: %w", postID, err)
	}
	if _, err := cache.DropPost(acct.ID, postID); err != nil {
		return fmt.Errorf("delete %s: deleted on %s, but the cache kept it: %w", postID, acct.Network, err)
	}
	return nil
}

// CanDelete reports whether the network of acct implements Deleter.
func CanDelete(reg Registry, acct accounts.Account) bool {
	nw, err := reg.Lookup(acct.Network)
	if err != nil {
		return false
	}
	_, ok := nw.(Deleter)
	return ok
}

// IsOwn reports whether p, shown on account a, is a's own post (not a
// repost, notification or someone else's post), the only kind a Deleter
// may delete. Facebook posts carry no handle: there a Page post (one that
// is not a comment) is the Page's own.
func IsOwn(p Post, a accounts.Account) bool {
	if p.Account != a.ID || p.ID == "" || p.RepostedBy != "" || p.Notification != "" {
		return false
	}
	if a.Network == accounts.Facebook {
		return p.ReplyTo == "" && p.AuthorHandle == ""
	}
	return sameHandle(p.AuthorHandle, a.Handle)
}
