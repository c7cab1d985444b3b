// Package bluesky is Chancery's client for Bluesky and any AT Protocol
// personal data server (PDS).
//
// Accounts sign in with a handle (or DID) and an app password. The secret
// kept in the accounts.SecretStore is a JSON session (app password, access
// and refresh tokens, DID, PDS and handle), refreshed before it expires and
// re-created from the app password when the refresh token is refused.
//
// Sessions are created and refreshed at the server the account signed in
// at (its "entryway", such as bsky.social); every other request goes to the
// account's own PDS, found in its DID document. All go through feeds.Do: bounded bodies, a timeout per call, errors classified
// with the feeds sentinels. XRPC calls are typed by hand after the lexicons
// (see lexicon.go); the official Go SDK (indigo) is used only for its
// dependency-free atproto/syntax package (handles, DIDs, AT-URIs, TIDs).
//
// Timeline kinds:
//   - home: app.bsky.feed.getTimeline
//   - mentions: app.bsky.notification.listNotifications (likes, reposts,
//     follows, mentions, replies and quotes; Post.Notification says which)
//   - own: app.bsky.feed.getAuthorFeed of the account itself
//   - search:QUERY: app.bsky.feed.searchPosts, newest first
//   - tag:NAME: searchPosts for "#NAME"
//   - feed: a custom feed (app.bsky.feed.getFeed); plain "feed" shows the
//     feed set with SetFeed, else Bluesky's Discover feed, and
//     "feed:at://…/app.bsky.feed.generator/…" shows that feed generator.
//
// A post's id is its AT-URI. A repost in a timeline gets its own id,
// "<post uri>#repost:<repost uri>", so that the post and its reposts can be
// cached side by side; Act, Thread and Outgoing.ReplyTo accept either.
package bluesky

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// Defaults of a Network.
const (
	// DefaultEntryway is where accounts sign in when they name no server,
	// and where handles are resolved before sign-in.
	DefaultEntryway = "https://bsky.social"
	// DefaultPLCDirectory resolves did:plc identifiers to DID documents.
	DefaultPLCDirectory = "https://plc.directory"
	// DiscoverFeed is the custom feed shown for the plain "feed" kind when
	// the account has not chosen one with SetFeed.
	DiscoverFeed = "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.generator/whats-hot"
	// MaxGraphemes is the length limit of a post's text.
	MaxGraphemes = 300
	// FeedPrefix starts a kind naming one custom feed by its AT-URI.
	FeedPrefix = "feed:"
	// DefaultTimeout bounds each HTTP call.
	DefaultTimeout = 30 * time.Second
)

// feedStateKey is the StateStore key of an account's chosen custom feed.
const feedStateKey = "bluesky.feed"

// Network is the Bluesky client. It implements feeds.Network, feeds.SignIn,
// feeds.Publisher, feeds.Pager, feeds.Actor and feeds.Threader, and is safe
// for concurrent use.
type Network struct {
	secrets  accounts.SecretStore
	state    feeds.StateStore
	client   *http.Client
	now      func() time.Time
	entryway string
	plc      string
	timeout  time.Duration

	mu    sync.Mutex
	slots map[string]*slot // session of each account, by account id
}

// Option configures a Network.
type Option func(*Network)

// WithHTTPClient sets the HTTP client (default: a client with no overall
// timeout; each call has its own, see WithTimeout).
func WithHTTPClient(c *http.Client) Option { return func(n *Network) { n.client = c } }

// WithClock sets the clock used to judge token expiry and date new records.
func WithClock(now func() time.Time) Option { return func(n *Network) { n.now = now } }

// WithPLCDirectory sets the base URL of the PLC directory.
func WithPLCDirectory(base string) Option {
	return func(n *Network) { n.plc = strings.TrimRight(base, "/") }
}

// WithEntryway sets the server used to sign in accounts that name none and
// to resolve their handle first.
func WithEntryway(base string) Option {
	return func(n *Network) { n.entryway = strings.TrimRight(base, "/") }
}

// WithTimeout bounds each HTTP call (default DefaultTimeout).
func WithTimeout(d time.Duration) Option { return func(n *Network) { n.timeout = d } }

// New returns a Network keeping sessions in secrets and small per-account
// settings (the chosen custom feed) in state, which may be nil.
func New(secrets accounts.SecretStore, state feeds.StateStore, opts ...Option) *Network {
	n := &Network{
		secrets:  secrets,
		state:    state,
		client:   &http.Client{},
		now:      time.Now,
		entryway: DefaultEntryway,
		plc:      DefaultPLCDirectory,
		timeout:  DefaultTimeout,
		slots:    map[string]*slot{},
	}
	for _, o := range opts {
		o(n)
	}
	return n
}

// ID returns accounts.Bluesky.
func (n *Network) ID() accounts.Network { return accounts.Bluesky }

// Capabilities declares what Bluesky accounts can do. Kinds lists the
// plain kinds and the "search:" prefix; "tag:NAME" and "feed:AT-URI" are
// accepted by Fetch too (see the package documentation).
func (n *Network) Capabilities() feeds.Capabilities {
	return feeds.Capabilities{
		Kinds:     []feeds.Kind{feeds.Home, feeds.Mentions, feeds.Own, "tag:", "search:", feeds.Feed, "feed:"},
		Post:      true,
		Reply:     true,
		Boost:     true,
		Like:      true,
		Media:     true,
		MaxLength: MaxGraphemes,
		Images:    imageLimits,
	}
}

// imageLimits follow app.bsky.embed.images: at most four images, each blob
// at most 1,000,000 bytes; the long side is kept within 2000 pixels, as
// Bluesky's own app does.
var imageLimits = feeds.MediaLimits{
	MaxImages: 4, MaxBytes: 1_000_000, MaxSide: 2000,
	Types: []string{"image/jpeg", "image/png", "image/webp"},
}

// Compile-time checks of the interfaces Network implements.
var (
	_ feeds.Network   = (*Network)(nil)
	_ feeds.SignIn    = (*Network)(nil)
	_ feeds.Publisher = (*Network)(nil)
	_ feeds.Pager     = (*Network)(nil)
	_ feeds.Actor     = (*Network)(nil)
	_ feeds.Threader  = (*Network)(nil)
)
