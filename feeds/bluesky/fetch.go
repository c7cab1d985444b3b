package bluesky

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/bluesky-social/indigo/atproto/syntax"

	"chancery/accounts"
	"chancery/feeds"
)

// pageSize is how many items one page asks for (the lexicons allow 100).
const pageSize = 50

// getPostsMax is how many URIs one app.bsky.feed.getPosts call accepts.
const getPostsMax = 25

// Fetch returns the newest page of one timeline of acct.
func (n *Network) Fetch(ctx context.Context, acct accounts.Account, kind feeds.Kind) ([]feeds.Post, error) {
	page, err := n.FetchPage(ctx, acct, kind, "")
	return page.Posts, err
}

// FetchPage returns the page of a timeline that follows cursor (the newest
// page for ""). Page.Older is the API cursor of the next page. Each post
// carries acct's id and network.
func (n *Network) FetchPage(ctx context.Context, acct accounts.Account, kind feeds.Kind, cursor string) (feeds.Page, error) {
	page, err := n.kindPage(ctx, acct, kind, cursor)
	for i := range page.Posts {
		page.Posts[i].Account, page.Posts[i].Network = acct.ID, accounts.Bluesky
	}
	return page, err
}

func (n *Network) kindPage(ctx context.Context, acct accounts.Account, kind feeds.Kind, cursor string) (feeds.Page, error) {
	k := string(kind)
	switch {
	case kind == feeds.Home:
		return n.feedPage(ctx, acct, query("app.bsky.feed.getTimeline", nil), cursor)
	case kind == feeds.Own:
		return n.ownPage(ctx, acct, cursor)
	case kind == feeds.Mentions:
		return n.notificationsPage(ctx, acct, cursor)
	case kind == feeds.Feed || strings.HasPrefix(k, FeedPrefix):
		return n.customFeedPage(ctx, acct, strings.TrimPrefix(k, FeedPrefix), cursor)
	case strings.HasPrefix(k, "search:"):
		return n.searchPage(ctx, acct, strings.TrimPrefix(k, "search:"), cursor)
	case strings.HasPrefix(k, "tag:"):
		return n.searchPage(ctx, acct, "#"+strings.TrimPrefix(strings.TrimPrefix(k, "tag:"), "#"), cursor)
	}
	return feeds.Page{}, fmt.Errorf("bluesky %q: %w", kind, feeds.ErrUnsupported)
}

// SetFeed chooses the custom feed (an app.bsky.feed.generator AT-URI) the
// plain "feed" kind shows for an account; "" goes back to DiscoverFeed.
func (n *Network) SetFeed(accountID, feedURI string) error {
	if n.state == nil {
		return fmt.Errorf("bluesky feed: no state store: %w", feeds.ErrUnsupported)
	}
	if feedURI != "" {
		if _, err := feedURIOf(feedURI); err != nil {
			return err
		}
	}
	return n.state.SetNetState(accountID, feedStateKey, []byte(feedURI))
}

// feedURIOf checks that s is the AT-URI of a feed generator record.
func feedURIOf(s string) (string, error) {
	u, err := syntax.ParseATURI(strings.TrimSpace(s))
	if err != nil || u.Collection().String() != collGenerator || u.RecordKey() == "" {
		return "", fmt.Errorf("bluesky feed %q: %w", s, feeds.ErrBadKind)
	}
	return u.String(), nil
}

func (n *Network) customFeedPage(ctx context.Context, acct accounts.Account, arg, cursor string) (feeds.Page, error) {
	uri := arg
	if arg == string(feeds.Feed) || arg == "" {
		uri = DiscoverFeed
		if n.state != nil {
			if v, err := n.state.NetState(acct.ID, feedStateKey); err == nil && len(v) > 0 {
				uri = string(v)
			}
		}
	}
	uri, err := feedURIOf(uri)
	if err != nil {
		return feeds.Page{}, err
	}
	return n.feedPage(ctx, acct, query("app.bsky.feed.getFeed", url.Values{"feed": {uri}}), cursor)
}

func (n *Network) ownPage(ctx context.Context, acct accounts.Account, cursor string) (feeds.Page, error) {
	s, err := n.current(ctx, acct)
	if err != nil {
		return feeds.Page{}, err
	}
	r := query("app.bsky.feed.getAuthorFeed", url.Values{"actor": {s.DID}, "filter": {"posts_with_replies"}})
	return n.feedPage(ctx, acct, r, cursor)
}

// feedPage runs a query whose output is a feed of feedViewPosts.
func (n *Network) feedPage(ctx context.Context, acct accounts.Account, r request, cursor string) (feeds.Page, error) {
	pageParams(&r, cursor)
	var out feedOutput
	if err := n.authed(ctx, acct, r, &out); err != nil {
		return feeds.Page{}, fmt.Errorf("bluesky %s: %w", r.nsid, err)
	}
	page := feeds.Page{Older: out.Cursor, Posts: make([]feeds.Post, 0, len(out.Feed))}
	for _, item := range out.Feed {
		if item.Post.URI != "" {
			page.Posts = append(page.Posts, fromFeedItem(item))
		}
	}
	page.Posts = contained(page.Posts)
	return page, nil
}

func (n *Network) searchPage(ctx context.Context, acct accounts.Account, q, cursor string) (feeds.Page, error) {
	if strings.TrimSpace(strings.TrimPrefix(q, "#")) == "" {
		return feeds.Page{}, fmt.Errorf("bluesky search: empty query: %w", feeds.ErrBadKind)
	}
	r := query("app.bsky.feed.searchPosts", url.Values{"q": {q}, "sort": {"latest"}})
	pageParams(&r, cursor)
	var out searchOutput
	if err := n.authed(ctx, acct, r, &out); err != nil {
		return feeds.Page{}, fmt.Errorf("bluesky search: %w", err)
	}
	page := feeds.Page{Older: out.Cursor, Posts: make([]feeds.Post, 0, len(out.Posts))}
	for _, v := range out.Posts {
		page.Posts = append(page.Posts, fromPostView(v))
	}
	page.Posts = contained(page.Posts)
	return page, nil
}

func (n *Network) notificationsPage(ctx context.Context, acct accounts.Account, cursor string) (feeds.Page, error) {
	r := query("app.bsky.notification.listNotifications", nil)
	pageParams(&r, cursor)
	var out notificationsOutput
	if err := n.authed(ctx, acct, r, &out); err != nil {
		return feeds.Page{}, fmt.Errorf("bluesky notifications: %w", err)
	}
	posts, err := n.hydrate(ctx, acct, notificationSubjects(out.Notifications))
	if err != nil {
		return feeds.Page{}, fmt.Errorf("bluesky notifications: %w", err)
	}
	page := feeds.Page{Older: out.Cursor, Posts: make([]feeds.Post, 0, len(out.Notifications))}
	for _, nt := range out.Notifications {
		page.Posts = append(page.Posts, fromNotification(nt, posts))
	}
	page.Posts = contained(page.Posts)
	return page, nil
}

// notificationSubjects lists the posts worth showing with notifications:
// the notifying post itself, or the post liked or reposted.
func notificationSubjects(nts []notification) []string {
	var uris []string
	seen := map[string]bool{}
	for _, nt := range nts {
		uri := nt.ReasonSubject
		if isPostReason(nt.Reason) {
			uri = nt.URI
		}
		if u, err := syntax.ParseATURI(uri); err == nil && u.Collection().String() == collPost && !seen[uri] {
			seen[uri] = true
			uris = append(uris, uri)
		}
	}
	return uris
}

// hydrate fetches post views of uris with getPosts, by batches. Posts the
// network no longer has are simply missing from the result.
func (n *Network) hydrate(ctx context.Context, acct accounts.Account, uris []string) (map[string]postView, error) {
	views := make(map[string]postView, len(uris))
	for start := 0; start < len(uris); start += getPostsMax {
		batch := uris[start:min(start+getPostsMax, len(uris))]
		var out postsOutput
		if err := n.authed(ctx, acct, query("app.bsky.feed.getPosts", url.Values{"uris": batch}), &out); err != nil {
			return nil, err
		}
		for _, v := range out.Posts {
			views[v.URI] = v
		}
	}
	return views, nil
}

// getPost returns the view of one post.
func (n *Network) getPost(ctx context.Context, acct accounts.Account, uri string) (postView, error) {
	if _, err := syntax.ParseATURI(uri); err != nil {
		return postView{}, fmt.Errorf("bluesky post %q: %w", uri, feeds.ErrRejected)
	}
	views, err := n.hydrate(ctx, acct, []string{uri})
	if err != nil {
		return postView{}, fmt.Errorf("bluesky post %s: %w", uri, err)
	}
	v, ok := views[uri]
	if !ok || v.CID == "" {
		return postView{}, fmt.Errorf("bluesky post %s: not found: %w", uri, feeds.ErrRejected)
	}
	return v, nil
}

func pageParams(r *request, cursor string) {
	if r.params == nil {
		r.params = url.Values{}
	}
	r.params.Set("limit", strconv.Itoa(pageSize))
	if cursor != "" {
		r.params.Set("cursor", cursor)
	}
}
