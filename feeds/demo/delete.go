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
	raw, err := json.Marshal(slices.Delete(posts, i, i+1))
	if err == nil {
		err = n.state.SetNetState(acct.ID, publishedKey, raw)
	}
	if err != nil {
		return fmt.Errorf("demo delete: %w", err)
	}
	return nil
}

// nextLocalID is the id of the next post published after posts: one past
// the highest number used, so that an id freed by a delete is never given
// to another post.
func nextLocalID(posts []publishedPost) string {
	highest := 0
	for _, p := range posts {
		highest = max(highest, localNumber(p.Post.ID))
	}
	return localPrefix + strconv.Itoa(highest+1)
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
