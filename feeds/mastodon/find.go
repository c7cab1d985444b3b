package mastodon

import (
	"context"
	"strings"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

var _ feeds.Finder = (*Network)(nil)

// clockSlack allows for the server's clock being a little behind ours.
const clockSlack = 2 * time.Minute

// FindPublished looks among acct's own newest statuses for one with out's
// text created since since. Mastodon forgets idempotency keys after about an
// hour; this is how a post whose outcome was unknown for longer is not
// published twice.
func (n *Network) FindPublished(ctx context.Context, acct accounts.Account, out feeds.Outgoing, since time.Time) (feeds.Published, bool, error) {
	page, err := n.FetchPage(ctx, acct, feeds.Own, "")
	if err != nil {
		return feeds.Published{}, false, err
	}
	want := normalise(out.Text)
	for _, p := range page.Posts {
		if p.RepostedBy != "" || p.CreatedAt.Before(since.Add(-clockSlack)) {
			continue
		}
		if normalise(p.Text) == want {
			return feeds.Published{RemoteID: StatusID(p.ID), URL: p.URL}, true, nil
		}
	}
	return feeds.Published{}, false, nil
}

// normalise compares texts as the server gives them back: white space
// folded, no surrounding space.
func normalise(s string) string { return strings.Join(strings.Fields(s), " ") }
