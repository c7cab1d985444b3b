// Package rss is the "rss" network: RSS 0.9x, 1.0 (RDF) and 2.0 and Atom 1.0
// feeds (and JSON Feed, which the parser also understands), read only. An
// account is a list of feed addresses (accounts.Account.Feeds, else Server);
// its one timeline, feeds.Feed, merges the items of all of them.
//
// # Fetching
//
// Every feed of an account is fetched at once, a few at a time, each with
// its own timeout and the feeds.MaxBody cap. Requests are conditional: the
// ETag and Last-Modified of each feed are remembered and sent back, and a 304
// means "nothing new" for that feed. Redirects are followed (at most five, and
// only to https or loopback http addresses); when every hop of a chain is
// permanent (301, 308) the final address is remembered and asked directly
// next time. The account's own list of addresses is never rewritten: sign in
// again to store the new address. A 429 or 5xx with Retry-After keeps the feed
// from being asked again until that time (at most a day).
//
// # Partial failure
//
// When at least one feed of an account answers (even with 304), Fetch returns
// the posts of the feeds that answered and a nil error, and records the error
// of each failing feed in the StateStore under "error:"+address (see
// [LastError]); the key is deleted once the feed works again. Only when every
// feed fails does Fetch return an error: the first one, in the account's order.
//
// # State
//
// Per account, under key "feed:"+address, a JSON record holds the feed's
// validators, its permanent new address, its retry time and the first-seen
// times of its undated items. The record is written only after a response
// was parsed, so a broken body never earns a 304 later. A nil StateStore keeps
// this state in memory for the life of the Network.
//
// # Items
//
// See [Network.Fetch] for how an item becomes a feeds.Post: its id, text,
// time, language, link and images.
package rss

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// Limits of the network.
const (
	// Parallel is how many feeds of one account are fetched at once.
	Parallel = 4
	// DefaultTimeout bounds the fetch of one feed.
	DefaultTimeout = 20 * time.Second
	// MaxRedirects is how many redirects one fetch follows.
	MaxRedirects = 5
	// MaxItems is how many items, newest first, one feed contributes.
	MaxItems = 200
)

// Network reads RSS and Atom feeds. It is safe for concurrent use.
type Network struct {
	state   feeds.StateStore
	client  *http.Client
	now     func() time.Time
	timeout time.Duration
}

var (
	_ feeds.Network = (*Network)(nil)
	_ feeds.SignIn  = (*Network)(nil)
)

// Option configures a Network.
type Option func(*Network)

// WithHTTPClient sets the client feeds are fetched with. Its CheckRedirect is
// replaced by this package's redirect policy; everything else is kept.
func WithHTTPClient(c *http.Client) Option {
	return func(n *Network) {
		if c != nil {
			n.client = c
		}
	}
}

// WithClock sets the clock that stamps first-seen times and retry times.
func WithClock(now func() time.Time) Option {
	return func(n *Network) {
		if now != nil {
			n.now = now
		}
	}
}

// WithTimeout sets how long the fetch of one feed may take (DefaultTimeout
// when d <= 0).
func WithTimeout(d time.Duration) Option {
	return func(n *Network) {
		if d > 0 {
			n.timeout = d
		}
	}
}

// New returns the RSS network keeping its per-feed state in state (in memory
// when state is nil).
func New(state feeds.StateStore, opts ...Option) *Network {
	n := &Network{state: state, client: &http.Client{}, now: time.Now, timeout: DefaultTimeout}
	for _, o := range opts {
		o(n)
	}
	if n.state == nil {
		n.state = newMemState()
	}
	n.client = withPolicy(n.client)
	return n
}

// ID returns accounts.RSS.
func (n *Network) ID() accounts.Network { return accounts.RSS }

// Capabilities declares the one Feed timeline; feeds cannot be written to.
func (n *Network) Capabilities() feeds.Capabilities {
	return feeds.Capabilities{Kinds: []feeds.Kind{feeds.Feed}}
}

// Fetch returns the items of every feed of acct as posts, newest first, at
// most MaxItems per feed, each item once (the first feed in acct's order wins).
//
// A post's ID is the item's GUID (Atom id) when it is an absolute URI (a
// permalink, urn: or tag: URI), which lets two feeds carrying the same item
// share it; any other GUID is prefixed with the feed's address and "#", as it
// is unique only within its feed. Without a GUID the ID is the item's
// absolute link, else "sha256:" and a hash of the feed address, title and
// date text (and the description when there is no title). IDs longer than
// 256 bytes are replaced by "sha256:" and their hash.
//
// CreatedAt is the item's published time, else its updated time (ignoring
// times before 1990 or more than a day ahead); an item without such a time
// gets the time it was first seen, less one second per position among such
// items in the feed so the feed's order is kept. That time is remembered in
// the feed's state, for the items of the feed's latest version, and used for
// as long as it is remembered (even if the item gains a date), so the post
// never moves.
//
// Text is the title and, after a blank line, the description (else the
// content) turned into plain text, at most MaxText runes. Author is the item's
// author, else the feed's title; AuthorHandle is the feed's host. Lang is the
// item's dc:language, else the feed's language, as a canonical BCP 47 tag
// with its region kept ("fr-ca" → "fr-CA"). URL is the item's link resolved
// against the feed's address, kept only when http(s). Media are the item's
// image enclosures and image, http(s) only, at most MaxMedia, with the title
// as alt text.
func (n *Network) Fetch(ctx context.Context, acct accounts.Account, kind feeds.Kind) ([]feeds.Post, error) {
	if kind != feeds.Feed {
		return nil, fmt.Errorf("rss %s: %w", kind, feeds.ErrUnsupported)
	}
	addrs := Addresses(acct)
	if len(addrs) == 0 {
		return nil, fmt.Errorf("account %s has no feed address: %w", acct.ID, feeds.ErrBadURL)
	}
	results := make([]result, len(addrs))
	each(ctx, len(addrs), func(i int) {
		if err := ctx.Err(); err != nil {
			results[i].err = err
			return
		}
		results[i].posts, results[i].err = n.fetchFeed(ctx, acct.ID, addrs[i])
	})
	return n.merge(ctx, acct.ID, addrs, results)
}

type result struct {
	posts []feeds.Post
	err   error
}

// merge joins the posts of the feeds that answered, newest first, dropping
// repeated ids, and records each feed's outcome. It fails only when every feed failed.
func (n *Network) merge(ctx context.Context, accountID string, addrs []string, results []result) ([]feeds.Post, error) {
	posts := []feeds.Post{}
	seen := map[string]bool{}
	var firstErr error
	worked := false
	for i, r := range results {
		n.recordError(ctx, accountID, addrs[i], r.err)
		if r.err != nil {
			firstErr = cmp.Or(firstErr, r.err)
			continue
		}
		worked = true
		for _, p := range r.posts {
			if !seen[p.ID] {
				seen[p.ID] = true
				p.Account = accountID
				posts = append(posts, p)
			}
		}
	}
	if !worked {
		return nil, firstErr
	}
	// Each feed's posts are newest first; the account's timeline is too.
	slices.SortStableFunc(posts, func(a, b feeds.Post) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return posts, nil
}

// each runs fn for every index 0..count-1, at most Parallel at once. Once
// ctx ends, those still waiting run at once: fn should check ctx first.
func each(ctx context.Context, count int, fn func(i int)) {
	sem := make(chan struct{}, Parallel)
	var wg sync.WaitGroup
	for i := range count {
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-ctx.Done():
			}
			fn(i)
		})
	}
	wg.Wait()
}

// Addresses returns the feed addresses of acct: Feeds, else Server, with
// blanks and repeats left out (as given, not normalised).
func Addresses(acct accounts.Account) []string {
	list := acct.Feeds
	if len(list) == 0 {
		list = []string{acct.Server}
	}
	out := []string{}
	seen := map[string]bool{}
	for _, a := range list {
		if a == "" || seen[a] {
			continue
		}
		seen[a] = true
		out = append(out, a)
	}
	return out
}

// errorKey is the StateStore key of a feed's last error.
func errorKey(address string) string { return "error:" + address }

// recordError stores err as the feed's last error, or deletes the one stored
// when the feed worked. The end of the caller's context (cancelled, or its
// deadline passed) is the caller's doing, not the feed's, and is not
// recorded; the feed's own time-out is. The state is best effort: a failed
// write is not reported.
func (n *Network) recordError(ctx context.Context, accountID, address string, err error) {
	callerEnded := ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded))
	if callerEnded {
		return
	}
	key := errorKey(normalised(address))
	if err != nil {
		_ = n.state.SetNetState(accountID, key, []byte(err.Error()))
	} else if old, _ := n.state.NetState(accountID, key); old != nil {
		_ = n.state.SetNetState(accountID, key, nil)
	}
}

// LastError returns the error text of the last failed fetch of the feed at
// address on account accountID, or "" when its last fetch worked.
func LastError(state feeds.StateStore, accountID, address string) (string, error) {
	v, err := state.NetState(accountID, errorKey(normalised(address)))
	if err != nil {
		return "", fmt.Errorf("last error of %s: %w", address, err)
	}
	return string(v), nil
}

// normalised returns address in its FeedURL form, or as given if invalid.
func normalised(address string) string {
	if u, err := FeedURL(address); err == nil {
		return u.String()
	}
	return address
}
