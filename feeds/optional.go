package feeds

import (
	"context"

	"chancery/accounts"
)

// Page is one page of a timeline and the cursor of the page after it.
type Page struct {
	Posts []Post
	// Older is passed back to FetchPage for the next, older page; empty at
	// the end of the timeline.
	Older string
}

// Pager is implemented by networks that can page back through a timeline.
type Pager interface {
	// FetchPage returns the page that follows cursor (the newest page for
	// an empty cursor).
	FetchPage(ctx context.Context, acct accounts.Account, kind Kind, cursor string) (Page, error)
}

// Action is something done to someone else's post.
type Action string

// Actions on posts.
const (
	Repost Action = "repost"
	Like   Action = "like"
)

// Actor is implemented by networks that can repost and like.
type Actor interface {
	// Act applies (or, with undo, withdraws) action on the post with remote
	// id postID, as acct.
	Act(ctx context.Context, acct accounts.Account, postID string, action Action, undo bool) error
}

// Threader is implemented by networks that can show a post's conversation.
type Threader interface {
	// Thread returns the posts around postID, oldest first, postID included.
	Thread(ctx context.Context, acct accounts.Account, postID string) ([]Post, error)
}
