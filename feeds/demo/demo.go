// Package demo is the "demo" network: embedded sample timelines, one per
// default mission, so that a fresh profile shows five populated columns with
// no network at all. Nothing here is ever fetched from anywhere.
//
// # Data format
//
// data/<mission-id>.json holds one object per mission:
//
//	{
//	  "handle": "@CanadaAustria",
//	  "posts": [
//	    {"id": "v-001", "author": "Canada in Austria", "author_handle": "@CanadaAustria",
//	     "lang": "de", "text": "…", "minutes_ago": 42, "url": "https://…",
//	     "reply_to": "", "counts": {"replies": 3, "reposts": 12, "likes": 40}}
//	  ]
//	}
//
// "handle" is the mission's own account: a post belongs to the Own timeline
// when its author_handle equals it; every post belongs to Home. "id" is
// unique within the file and "reply_to", when set, names another post of the
// same file. "minutes_ago" is the post's age relative to the account's
// creation (see [Network.Fetch]). "lang" is "en", "fr" or the mission's host
// language. "url" is a permalink on the reserved demo.invalid domain. Files
// are decoded strictly: unknown fields and trailing data are errors.
package demo

import (
	"context"
	"fmt"
	"sync"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// MaxLength is the post length the demo network declares.
const MaxLength = 500

// Network serves the embedded sample timelines. It is safe for concurrent use.
type Network struct {
	anchor time.Time
	load   func() (map[string]timeline, error)
	state  feeds.StateStore // where published posts are kept; nil: no publishing
	now    func() time.Time
	mu     sync.Mutex // serialises publishing
}

var _ feeds.Network = (*Network)(nil)

// Option configures a Network.
type Option func(*Network)

// WithAnchor sets the time that minutes_ago counts back from for accounts
// whose CreatedAt is zero. The default is the time New was called, truncated
// to the minute, so such accounts still see stable times within one run.
func WithAnchor(t time.Time) Option {
	return func(n *Network) { n.anchor = t.UTC() }
}

// New returns the demo network over the embedded data.
func New(opts ...Option) *Network {
	n := &Network{
		anchor: time.Now().UTC().Truncate(time.Minute),
		load:   loadEmbedded,
		now:    time.Now,
	}
	for _, o := range opts {
		o(n)
	}
	return n
}

// ID returns accounts.Demo.
func (n *Network) ID() accounts.Network { return accounts.Demo }

// Capabilities declares the Home and Own timelines, and posting when the
// network was made WithPublishing; it cannot boost, like or upload media.
func (n *Network) Capabilities() feeds.Capabilities {
	return feeds.Capabilities{
		Kinds:     []feeds.Kind{feeds.Home, feeds.Own},
		Post:      n.state != nil,
		Reply:     n.state != nil,
		MaxLength: MaxLength,
	}
}

// Fetch returns the sample timeline of acct's mission, newest first (ties
// broken by id). Home holds every post; Own only the mission's own. Each
// post's CreatedAt is acct.CreatedAt (or the anchor, if that is zero) minus
// its minutes_ago, in UTC: stable across refreshes, and ageing naturally as
// the clock moves on. A mission without data gets an empty, non-nil slice.
// Other kinds report feeds.ErrUnsupported; unreadable embedded data reports
// feeds.ErrBadResponse. The returned slice is the caller's own.
func (n *Network) Fetch(ctx context.Context, acct accounts.Account, kind feeds.Kind) ([]feeds.Post, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if kind != feeds.Home && kind != feeds.Own {
		return nil, fmt.Errorf("demo timeline %q: %w", kind, feeds.ErrUnsupported)
	}
	tls, err := n.load()
	if err != nil {
		return nil, fmt.Errorf("demo data: %w: %w", feeds.ErrBadResponse, err)
	}
	tl, ok := tls[acct.Mission]
	if !ok {
		return n.withPublished(acct, []feeds.Post{})
	}
	anchor := acct.CreatedAt.UTC()
	if acct.CreatedAt.IsZero() {
		anchor = n.anchor
	}
	posts := make([]feeds.Post, 0, len(tl.Posts))
	for _, p := range tl.Posts {
		if kind == feeds.Own && p.AuthorHandle != tl.Handle {
			continue
		}
		posts = append(posts, p.post(acct, anchor))
	}
	return n.withPublished(acct, posts)
}

// withPublished puts acct's own published posts, newest first, before the
// sample posts.
func (n *Network) withPublished(acct accounts.Account, sample []feeds.Post) ([]feeds.Post, error) {
	mine, err := n.published(acct.ID)
	if err != nil {
		return nil, err
	}
	out := make([]feeds.Post, 0, len(mine)+len(sample))
	for i := len(mine) - 1; i >= 0; i-- {
		out = append(out, mine[i].Post)
	}
	return append(out, sample...), nil
}

// post turns a data post into a feeds.Post of acct.
func (p rawPost) post(acct accounts.Account, anchor time.Time) feeds.Post {
	return feeds.Post{
		ID:           p.ID,
		Account:      acct.ID,
		Network:      acct.Network,
		Author:       p.Author,
		AuthorHandle: p.AuthorHandle,
		Text:         p.Text,
		Lang:         p.Lang,
		CreatedAt:    anchor.Add(-time.Duration(p.MinutesAgo) * time.Minute),
		URL:          p.URL,
		ReplyTo:      p.ReplyTo,
		Counts:       p.Counts,
	}
}
