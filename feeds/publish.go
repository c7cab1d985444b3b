package feeds

import (
	"context"
	"time"

	"chancery/accounts"
)

// SignIn is implemented by networks whose accounts need credentials.
type SignIn interface {
	// SignIn checks secret against acct's server (acct carries Mission,
	// Network, Server and, where the user gave one, Handle). It returns the
	// account completed from what the server says (handle, display name,
	// normalised server) and the secret to keep in the SecretStore, which
	// may differ from the one given (a session, an encoded token set).
	SignIn(ctx context.Context, acct accounts.Account, secret string) (accounts.Account, string, error)
}

// Outgoing is one post to publish on one account.
type Outgoing struct {
	Text           string
	Lang           string
	ReplyTo        string // remote id of the post replied to, if any
	ContentWarning string
	// IdempotencyKey is stable across retries of the same outbox entry; a
	// network uses it so that a retry never publishes twice.
	IdempotencyKey string
	Media          []OutgoingMedia
	// Visibility is who may see the post where the network has the notion
	// (Mastodon: public, unlisted, private, direct); empty means public.
	Visibility string
}

// OutgoingMedia is an image (or other file) to attach, with its alt text.
type OutgoingMedia struct {
	Name string // file name, for the upload
	MIME string
	Data []byte
	Alt  string
}

// Published is what a network says about a post it accepted.
type Published struct {
	RemoteID string
	URL      string
}

// Publisher is implemented by networks that can post.
type Publisher interface {
	// Publish posts out on acct. Retrying with the same IdempotencyKey after
	// an unknown outcome must not create a second post.
	Publish(ctx context.Context, acct accounts.Account, out Outgoing) (Published, error)
	// Length counts text as the network counts it for acct (its server's
	// rules where they vary) and returns the limit it is counted against.
	Length(acct accounts.Account, text string) (used, limit int)
}

// Finder is implemented by networks that can tell whether a post whose
// publishing ended with an unknown outcome is on the account after all. A
// post in that state is never sent again before the check said it is not
// there, whatever an idempotency key promises: several servers ignore
// keys, and keys expire.
type Finder interface {
	// FindPublished returns acct's post made from out (the same text,
	// content warning, reply and language as the server stored them, or
	// the record out's IdempotencyKey names) published since since, and
	// whether there is one. An error means it could not tell.
	FindPublished(ctx context.Context, acct accounts.Account, out Outgoing, since time.Time) (Published, bool, error)
}
