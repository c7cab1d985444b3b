package drafts

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"chancery/accounts"
	"chancery/feeds"
)

// AccountLookup finds an account by id.
type AccountLookup interface {
	Account(id string) (accounts.Account, error)
}

// NetworkPublisher publishes entries through the networks' clients and
// checks them against each network's length rules.
type NetworkPublisher struct {
	Accounts AccountLookup
	Networks feeds.Registry
}

func (p NetworkPublisher) resolve(accountID string) (accounts.Account, feeds.Publisher, error) {
	acct, err := p.Accounts.Account(accountID)
	if err != nil {
		return accounts.Account{}, nil, err
	}
	nw, err := p.Networks.Lookup(acct.Network)
	if err != nil {
		return accounts.Account{}, nil, err
	}
	pub, ok := nw.(feeds.Publisher)
	if !ok || !nw.Capabilities().Post {
		return accounts.Account{}, nil, fmt.Errorf("%s (%s): %w", accountID, acct.Network, ErrCannotPublish)
	}
	return acct, pub, nil
}

// Check implements Checker.
func (p NetworkPublisher) Check(e Entry) error {
	acct, pub, err := p.resolve(e.Account)
	if err != nil {
		return err
	}
	if used, limit := pub.Length(acct, e.Text); limit > 0 && used > limit {
		return fmt.Errorf("%d of %d characters: %w", used, limit, ErrTooLong)
	}
	if len(e.Media) > 0 && !p.Networks[acct.Network].Capabilities().Media {
		return fmt.Errorf("%s (%s): %w", e.Account, acct.Network, ErrNoMedia)
	}
	for _, m := range e.Media {
		if _, err := os.Stat(m.Path); err != nil {
			return fmt.Errorf("%s: %w: %w", m.Path, ErrAttachment, err)
		}
	}
	return nil
}

// maxAttachment caps an image file read for publishing (16 MiB); networks
// apply their own, smaller limits.
const maxAttachment = 16 << 20

// readMedia reads the entry's images, with their type and description.
func readMedia(e Entry) ([]feeds.OutgoingMedia, error) {
	var out []feeds.OutgoingMedia
	for _, m := range e.Media {
		f, err := os.Open(m.Path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w: %w", m.Path, ErrAttachment, err)
		}
		data, err := io.ReadAll(io.LimitReader(f, maxAttachment+1))
		f.Close()
		if err != nil || len(data) > maxAttachment {
			return nil, fmt.Errorf("%s: %w: %w", m.Path, ErrAttachment, cmp.Or(err, error(feeds.ErrTooLarge)))
		}
		out = append(out, feeds.OutgoingMedia{
			Name: filepath.Base(m.Path), MIME: http.DetectContentType(data), Data: data, Alt: m.Alt,
		})
	}
	return out, nil
}

// Publish implements Publisher; the entry's id is the idempotency key.
func (p NetworkPublisher) Publish(ctx context.Context, e Entry) (feeds.Published, error) {
	acct, pub, err := p.resolve(e.Account)
	if err != nil {
		return feeds.Published{}, err
	}
	media, err := readMedia(e)
	if err != nil {
		return feeds.Published{}, err
	}
	return pub.Publish(ctx, acct, feeds.Outgoing{
		Text: e.Text, Lang: e.Lang, ReplyTo: e.ReplyTo, Visibility: e.Visibility,
		ContentWarning: e.ContentWarning, IdempotencyKey: e.ID, Media: media,
	})
}

// CanPublish reports whether the account exists and its network can post.
func (p NetworkPublisher) CanPublish(accountID string) bool {
	_, _, err := p.resolve(accountID)
	return err == nil
}

// Length counts text for the account's network and returns its limit.
func (p NetworkPublisher) Length(accountID, text string) (used, limit int, err error) {
	acct, pub, err := p.resolve(accountID)
	if err != nil {
		return 0, 0, err
	}
	used, limit = pub.Length(acct, text)
	return used, limit, nil
}

// Find looks for an entry already published, on networks whose
// idempotency keys expire; on the others a retry with the same key is safe,
// so it reports nothing found.
func (p NetworkPublisher) Find(ctx context.Context, e Entry) (feeds.Published, bool, error) {
	acct, pub, err := p.resolve(e.Account)
	if err != nil {
		return feeds.Published{}, false, err
	}
	finder, ok := pub.(feeds.Finder)
	if !ok {
		return feeds.Published{}, false, nil
	}
	out := feeds.Outgoing{Text: e.Text, Lang: e.Lang, ReplyTo: e.ReplyTo, IdempotencyKey: e.ID}
	return finder.FindPublished(ctx, acct, out, e.FirstTry)
}
