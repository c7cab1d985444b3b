package facebook

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// clockSlack allows for Facebook's clock being a little behind ours.
const clockSlack = 2 * time.Minute

// findPages bounds how many pages are read when looking for a post: it was
// tried recently, so it is near the top.
const findPages = 4

// FindPublished looks for what out would have made since since: among the
// Page's published posts (GET /{page-id}/published_posts), or, for a
// reply, among the comments on out.ReplyTo (GET /{id}/comments), one by
// the Page with the same message. Graph has no idempotency key: this
// check is what keeps a lost answer from making a second post.
func (n *Network) FindPublished(ctx context.Context, acct accounts.Account, out feeds.Outgoing, since time.Time) (feeds.Published, bool, error) {
	s, err := n.session(acct)
	if err != nil {
		return feeds.Published{}, false, err
	}
	since = since.Add(-clockSlack)
	want := normalise(compose(out))
	q := url.Values{"limit": {strconv.Itoa(pageSize)}}
	var c call
	if out.ReplyTo != "" {
		if !validID(out.ReplyTo) {
			return feeds.Published{}, false, fmt.Errorf("facebook: find reply to %q: %w", out.ReplyTo, feeds.ErrRejected)
		}
		q.Set("fields", "id,message,created_time,from{id}")
		q.Set("order", "reverse_chronological")
		c = call{path: []string{out.ReplyTo, "comments"}, query: q, perm: "pages_read_user_content"}
	} else {
		q.Set("fields", "id,message,created_time,from{id}")
		c = call{path: []string{s.page, "published_posts"}, query: q, perm: "pages_read_engagement"}
	}
	for range findPages {
		var list struct {
			Data   []commentNode `json:"data"`
			Paging paging        `json:"paging"`
		}
		if err := s.getJSON(ctx, c, &list); err != nil {
			return feeds.Published{}, false, fmt.Errorf("facebook: find published: %w", err)
		}
		older := false // whether this page reached posts made before since
		for _, item := range list.Data {
			// An older item is skipped, not taken as the end: a pinned
			// post can come first whatever its age.
			created := graphTime(item.CreatedTime)
			if !created.IsZero() && created.Before(since) {
				older = true
				continue
			}
			if normalise(item.Message) != want || (item.From.ID != "" && item.From.ID != s.page) {
				continue
			}
			if out.ReplyTo != "" {
				return feeds.Published{RemoteID: item.ID}, true, nil
			}
			return feeds.Published{RemoteID: item.ID, URL: postURL(item.ID)}, true, nil
		}
		next := list.Paging.older()
		if next == "" || len(list.Data) == 0 || (older && lastBefore(list.Data, since)) {
			break
		}
		if err := applyCursor(c.query, next); err != nil {
			return feeds.Published{}, false, err
		}
	}
	return feeds.Published{}, false, nil
}

// normalise compares texts as Graph stores them: line ends and runs of
// white space folded, no surrounding space.
func normalise(s string) string { return strings.Join(strings.Fields(s), " ") }

// lastBefore reports whether the last item of a page, the oldest, was
// made before since: the pages after it hold nothing newer.
func lastBefore(items []commentNode, since time.Time) bool {
	t := graphTime(items[len(items)-1].CreatedTime)
	return !t.IsZero() && t.Before(since)
}
