package demo

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"chancery/accounts"
	"chancery/feeds"
)

// publishedKey is where a demo account's own published posts are kept in
// the network state store.
const publishedKey = "published"

// WithPublishing lets demo accounts publish: posts are kept in state, on
// this computer only, and appear in the account's timelines. Publishing is
// idempotent by Outgoing.IdempotencyKey, like the real networks.
func WithPublishing(state feeds.StateStore, now func() time.Time) Option {
	return func(n *Network) {
		n.state = state
		if now != nil {
			n.now = now
		}
	}
}

type publishedPost struct {
	Key  string     `json:"key"`
	Post feeds.Post `json:"post"`
}

// Length counts characters (code points) against MaxLength.
func (n *Network) Length(_ accounts.Account, text string) (int, int) {
	return utf8.RuneCountInString(text), MaxLength
}

// Publish keeps out as a post of acct. A second call with the same
// idempotency key returns the first post.
func (n *Network) Publish(ctx context.Context, acct accounts.Account, out feeds.Outgoing) (feeds.Published, error) {
	if err := ctx.Err(); err != nil {
		return feeds.Published{}, err
	}
	if n.state == nil {
		return feeds.Published{}, fmt.Errorf("demo publish: %w", feeds.ErrUnsupported)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	posts, err := n.published(acct.ID)
	if err != nil {
		return feeds.Published{}, err
	}
	if p, ok := byKey(posts, out.IdempotencyKey); ok {
		return feeds.Published{RemoteID: p.ID, URL: p.URL}, nil
	}
	id, err := n.nextLocalID(acct.ID, posts)
	if err != nil {
		return feeds.Published{}, err
	}
	p := feeds.Post{
		ID: id, Account: acct.ID, Network: accounts.Demo, Author: author(acct), AuthorHandle: acct.Handle,
		Text: out.Text, Lang: out.Lang, CreatedAt: n.now().UTC(), ReplyTo: out.ReplyTo,
		ContentWarning: out.ContentWarning, URL: "https://demo.invalid/" + acct.ID + "/" + id,
	}
	raw, err := json.Marshal(append(posts, publishedPost{Key: out.IdempotencyKey, Post: p}))
	if err == nil {
		err = n.state.SetNetState(acct.ID, publishedKey, raw)
	}
	if err != nil {
		return feeds.Published{}, fmt.Errorf("demo publish: %w", err)
	}
	return feeds.Published{RemoteID: p.ID, URL: p.URL}, nil
}

var _ feeds.Finder = (*Network)(nil)

// FindPublished tells whether a post with out's idempotency key was kept:
// demo posts are kept on this computer, so the answer is always certain.
func (n *Network) FindPublished(ctx context.Context, acct accounts.Account, out feeds.Outgoing, _ time.Time) (feeds.Published, bool, error) {
	if err := ctx.Err(); err != nil {
		return feeds.Published{}, false, err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	posts, err := n.published(acct.ID)
	if err != nil {
		return feeds.Published{}, false, err
	}
	if p, ok := byKey(posts, out.IdempotencyKey); ok {
		return feeds.Published{RemoteID: p.ID, URL: p.URL}, true, nil
	}
	return feeds.Published{}, false, nil
}

// author names acct on its posts: its display name, else its handle (an
// account added by hand has no display name), else its id.
func author(acct accounts.Account) string {
	return cmp.Or(acct.DisplayName, acct.Handle, acct.ID)
}

// byKey returns the post kept under idempotency key key.
func byKey(posts []publishedPost, key string) (feeds.Post, bool) {
	if i := slices.IndexFunc(posts, func(p publishedPost) bool { return p.Key == key && p.Key != "" }); i >= 0 {
		return posts[i].Post, true
	}
	return feeds.Post{}, false
}

// published returns the posts acct published, oldest first.
func (n *Network) published(accountID string) ([]publishedPost, error) {
	if n.state == nil {
		return nil, nil
	}
	raw, err := n.state.NetState(accountID, publishedKey)
	if err != nil || raw == nil {
		return nil, err
	}
	var posts []publishedPost
	if err := json.Unmarshal(raw, &posts); err != nil {
		return nil, fmt.Errorf("demo published posts: %w: %w", feeds.ErrBadResponse, err)
	}
	return posts, nil
}
