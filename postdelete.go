package main

import (
	"context"

	"chancery/accounts"
	"chancery/feeds"
)

// postDeleter deletes an account's own post through its network's
// feeds.Deleter, then drops it from the cache.
type postDeleter struct {
	networks feeds.Registry
	cache    feeds.PostDropper
}

// CanDelete reports whether a's network can delete posts.
func (d postDeleter) CanDelete(a accounts.Account) bool { return feeds.CanDelete(d.networks, a) }

// Delete deletes a's post postID on the network and from the cache.
func (d postDeleter) Delete(ctx context.Context, a accounts.Account, postID string) error {
	return feeds.DeletePost(ctx, d.networks, d.cache, a, postID)
}
