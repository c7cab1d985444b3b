package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"chancery/accounts"
	"chancery/feeds"
)

// localPrefix starts the id of every post a demo account published.
const localPrefix = "local-"

var _ feeds.Deleter = (*Network)(nil)

// Delete forgets one of acct's published posts. A "local-" post that is no
// longer kept counts as deleted (demo deletes are idempotent, like the real
// networks'); the embedded sample posts cannot be deleted and are refused.
func (n *Network) Delete(ctx context.Context, acct accounts.Account, postID string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if localNumber(postID) == 0 {
		return fmt.Errorf("demo delete %q: a sample post: %w", postID, feeds.ErrRejected)
	}
	if n.state == nil {
		return fmt.Errorf("demo delete: %w", feeds.ErrUnsupported)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	posts, err := n.published(acct.ID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(posts, func(p publishedPost) bool { return p.Post.ID == postID })
	if i < 0 {
		return nil
	}
	// The highest number used is kept apart first, so that no later post
	// gets the deleted post's id.
	next, err := n.nextLocalID(acct.ID, posts)
	if err == nil {
		err = n.state.SetNetState(acct.ID, lastLocalKey, []byte(strconv.Itoa(localNumber(next)-1)))
	}
	if err != nil {
		return fmt.Errorf("demo delete: %w", err)
	}
	raw, err := json.Marshal(slices.Delete(posts, i, i+1))
	if err == nil {
		err = n.state.SetNetState(acct.ID, publishedKey, raw)
	}
	if err != nil {
		return fmt.Errorf("demo delete: %w", err)
	}
	return nil
}

// lastLocalKey keeps, in the state store, the highest post number an
// account used before a delete.
const lastLocalKey = "published_last"

// nextLocalID is the id of the next post acct publishes after posts: one
// past the highest number used, by the posts kept or by one deleted, so
// that a deleted post's id is never given to another post.
func (n *Network) nextLocalID(accountID string, posts []publishedPost) (string, error) {
	raw, err := n.state.NetState(accountID, lastLocalKey)
	if err != nil {
		return "", fmt.Errorf("demo post number: %w", err)
	}
	highest, _ := strconv.Atoi(string(raw)) // none yet: 0
	for _, p := range posts {
		highest = max(highest, localNumber(p.Post.ID))
	}
	return localPrefix + strconv.Itoa(highest+1), nil
}

// localNumber is the number of a "local-N" id, or 0 for any other id.
func localNumber(id string) int {
	rest, ok := strings.CutPrefix(id, localPrefix)
	if !ok {
		return 0
	}
	v, err := strconv.Atoi(rest)
	if err != nil || v < 1 {
		return 0
	}
	return v
}
