// Package facebook is the client of a Facebook Page through the Graph API:
// sign-in with a user access token exchanged for the Page's own token, the
// Page's posts and the comments on them, replies to comments, likes, and
// publishing text and photos with alt text, at once or scheduled on
// Facebook's side with scheduled_publish_time.
//
// Every request goes through feeds.Do with a per-call timeout and the
// feeds.MaxBody cap. The token travels only in the Authorization header,
// never in an address; Graph's paging.next addresses, which carry the
// token, are never kept: cursors hold only paging parameters.
//
// # Server
//
// An account's Server is the versioned base of the Graph API
// (DefaultServer); an address without a version ("https://graph.facebook.com")
// gets DefaultVersion.
//
// # Post identity
//
// A Post's ID is the Graph id of the object: "PAGEID_POSTID" for a Page
// post, "POSTID_COMMENTID" for a comment. Act and Publish (ReplyTo) take
// either; a reply to either is a comment on it.
//
// # Errors
//
// Graph answers errors as {"error":{"message","type","code",
// "error_subcode","fbtrace_id"}}. A GraphError keeps them and the
// classification feeds.Classify reads: code 190 (and 102) an expired or
// revoked token (feeds.ErrUnauthorized), 4, 17, 32, 613 and 80001 rate
// limits (feeds.ErrRateLimited, with the wait the usage headers announce),
// 10 and 200–299 a missing permission, named (feeds.ErrRejected).
package facebook

import (
	"net/http"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// DefaultVersion is the Graph API version used when a server address names
// none.
const DefaultVersion = "v21.0"

// DefaultServer is the Graph API's address.
const DefaultServer = "https://graph.facebook.com/" + DefaultVersion

// MaxLength is the length of a Facebook post's text, in characters.
const MaxLength = 63206

// pageSize is the number of posts asked for per page.
const pageSize = 25

// Network is the Facebook Pages client. It is safe for concurrent use.
type Network struct {
	secrets accounts.SecretStore
	client  *http.Client
	now     func() time.Time
	timeout time.Duration // per call
	upload  time.Duration // per photo upload

	holds feeds.Holds // account → no requests before
}

var (
	_ feeds.Network        = (*Network)(nil)
	_ feeds.SignIn         = (*Network)(nil)
	_ feeds.Publisher      = (*Network)(nil)
	_ feeds.Pager          = (*Network)(nil)
	_ feeds.Actor          = (*Network)(nil)
	_ feeds.Finder         = (*Network)(nil)
	_ feeds.Scheduler      = (*Network)(nil)
	_ feeds.WarningCounter = (*Network)(nil)
)

// Option configures a Network.
type Option func(*Network)

// WithHTTPClient sets the HTTP client (default: one that refuses redirects
// to plain http on other than loopback hosts).
func WithHTTPClient(c *http.Client) Option { return func(n *Network) { n.client = c } }

// WithClock sets the clock used for scheduling windows and rate limits.
func WithClock(now func() time.Time) Option { return func(n *Network) { n.now = now } }

// WithTimeout sets the time limit of one API call (default 20 s).
func WithTimeout(d time.Duration) Option { return func(n *Network) { n.timeout = d } }

// WithUploadTimeout sets the time limit of one photo upload (default 2 min).
func WithUploadTimeout(d time.Duration) Option { return func(n *Network) { n.upload = d } }

// New returns a Facebook client reading Page tokens from secrets.
func New(secrets accounts.SecretStore, opts ...Option) *Network {
	n := &Network{
		secrets: secrets,
		client:  &http.Client{CheckRedirect: checkRedirect},
		now:     time.Now,
		timeout: 20 * time.Second,
		upload:  2 * time.Minute,
	}
	for _, o := range opts {
		o(n)
	}
	n.client = capturing(n.client)
	return n
}

// checkRedirect follows at most five redirects and never to plain http on a
// host that is not loopback.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return http.ErrUseLastResponse
	}
	if _, err := feeds.ServerURL(req.URL.Scheme + "://" + req.URL.Host); err != nil {
		return err
	}
	return nil
}

// ID returns accounts.Facebook.
func (n *Network) ID() accounts.Network { return accounts.Facebook }

// Capabilities declares the Page's own posts (the main timeline) and the
// comments on them (mentions), replies (comments), likes, photos with alt
// text, Facebook's length, and scheduling on Facebook's side. Facebook has
// no repost a Page can make through the API.
func (n *Network) Capabilities() feeds.Capabilities {
	return feeds.Capabilities{
		Kinds: []feeds.Kind{feeds.Own, feeds.Mentions},
		Post:  true, Reply: true, Like: true, Media: true,
		MaxLength:        MaxLength,
		Images:           imageLimits,
		WarningCounts:    true,
		ServerScheduling: true,
	}
}

// imageLimits are what the Graph API takes of a Page photo: JPEG, PNG,
// GIF, BMP or TIFF up to 4 MB (PNG under 1 MB is advised), and up to 10
// photos attached to one post.
var imageLimits = feeds.MediaLimits{
	MaxImages: 10,
	MaxBytes:  4 << 20,
	Types:     []string{"image/jpeg", "image/png", "image/gif", "image/bmp", "image/tiff"},
}
