package x

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"chancery/accounts"
	"chancery/feeds"
)

// Fields and expansions asked for with every timeline page.
const (
	tweetFields = "created_at,lang,public_metrics,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,attachments,possibly_sensitive,note_tweet,entities"
	expansions  = "author_id,attachments.media_keys,referenced_tweets.id,referenced_tweets.id.author_id,in_reply_to_user_id"
	userFields  = "name,username,profile_image_url"
	mediaFields = "url,preview_image_url,alt_text,type"
)

// Fetch returns the newest page of kind (own posts, mentions).
func (n *Network) Fetch(ctx context.Context, acct accounts.Account, kind feeds.Kind) ([]feeds.Post, error) {
	p, err := n.FetchPage(ctx, acct, kind, "")
	return p.Posts, err
}

// FetchPage returns the page of kind after cursor (X's pagination token;
// the newest page for an empty cursor). It refuses with
// feeds.ErrBudgetReached when this month's budget is spent.
func (n *Network) FetchPage(ctx context.Context, acct accounts.Account, kind feeds.Kind, cursor string) (feeds.Page, error) {
	var endpoint string
	switch kind {
	case feeds.Own:
		endpoint = "tweets"
	case feeds.Mentions:
		endpoint = "mentions"
	default:
		return feeds.Page{}, fmt.Errorf("x: timeline %q: %w", kind, feeds.ErrUnsupported)
	}
	if err := n.checkBudget(acct); err != nil {
		return feeds.Page{}, err
	}
	s, err := n.session(ctx, acct)
	if err != nil {
		return feeds.Page{}, err
	}
	id, err := s.ownID(ctx)
	if err != nil {
		return feeds.Page{}, fmt.Errorf("x: %s: %w", kind, err)
	}
	q := pageQuery(pageSize)
	if cursor != "" {
		q.Set("pagination_token", cursor)
	}
	tl, err := s.timeline(ctx, q, id, endpoint)
	if err != nil {
		return feeds.Page{}, fmt.Errorf("x: %s: %w", kind, err)
	}
	conv := newConverter(tl.Includes)
	posts := conv.posts(tl.Data)
	for i := range posts {
		posts[i].Account, posts[i].Network = acct.ID, accounts.X
		if kind == feeds.Mentions {
			posts[i].Notification = conv.why(posts[i], id)
		}
	}
	return feeds.Page{Posts: posts, Older: tl.Meta.NextToken}, nil
}

func pageQuery(size int) url.Values {
	return url.Values{
		"max_results": {strconv.Itoa(size)}, "tweet.fields": {tweetFields}, "expansions": {expansions},
		"user.fields": {userFields}, "media.fields": {mediaFields},
	}
}

// timeline GETs one page of /2/users/:id/<endpoint> and counts its cost:
// X bills reads per post and user returned.
func (s *session) timeline(ctx context.Context, q url.Values, id, endpoint string) (timeline, error) {
	var tl timeline
	if err := s.getJSON(ctx, &tl, q, "2", "users", id, endpoint); err != nil {
		return timeline{}, err
	}
	if tl.Data == nil && len(tl.Errors) > 0 && tl.Meta.ResultCount == 0 {
		e := tl.Errors[0]
		return timeline{}, fmt.Errorf("x: %s: %s: %w", e.Title, e.Detail, feeds.ErrRejected)
	}
	p := s.n.prices
	cost := float64(len(tl.Data)+len(tl.Includes.Tweets))*p.PostRead + float64(len(tl.Includes.Users))*p.UserRead
	s.n.charge(s.acct.ID, true, cost)
	return tl, nil
}
