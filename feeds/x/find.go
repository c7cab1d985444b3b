package x

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// clockSlack allows for X's clock being a little behind ours.
const clockSlack = 2 * time.Minute

// findPages bounds the pages read when looking for a post.
const findPages = 3

// FindPublished looks among acct's own posts created since since (GET
// /2/users/:id/tweets with start_time) for the one out would have made:
// the same post replied to and the same text as X stores it (links
// shortened to t.co, a link to the images added at the end, a reply's
// leading mentions, HTML escapes). X has no idempotency key: this check
// decides whether a post whose outcome was unknown is sent again. It is
// part of publishing, so the budget does not stop it; its cost is counted.
func (n *Network) FindPublished(ctx context.Context, acct accounts.Account, out feeds.Outgoing, since time.Time) (feeds.Published, bool, error) {
	s, err := n.session(ctx, acct)
	if err != nil {
		return feeds.Published{}, false, err
	}
	id, err := s.ownID(ctx)
	if err != nil {
		return feeds.Published{}, false, fmt.Errorf("x: find published: %w", err)
	}
	q := url.Values{
		"max_results": {"100"}, "tweet.fields": {"created_at,referenced_tweets,note_tweet,entities"},
		"start_time": {since.Add(-clockSlack).UTC().Format(time.RFC3339)},
	}
	want := comparable(compose(out), out.ReplyTo != "")
	for range findPages {
		tl, err := s.timeline(ctx, q, id, "tweets")
		if err != nil {
			return feeds.Published{}, false, fmt.Errorf("x: find published: %w", err)
		}
		for _, t := range tl.Data {
			if ref(t, "replied_to") == out.ReplyTo && comparable(text(t), out.ReplyTo != "") == want {
				return feeds.Published{RemoteID: t.ID, URL: statusURL(n.ownName(acct), t.ID)}, true, nil
			}
		}
		if tl.Meta.NextToken == "" {
			break
		}
		q.Set("pagination_token", tl.Meta.NextToken)
	}
	return feeds.Published{}, false, nil
}

var (
	leadingMentions = regexp.MustCompile(`^(?:@\w+\s+)+`)
	trailingLinks   = regexp.MustCompile(`(?:\s*\x00)+$`)
)

// comparable is text as compared with what X stored: HTML escapes undone,
// every link one placeholder (X shortens them), links at the end dropped
// (X adds one for attached images), a reply's leading mentions dropped,
// white space folded.
func comparable(s string, reply bool) string {
	s = html.UnescapeString(s)
	s = links.ReplaceAllString(s, "\x00")
	s = strings.Join(strings.Fields(s), " ")
	if reply {
		s = leadingMentions.ReplaceAllString(s, "")
	}
	return trailingLinks.ReplaceAllString(s, "")
}
