package mastodon

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

var _ feeds.Finder = (*Network)(nil)

// clockSlack allows for the server's clock being a little behind ours.
const clockSlack = 2 * time.Minute

// findPages bounds how many pages of the account's statuses are read when
// looking for a post: the post was tried recently, so it is near the top.
const findPages = 5

// statusSource is GET /api/v1/statuses/:id/source: the text and content
// warning of one of the account's own statuses as they were written.
type statusSource struct {
	ID          flexID `json:"id"`
	Text        string `json:"text"`
	SpoilerText string `json:"spoiler_text"`
}

// FindPublished looks among acct's own statuses created since since for
// the one out would have made: same reply-to status and language, and the
// same text and content warning as the server stored them (the status
// source, GET /api/v1/statuses/:id/source; on servers without that
// endpoint, the rendered content with mentions, links and spacing
// normalised). Several Mastodon-API servers ignore Idempotency-Key and
// Mastodon forgets keys after an hour: this check, not the key, decides
// whether a post whose outcome was unknown is sent again.
func (n *Network) FindPublished(ctx context.Context, acct accounts.Account, out feeds.Outgoing, since time.Time) (feeds.Published, bool, error) {
	s, err := n.session(acct)
	if err != nil {
		return feeds.Published{}, false, err
	}
	own, err := n.ownID(ctx, acct, s)
	if err != nil {
		return feeds.Published{}, false, fmt.Errorf("mastodon: find published: %w", err)
	}
	q := url.Values{"limit": {strconv.Itoa(pageSize)}, "exclude_reblogs": {"true"}}
	for range findPages {
		var list []status
		h, err := s.getJSON(ctx, &list, q, "api", "v1", "accounts", own, "statuses")
		if err != nil {
			return feeds.Published{}, false, fmt.Errorf("mastodon: find published: %w", err)
		}
		pub, found, done, err := n.match(ctx, s, list, out, since.Add(-clockSlack))
		if err != nil || found || done {
			return pub, found, err
		}
		last := ""
		if len(list) > 0 {
			last = string(list[len(list)-1].ID)
		}
		next := older(h, len(list), last)
		if next == "" {
			break
		}
		q.Set("max_id", next)
	}
	return feeds.Published{}, false, nil
}

// match looks through one page, newest first, for out; done is set once
// the page reaches statuses older than since.
func (n *Network) match(ctx context.Context, s *session, list []status, out feeds.Outgoing, since time.Time) (pub feeds.Published, found, done bool, err error) {
	for _, st := range list {
		created, perr := time.Parse(time.RFC3339Nano, st.CreatedAt)
		if perr == nil && created.Before(since) {
			return feeds.Published{}, false, true, nil
		}
		if st.Reblog != nil || !sameFrame(st, out) {
			continue
		}
		ok, err := s.sameSource(ctx, st, out)
		if err != nil {
			return feeds.Published{}, false, false, err
		}
		if ok {
			return feeds.Published{RemoteID: string(st.ID), URL: webURL(st.URL, st.URI)}, true, false, nil
		}
	}
	return feeds.Published{}, false, false, nil
}

// sameFrame compares what the status entity carries as sent: the status
// replied to and the language (by its primary subtag, as servers keep
// "zh" for "zh-Hans"; a side that has none matches any).
func sameFrame(st status, out feeds.Outgoing) bool {
	if string(st.InReplyToID) != StatusID(out.ReplyTo) {
		return false
	}
	if st.Language == "" || out.Lang == "" {
		return true
	}
	return strings.EqualFold(primaryTag(st.Language), primaryTag(out.Lang))
}

func primaryTag(lang string) string {
	tag, _, _ := strings.Cut(strings.ReplaceAll(lang, "_", "-"), "-")
	return tag
}

// sameSource compares out's text and content warning with the status's
// source; when the server has no source endpoint (it refuses the call), with
// its rendered content.
func (s *session) sameSource(ctx context.Context, st status, out feeds.Outgoing) (bool, error) {
	var src statusSource
	_, err := s.getJSON(ctx, &src, nil, "api", "v1", "statuses", string(st.ID), "source")
	if err == nil {
		return normalise(src.Text) == normalise(out.Text) &&
			normalise(src.SpoilerText) == normalise(out.ContentWarning), nil
	}
	if feeds.Classify(err) != feeds.OutcomeRefused {
		return false, fmt.Errorf("mastodon: find published: %w", err)
	}
	return rendered(feeds.HTMLToText(st.Content)) == rendered(out.Text) &&
		normalise(feeds.HTMLToText(st.SpoilerText)) == normalise(out.ContentWarning), nil
}

// normalise compares texts as servers store them: line ends and runs of
// white space folded, no surrounding space.
func normalise(s string) string { return strings.Join(strings.Fields(s), " ") }

// fullMention is a mention with its server, which rendered content shows
// without the server ("@bob@social.example" → "@bob").
var fullMention = regexp.MustCompile(`(^|[^\pL\pN_])@([\pL\pN_.-]+)@[\pL\pN.-]+\.[\pL]{2,}`)

// rendered normalises text for comparison with rendered content: mentions
// without their server, links without their scheme (servers hide it), and
// folded white space.
func rendered(text string) string {
	text = fullMention.ReplaceAllString(text, "$1@$2")
	text = strings.NewReplacer("https://", "", "http://", "", "www.", "").Replace(text)
	return normalise(text)
}
