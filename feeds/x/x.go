// Package x is the client of the X API v2: sign-in with OAuth 2.0 and PKCE
// through a loopback redirect, with the mission's own developer app (client
// id, optional client secret) and offline.access, so that the two-hour
// access token is refreshed by itself; the account's own posts and its
// mentions with pagination tokens; reply, like, repost, delete; publishing
// with images through the chunked media upload and alt text.
//
// X bills reads and writes per call. Every call is counted per account and
// month in the StateStore (never a secret there) and priced with
// configurable per-call estimates (see Prices); reading stops when the
// month's budget set by the user is reached (feeds.ErrBudgetReached),
// publishing never does. X is refreshed less often than other networks
// (feeds.Paced).
//
// Every request goes through feeds.Do with a per-call timeout and the
// feeds.MaxBody cap; X's problem JSON (title, detail, type) is kept as a
// *Problem in the error chain so that the user reads X's reason. Tokens
// travel only in the Authorization header and the token request, and are
// scrubbed from every error.
package x

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// MaxLength is X's limit for a post, in weighted units / 100.
const MaxLength = 280

// pageSize is how many posts are asked for per page (the timelines'
// maximum is 100; 20 keeps the cost of a refresh low).
const pageSize = 20

// DefaultServer is X's API address.
const DefaultServer = "https://api.x.com"

// Network is the X client. It is safe for concurrent use.
type Network struct {
	secrets    accounts.SecretStore
	state      feeds.StateStore
	client     *http.Client
	now        func() time.Time
	timeout    time.Duration
	upload     time.Duration
	poll       time.Duration
	chunk      int
	prices     Prices
	minRefresh time.Duration

	holds   feeds.Holds            // account|endpoint → no requests before
	mu      sync.Mutex             // guards refresh
	refresh map[string]*sync.Mutex // account → serialises token refreshes
	usageMu sync.Mutex             // serialises usage read-modify-write
}

var (
	_ feeds.Network   = (*Network)(nil)
	_ feeds.SignIn    = (*Network)(nil)
	_ feeds.Publisher = (*Network)(nil)
	_ feeds.Pager     = (*Network)(nil)
	_ feeds.Actor     = (*Network)(nil)
	_ feeds.Finder    = (*Network)(nil)
	_ feeds.Budgeted  = (*Network)(nil)
	_ feeds.Paced     = (*Network)(nil)

	_ feeds.WarningCounter = (*Network)(nil)
)

// Option configures a Network.
type Option func(*Network)

// WithHTTPClient sets the HTTP client.
func WithHTTPClient(c *http.Client) Option { return func(n *Network) { n.client = c } }

// WithClock sets the clock (token expiry, rate limits, months of usage).
func WithClock(now func() time.Time) Option { return func(n *Network) { n.now = now } }

// WithTimeout sets the time limit of one API call (default 20 s).
func WithTimeout(d time.Duration) Option { return func(n *Network) { n.timeout = d } }

// WithUploadTimeout sets the time limit of one media upload, processing
// included (default 2 min).
func WithUploadTimeout(d time.Duration) Option { return func(n *Network) { n.upload = d } }

// WithPollInterval sets the longest wait between two media status checks
// (default 10 s); X's check_after_secs is followed when shorter.
func WithPollInterval(d time.Duration) Option { return func(n *Network) { n.poll = d } }

// WithChunkSize sets the size of one APPEND segment (default 1 MiB).
func WithChunkSize(size int) Option { return func(n *Network) { n.chunk = size } }

// WithPrices sets the per-call price estimates (default DefaultPrices).
func WithPrices(p Prices) Option { return func(n *Network) { n.prices = p } }

// WithMinRefresh sets how long a refresh not asked for by the user leaves
// an X timeline alone after the last one (default 15 min).
func WithMinRefresh(d time.Duration) Option { return func(n *Network) { n.minRefresh = d } }

// New returns an X client reading token sets from secrets (and writing back
// the refreshed ones) and keeping usage and small state in state (which may
// be nil: nothing is counted, no budget applies).
func New(secrets accounts.SecretStore, state feeds.StateStore, opts ...Option) *Network {
	n := &Network{
		secrets: secrets, state: state,
		client: &http.Client{CheckRedirect: checkRedirect},
		now:    time.Now, timeout: 20 * time.Second, upload: 2 * time.Minute, poll: 10 * time.Second,
		chunk: 1 << 20, prices: DefaultPrices(), minRefresh: 15 * time.Minute,
		refresh: map[string]*sync.Mutex{},
	}
	for _, o := range opts {
		o(n)
	}
	n.client = withProblemCapture(n.client)
	return n
}

// checkRedirect follows at most five redirects, never to plain http on a
// host that is not loopback.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return http.ErrUseLastResponse
	}
	_, err := feeds.ServerURL(req.URL.Scheme + "://" + req.URL.Host)
	return err
}

// ID returns accounts.X.
func (n *Network) ID() accounts.Network { return accounts.X }

// Capabilities declares own posts and mentions, posting, replying,
// reposting, liking and images, and X's length limit; a content warning,
// which X does not have, is written above the text and counts with it.
func (n *Network) Capabilities() feeds.Capabilities {
	return feeds.Capabilities{
		Kinds: []feeds.Kind{feeds.Own, feeds.Mentions},
		Post:  true, Reply: true, Boost: true, Like: true, Media: true,
		MaxLength: MaxLength, WarningCounts: true,
		Images: feeds.MediaLimits{
			MaxImages: 4, MaxBytes: 5 << 20,
			Types: []string{"image/jpeg", "image/png", "image/gif", "image/webp"},
		},
	}
}

// MinRefresh is the pace of refreshes not asked for by the user.
func (n *Network) MinRefresh() time.Duration { return n.minRefresh }

// loadState decodes the JSON kept under key into v; it reports whether
// there was a value.
func (n *Network) loadState(accountID, key string, v any) bool {
	if n.state == nil || accountID == "" {
		return false
	}
	b, err := n.state.NetState(accountID, key)
	if err != nil || len(b) == 0 {
		return false
	}
	return json.Unmarshal(b, v) == nil
}

// saveState keeps v under key.
func (n *Network) saveState(accountID, key string, v any) error {
	if n.state == nil || accountID == "" {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return n.state.SetNetState(accountID, key, b)
}

// withTimeout bounds ctx by d.
func withTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}
