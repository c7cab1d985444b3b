package bluesky

import (
	"context"
	"fmt"
	"net/url"
	"sort"

	"github.com/bluesky-social/indigo/atproto/syntax"

	"chancery/accounts"
	"chancery/feeds"
)

// threadDepth and threadParents bound how much of a conversation Thread
// asks for (the lexicon's defaults are 6 and 80).
const (
	threadDepth   = 10
	threadParents = 80
)

// Act likes or reposts a post (postID may be a repost item's id), or with
// undo deletes the account's like or repost record, found through the
// post's viewer state. Doing what is already done, or undoing what is not,
// succeeds without a write.
func (n *Network) Act(ctx context.Context, acct accounts.Account, postID string, action feeds.Action, undo bool) error {
	var coll string
	switch action {
	case feeds.Like:
		coll = collLike
	case feeds.Repost:
		coll = collRepost
	default:
		return fmt.Errorf("bluesky %s: %w", action, feeds.ErrUnsupported)
	}
	v, err := n.getPost(ctx, acct, postURI(postID))
	if err != nil {
		return fmt.Errorf("bluesky %s: %w", action, err)
	}
	mine := v.Viewer.Like
	if action == feeds.Repost {
		mine = v.Viewer.Repost
	}
	switch {
	case undo && mine == "", !undo && mine != "":
		return nil
	case undo:
		return n.deleteRecord(ctx, acct, mine)
	}
	s, err := n.current(ctx, acct)
	if err != nil {
		return err
	}
	r, err := procedure("com.atproto.repo.createRecord", map[string]any{
		"repo": s.DID, "collection": coll,
		"record": subjectRecord{Type: coll, Subject: strongRef{URI: v.URI, CID: v.CID}, CreatedAt: n.now().UTC().Format("2006-01-02T15:04:05.000Z")},
	})
	if err != nil {
		return err
	}
	if err := n.authed(ctx, acct, r, nil); err != nil {
		return fmt.Errorf("bluesky %s: %w", action, err)
	}
	return nil
}

// deleteRecord deletes one record of the account's own repository.
func (n *Network) deleteRecord(ctx context.Context, acct accounts.Account, uri string) error {
	s, err := n.current(ctx, acct)
	if err != nil {
		return err
	}
	u, err := syntax.ParseATURI(uri)
	if err != nil || u.Authority().String() != s.DID || u.RecordKey() == "" {
		return fmt.Errorf("bluesky delete %q: not a record of this account: %w", uri, feeds.ErrBadResponse)
	}
	r, err := procedure("com.atproto.repo.deleteRecord", map[string]string{
		"repo": s.DID, "collection": u.Collection().String(), "rkey": u.RecordKey().String(),
	})
	if err != nil {
		return err
	}
	if err := n.authed(ctx, acct, r, nil); err != nil {
		return fmt.Errorf("bluesky delete: %w", err)
	}
	return nil
}

// Thread returns the conversation around postID (its ancestors, the post
// and the replies below it), oldest first, as posts of acct. Deleted and
// blocked posts are left out.
func (n *Network) Thread(ctx context.Context, acct accounts.Account, postID string) ([]feeds.Post, error) {
	uri := postURI(postID)
	r := query("app.bsky.feed.getPostThread", url.Values{
		"uri": {uri}, "depth": {fmt.Sprint(threadDepth)}, "parentHeight": {fmt.Sprint(threadParents)},
	})
	var out struct {
		Thread *threadNode `json:"thread"`
	}
	if err := n.authed(ctx, acct, r, &out); err != nil {
		return nil, fmt.Errorf("bluesky thread: %w", err)
	}
	if out.Thread == nil || out.Thread.Type != typeThreadPost || out.Thread.Post == nil {
		return nil, fmt.Errorf("bluesky thread %s: not found: %w", uri, feeds.ErrRejected)
	}
	seen := map[string]bool{}
	var posts []feeds.Post
	add := func(v *postView) {
		if v != nil && v.URI != "" && !seen[v.URI] {
			seen[v.URI] = true
			posts = append(posts, fromPostView(*v))
		}
	}
	for p := out.Thread.Parent; p != nil; p = p.Parent {
		if p.Type == typeThreadPost {
			add(p.Post)
		}
	}
	walkReplies(out.Thread, add)
	handles := make(map[string]string, len(posts))
	for _, p := range posts {
		handles[p.ID] = p.AuthorHandle
	}
	for i := range posts {
		if posts[i].ReplyToAuthor == "" {
			posts[i].ReplyToAuthor = handles[posts[i].ReplyTo]
		}
		posts[i].Account, posts[i].Network = acct.ID, accounts.Bluesky
	}
	sort.SliceStable(posts, func(i, j int) bool { return posts[i].CreatedAt.Before(posts[j].CreatedAt) })
	return contained(posts), nil
}

// walkReplies visits node's post and its replies, depth first.
func walkReplies(node *threadNode, visit func(*postView)) {
	if node == nil || node.Type != typeThreadPost {
		return
	}
	visit(node.Post)
	for _, r := range node.Replies {
		walkReplies(r, visit)
	}
}
