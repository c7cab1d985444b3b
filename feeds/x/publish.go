package x

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"chancery/accounts"
	"chancery/feeds"
)

// createTweet is the body of POST /2/tweets.
type createTweet struct {
	Text  string        `json:"text,omitempty"`
	Reply *replySetting `json:"reply,omitempty"`
	Media *mediaSetting `json:"media,omitempty"`
}

type replySetting struct {
	InReplyToTweetID string `json:"in_reply_to_tweet_id"`
}

type mediaSetting struct {
	MediaIDs []string `json:"media_ids"`
}

// Publish posts out on acct: it uploads the images first (the chunked
// media upload, then their alt text), then creates the post with POST
// /2/tweets. X has no idempotency key: the outbox looks for the post with
// FindPublished before it sends again after an unknown outcome. Publishing
// is never stopped by the budget; its cost is counted.
func (n *Network) Publish(ctx context.Context, acct accounts.Account, out feeds.Outgoing) (feeds.Published, error) {
	if strings.TrimSpace(out.Text) == "" && len(out.Media) == 0 {
		return feeds.Published{}, fmt.Errorf("x: empty post: %w", feeds.ErrRejected)
	}
	text := compose(out)
	if used, limit := n.Length(acct, text); used > limit {
		return feeds.Published{}, fmt.Errorf("x: %d of %d characters: %w", used, limit, feeds.ErrRejected)
	}
	s, err := n.session(ctx, acct)
	if err != nil {
		return feeds.Published{}, err
	}
	body := createTweet{Text: text}
	if out.ReplyTo != "" {
		body.Reply = &replySetting{InReplyToTweetID: out.ReplyTo}
	}
	for i, m := range out.Media {
		id, err := s.upload(ctx, m)
		if err != nil {
			return feeds.Published{}, fmt.Errorf("x: image %d: %w", i+1, err)
		}
		if body.Media == nil {
			body.Media = &mediaSetting{}
		}
		body.Media.MediaIDs = append(body.Media.MediaIDs, id)
	}
	resp, _, err := s.do(ctx, call{method: http.MethodPost, path: []string{"2", "tweets"}, json: body})
	if err != nil {
		return feeds.Published{}, fmt.Errorf("x: publish: %w", err)
	}
	price := n.prices.Create
	if links.MatchString(text) {
		price = n.prices.CreateWithURL
	}
	n.charge(acct.ID, false, price)
	var ans struct {
		Data struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		} `json:"data"`
	}
	if err := decode(resp, "2/tweets", &ans); err != nil {
		return feeds.Published{}, fmt.Errorf("x: publish: %w: %w", feeds.ErrOutcomeUnknown, err)
	}
	if ans.Data.ID == "" {
		return feeds.Published{}, fmt.Errorf("x: publish: answer without id: %w: %w", feeds.ErrOutcomeUnknown, feeds.ErrBadResponse)
	}
	return feeds.Published{RemoteID: ans.Data.ID, URL: statusURL(n.ownName(acct), ans.Data.ID)}, nil
}

// warningMark starts the first line of a post that carries a content
// warning: X has none, so the warning is written above the text.
const warningMark = "⚠ "

// compose is the text X is sent for out.
func compose(out feeds.Outgoing) string {
	if w := strings.TrimSpace(out.ContentWarning); w != "" {
		return warningMark + w + "\n\n" + out.Text
	}
	return out.Text
}

// WarningLength is what a content warning adds to the count: it is written
// above the text.
func (n *Network) WarningLength(_ accounts.Account, warning string) int {
	if strings.TrimSpace(warning) == "" {
		return 0
	}
	return WeightedLength(warningMark + strings.TrimSpace(warning) + "\n\n")
}
