package facebook

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// Fields asked for, per the Graph reference of Page posts and comments.
const (
	postFields = "id,message,story,created_time,permalink_url,from{id,name}," +
		"attachments{media_type,media,url,subattachments}," +
		"shares,comments.summary(true).limit(0),reactions.summary(true).limit(0)"
	commentFields = "id,message,created_time,permalink_url,from{id,name},parent{id}," +
		"like_count,comment_count,user_likes,attachment"
	// mentionFields asks, per recent post, for its newest comments and
	// replies to comments.
	mentionFields = "id,message,created_time,permalink_url," +
		"comments.filter(stream).order(reverse_chronological).limit(50){" + commentFields + "}"
	// mentionPosts is how many recent posts a page of comments covers.
	mentionPosts = 10
)

// pagingKeys are the query parameters of Graph's paging addresses that a
// cursor keeps: never the access token they also carry.
var pagingKeys = []string{"after", "until", "since", "__paging_token"}

// paging is Graph's pagination object.
type paging struct {
	Cursors struct {
		Before string `json:"before"`
		After  string `json:"after"`
	} `json:"cursors"`
	Next     string `json:"next"`
	Previous string `json:"previous"`
}

// older returns the cursor of the next, older page: the after cursor, or
// the paging parameters of the next address; empty at the end.
func (p paging) older() string {
	if p.Next == "" {
		return ""
	}
	if p.Cursors.After != "" {
		return url.Values{"after": {p.Cursors.After}}.Encode()
	}
	u, err := url.Parse(p.Next)
	if err != nil {
		return ""
	}
	keep := url.Values{}
	for _, k := range pagingKeys {
		if v := u.Query().Get(k); v != "" {
			keep.Set(k, v)
		}
	}
	return keep.Encode()
}

// applyCursor adds the paging parameters of cursor to q.
func applyCursor(q url.Values, cursor string) error {
	if cursor == "" {
		return nil
	}
	vals, err := url.ParseQuery(cursor)
	if err != nil {
		return fmt.Errorf("facebook: cursor %q: %w", cursor, feeds.ErrBadKind)
	}
	for _, k := range pagingKeys {
		if v := vals.Get(k); v != "" {
			q.Set(k, v)
		}
	}
	return nil
}

// Fetch returns the newest page of kind: the Page's own posts, or the
// comments on its recent posts (mentions).
func (n *Network) Fetch(ctx context.Context, acct accounts.Account, kind feeds.Kind) ([]feeds.Post, error) {
	p, err := n.FetchPage(ctx, acct, kind, "")
	return p.Posts, err
}

// FetchPage returns the page of kind after cursor: for own, a page of
// GET /{page-id}/published_posts; for mentions, the newest comments and
// replies (others', not the Page's own) on a page of recent posts.
func (n *Network) FetchPage(ctx context.Context, acct accounts.Account, kind feeds.Kind, cursor string) (feeds.Page, error) {
	if kind != feeds.Own && kind != feeds.Mentions {
		return feeds.Page{}, fmt.Errorf("facebook: timeline %q: %w", kind, feeds.ErrUnsupported)
	}
	s, err := n.session(acct)
	if err != nil {
		return feeds.Page{}, err
	}
	q := url.Values{"fields": {postFields}, "limit": {strconv.Itoa(pageSize)}}
	perm := "pages_read_engagement"
	if kind == feeds.Mentions {
		q.Set("fields", mentionFields)
		q.Set("limit", strconv.Itoa(mentionPosts))
		perm = "pages_read_user_content"
	}
	if err := applyCursor(q, cursor); err != nil {
		return feeds.Page{}, err
	}
	var list struct {
		Data   []postNode `json:"data"`
		Paging paging     `json:"paging"`
	}
	c := call{path: []string{s.page, "published_posts"}, query: q, perm: perm}
	if err := s.getJSON(ctx, c, &list); err != nil {
		return feeds.Page{}, fmt.Errorf("facebook: %s: %w", kind, err)
	}
	var posts []feeds.Post
	if kind == feeds.Own {
		for _, p := range list.Data {
			posts = append(posts, p.post(acct))
		}
	} else {
		posts = comments(acct, s.page, list.Data)
	}
	return feeds.Page{Posts: posts, Older: list.Paging.older()}, nil
}

// comments are the comments on posts, newest first, without the Page's
// own.
func comments(acct accounts.Account, page string, posts []postNode) []feeds.Post {
	var out []feeds.Post
	for _, p := range posts {
		for _, c := range p.Comments.Data {
			if c.From.ID == page || c.ID == "" {
				continue
			}
			out = append(out, c.post(acct, p.ID))
		}
	}
	slices.SortStableFunc(out, func(a, b feeds.Post) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return out
}

// graphTime parses Graph's times ("2026-12-02T10:00:00+0000").
func graphTime(s string) time.Time {
	for _, layout := range []string{"2006-01-02T15:04:05-0700", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// author is a post's or comment's from field.
type author struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// name is who wrote it, as shown: Graph hides the commenter from apps
// without the permission to see them.
func (a author) name(acct accounts.Account) string {
	if a.ID == acct.Handle {
		return cmp.Or(acct.DisplayName, a.Name, acct.Handle)
	}
	return cmp.Or(a.Name, a.ID)
}
