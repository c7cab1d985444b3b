package feeds

import (
	"context"
	"errors"
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
