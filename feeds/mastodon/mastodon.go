// Package mastodon is the client of any server that speaks the Mastodon REST
// API: sign-in (OAuth with PKCE, or a pasted token), timelines, paging,
// notifications, threads, boosts and favourites, and publishing with media.
//
// Every request goes through feeds.Do with a per-call timeout and the
// feeds.MaxBody cap; the access token travels only in the Authorization
// header and is scrubbed from every error. The package is written against
// the documented API rather than github.com/mattn/go-mastodon, which cannot
// send an Idempotency-Key, reads bodies without a size cap, sleeps inside
// calls on HTTP 429 and reports errors that cannot be told apart.
//
// # Post identity
//
// A post's ID is the remote id of what the timeline holds, so ids stay
// unique within a timeline and cursors follow the server's:
//
//   - a status: its id ("110...");
//   - a boost: "WRAPPER:STATUS", the boost's own id then the boosted
//     status's id; the Post shows the boosted status, RepostedBy names the
//     booster and CreatedAt is the time of the boost (so timelines stay in
//     the order the server gives);
//   - a notification: "nNOTIFICATION:STATUS", or "nNOTIFICATION:" for a
//     follow, which has no status; CreatedAt is the notification's time and
//     Author is whoever caused it (the follower, the booster, the one who
//     favourited), Text the status involved.
//
// Act, Thread and Publish (ReplyTo) accept any of these forms and use the
// status id after the last colon; see [StatusID].
//
// # Cached state
//
// Per account the StateStore keeps the own account id ("mastodon.account")
// and the instance limits ("mastodon.instance"), refreshed at sign-in and
// when a day old.
package mastodon

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// DefaultMaxLength is the post length of a server that does not say.
const DefaultMaxLength = 500

// DefaultURLLength is what one link counts for when the server does not say.
const DefaultURLLength = 23

// pageSize is the number of items asked for per page (the statuses
// endpoints' maximum).
const pageSize = 40

// Network is the Mastodon client. It is safe for concurrent use.
type Network struct {
	secrets    accounts.SecretStore
	state      feeds.StateStore
	client     *http.Client
	now        func() time.Time
	timeout    time.Duration // per call
	upload     time.Duration // per media upload and its processing
	poll       time.Duration // first wait between media status checks
	visibility string

	holds feeds.Holds // server host → no requests before
}

var (
	_ feeds.Network   = (*Network)(nil)
	_ feeds.SignIn    = (*Network)(nil)
	_ feeds.Publisher = (*Network)(nil)
	_ feeds.Pager     = (*Network)(nil)
	_ feeds.Actor     = (*Network)(nil)
	_ feeds.Threader  = (*Network)(nil)
)

// Option configures a Network.
type Option func(*Network)

// WithHTTPClient sets the HTTP client (default: one that refuses redirects
// to plain http on other than loopback hosts).
func WithHTTPClient(c *http.Client) Option { return func(n *Network) { n.client = c } }

// WithClock sets the clock used for rate-limit windows and cache ages.
func WithClock(now func() time.Time) Option { return func(n *Network) { n.now = now } }

// WithTimeout sets the time limit of one API call (default 20 s).
func WithTimeout(d time.Duration) Option { return func(n *Network) { n.timeout = d } }

// WithUploadTimeout sets the time limit of one media upload, processing
// included (default 2 min).
func WithUploadTimeout(d time.Duration) Option { return func(n *Network) { n.upload = d } }

// WithVisibility sets the visibility of published posts: public, unlisted,
// private or direct. Empty (the default) leaves the account's preference.
func WithVisibility(v string) Option { return func(n *Network) { n.visibility = v } }

// New returns a Mastodon client reading tokens from secrets and keeping
// small per-account state in state (which may be nil: nothing is cached).
func New(secrets accounts.SecretStore, state feeds.StateStore, opts ...Option) *Network {
	n := &Network{
		secrets: secrets,
		state:   state,
		client:  &http.Client{CheckRedirect: checkRedirect},
		now:     time.Now,
		timeout: 20 * time.Second,
		upload:  2 * time.Minute,
		poll:    time.Second,
	}
	for _, o := range opts {
		o(n)
	}
	return n
}

// checkRedirect follows at most five redirects and never to plain http on a
// host that is not loopback. (net/http already drops the Authorization
// header when a redirect leaves the original host.)
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return http.ErrUseLastResponse
	}
	if _, err := feeds.ServerURL(req.URL.Scheme + "://" + req.URL.Host); err != nil {
		return err
	}
	return nil
}

// ID returns accounts.Mastodon.
func (n *Network) ID() accounts.Network { return accounts.Mastodon }

// Capabilities declares the plain timeline kinds (tag:, list: and search:
// kinds are accepted by Fetch too), posting, replying, boosting,
// favouriting and media, and the default length and image limits; the
// limits of a given account's server are Length's and MediaLimits'. The
// content warning counts toward the length (WarningLength).
func (n *Network) Capabilities() feeds.Capabilities {
	return feeds.Capabilities{
		Kinds: []feeds.Kind{feeds.Home, feeds.Mentions, feeds.Own, "tag:", "list:", "search:"},
		Post:  true, Reply: true, Boost: true, Like: true, Media: true,
		MaxLength: DefaultMaxLength, Images: defaultMediaLimits(), WarningCounts: true,
		ServerScheduling: true,
	}
}

// State keys.
const (
	stateAccount  = "mastodon.account"
	stateInstance = "mastodon.instance"
)

// loadState decodes the JSON kept under key into v; it reports whether
// there was a value.
func (n *Network) loadState(acct accounts.Account, key string, v any) bool {
	if n.state == nil || acct.ID == "" {
		return false
	}
	b, err := n.state.NetState(acct.ID, key)
	if err != nil || len(b) == 0 {
		return false
	}
	return json.Unmarshal(b, v) == nil
}

// saveState keeps v under key; failures only cost a later re-fetch.
func (n *Network) saveState(acct accounts.Account, key string, v any) {
	if n.state == nil || acct.ID == "" {
		return
	}
	if b, err := json.Marshal(v); err == nil {
		_ = n.state.SetNetState(acct.ID, key, b)
	}
}

// withTimeout bounds ctx by d.
func withTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}
