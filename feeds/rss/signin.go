package rss

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// FeedURL parses a feed address as a user types it ("example.org/feed.xml",
// "https://example.org/?feed=rss2"). Scheme and host follow feeds.ServerURL's
// rules (https assumed, plain http only for loopback hosts, no user info);
// unlike a server address, a feed address keeps its path as given (a
// trailing slash too) and its query. The fragment is dropped and the scheme
// and host are lower-cased.
func FeedURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw != "" && !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.User != nil || u.Opaque != "" {
		return nil, fmt.Errorf("%q: %w", raw, feeds.ErrBadURL)
	}
	u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	if _, err := feeds.ServerURL(u.Scheme + "://" + u.Host); err != nil {
		return nil, err
	}
	u.Fragment, u.RawFragment = "", ""
	return u, nil
}

// Probe checks that address is a feed (fetching it with client, the default
// client when nil, under this package's redirect rules and limits) and
// returns its title, or its host when it has none. It is what sign-in uses.
func Probe(ctx context.Context, client *http.Client, address string) (string, error) {
	p, err := probe(ctx, withPolicy(client), DefaultTimeout, address)
	return p.title, err
}

// probed is what probing a feed found.
type probed struct {
	title   string
	address string // the normalised address, or where it moved permanently
}

func probe(ctx context.Context, client *http.Client, timeout time.Duration, address string) (probed, error) {
	u, err := FeedURL(address)
	if err != nil {
		return probed{}, err
	}
	fctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	resp, err := get(fctx, client, u.String(), feedState{})
	if err = refusedFeed(u.String(), err); err != nil {
		return probed{}, fmt.Errorf("feed %s: %w", u, err)
	}
	feed, err := parseFeed(resp.body, resp.header.Get("Content-Type"))
	if err != nil {
		return probed{}, fmt.Errorf("feed %s: %w", u, notAFeed(u.String(), resp, err))
	}
	p := probed{title: truncate(oneLine(feeds.HTMLToText(feed.Title)), maxName), address: u.String()}
	if p.title == "" {
		p.title = u.Hostname()
	}
	if resp.permanent {
		p.address = resp.final.String()
	}
	return p, nil
}

// SignIn checks every feed address of acct (Feeds, else Server) and returns
// acct completed: Feeds normalised (a permanently moved feed under its new
// address, repeats dropped), Server the first of them, Handle and
// DisplayName the first feed's title. Feeds take no secret: a non-empty one
// is refused, and the secret returned is empty. The first address that is
// not a feed fails the whole sign-in, with an error naming it.
func (n *Network) SignIn(ctx context.Context, acct accounts.Account, secret string) (accounts.Account, string, error) {
	if strings.TrimSpace(secret) != "" {
		return acct, "", fmt.Errorf("rss feeds take no secret: %w", feeds.ErrUnsupported)
	}
	addrs := Addresses(acct)
	if len(addrs) == 0 {
		return acct, "", fmt.Errorf("no feed address: %w", feeds.ErrBadURL)
	}
	found := make([]probed, len(addrs))
	errs := make([]error, len(addrs))
	each(ctx, len(addrs), func(i int) {
		if errs[i] = ctx.Err(); errs[i] == nil {
			found[i], errs[i] = probe(ctx, n.client, n.timeout, addrs[i])
		}
	})
	for _, err := range errs {
		if err != nil {
			return acct, "", err
		}
	}
	acct.Feeds = nil
	for _, p := range found {
		if !slices.Contains(acct.Feeds, p.address) {
			acct.Feeds = append(acct.Feeds, p.address)
		}
	}
	acct.Server = acct.Feeds[0]
	acct.Handle, acct.DisplayName = found[0].title, found[0].title
	return acct, "", nil
}
