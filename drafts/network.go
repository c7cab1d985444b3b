package drafts

import (
	"context"
	"fmt"

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

// Check implements Checker: the text (with the content warning, where the
// network counts it) fits the network's length, and the images are ones
// the network can take. A refusal is a *TargetError naming the account and
// the language.
func (p NetworkPublisher) Check(e Entry) error { return p.check(e) }

// Publish implements Publisher; the entry's id is the idempotency key.
func (p NetworkPublisher) Publish(ctx context.Context, e Entry) (feeds.Published, error) {
	acct, pub, err := p.resolve(e.Account)
	if err != nil {
		return feeds.Published{}, err
	}
	media, err := p.readMedia(acct, e)
	if err != nil {
		return feeds.Published{}, err
	}
	out := outgoing(e)
	out.Media = media
	return pub.Publish(ctx, acct, out)
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

// Find implements Finder: it asks the entry's network whether the entry
// was published since its first attempt. A network that cannot tell makes
// it return ErrUncheckable.
func (p NetworkPublisher) Find(ctx context.Context, e Entry) (feeds.Published, bool, error) {
	acct, pub, err := p.resolve(e.Account)
	if err != nil {
		return feeds.Published{}, false, err
	}
	finder, ok := pub.(feeds.Finder)
	if !ok {
		return feeds.Published{}, false, fmt.Errorf("%s (%s): %w", e.Account, acct.Network, ErrUncheckable)
	}
	return finder.FindPublished(ctx, acct, outgoing(e), e.FirstTry)
}

// outgoing is what the network is given of e, without its media.
func outgoing(e Entry) feeds.Outgoing {
	return feeds.Outgoing{
		Text: e.Text, Lang: e.Lang, ReplyTo: e.ReplyTo, Visibility: e.Visibility,
		ContentWarning: e.ContentWarning, IdempotencyKey: e.ID,
	}
}
