package demo

import (
	"context"
	"fmt"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

var _ feeds.Reacher = (*Network)(nil)

// historyStep and historyLength shape the audience history the demo
// returns: a figure every 6 hours over the last week, so that a fresh
// profile has a week of Reach to show.
const (
	historyStep   = 6 * time.Hour
	historyLength = 7 * 24 * time.Hour
)

// Audience returns a week of the mission's audience, one figure every six
// hours (on six-hour boundaries, so every refresh returns the same times),
// and the figure now. The figures are generated from the sample data and
// nothing else: each own post brings followers in proportion to its
// reposts and likes from the moment it was published, following counts
// the other authors of the home timeline, and the number of posts grows
// with each own post.
func (n *Network) Audience(ctx context.Context, acct accounts.Account) ([]feeds.Audience, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	tls, err := n.load()
	if err != nil {
		return nil, fmt.Errorf("demo data: %w: %w", feeds.ErrBadResponse, err)
	}
	tl := tls[acct.Mission]
	anchor := acct.CreatedAt.UTC()
	if acct.CreatedAt.IsZero() {
		anchor = n.anchor
	}
	mine, err := n.published(acct.ID)
	if err != nil {
		return nil, err
	}
	gen := newAudienceGen(tl, acct, anchor, mine)
	now := n.now().UTC()
	var out []feeds.Audience
	for t := now.Truncate(historyStep).Add(-historyLength); t.Before(now); t = t.Add(historyStep) {
		out = append(out, gen.at(t))
	}
	return append(out, gen.at(now)), nil
}

// audienceGen computes the demo audience at any time.
type audienceGen struct {
	base, following int
	own             []feeds.Post
}

func newAudienceGen(tl timeline, acct accounts.Account, anchor time.Time, mine []publishedPost) audienceGen {
	g := audienceGen{base: 1500}
	others := map[string]bool{}
	for _, p := range tl.Posts {
		if p.AuthorHandle == tl.Handle {
			g.own = append(g.own, p.post(acct, anchor))
			continue
		}
		others[p.AuthorHandle] = true
		g.base += p.Counts.Likes + p.Counts.Reposts
	}
	for _, p := range mine {
		g.own = append(g.own, p.Post)
	}
	g.following = 120 + len(others)
	return g
}

func (g audienceGen) at(t time.Time) feeds.Audience {
	a := feeds.Audience{At: t, Followers: g.base, Following: g.following, Posts: 640}
	for _, p := range g.own {
		if p.CreatedAt.After(t) {
			continue
		}
		a.Posts++
		a.Followers += p.Counts.Reposts/2 + p.Counts.Likes/5
	}
	return a
}

// Own reports whether p is a post of acct's mission's own handle in the
// sample data, or one acct published.
func (n *Network) Own(acct accounts.Account, p feeds.Post) bool {
	if feeds.SameHandle(p.AuthorHandle, acct.Handle) {
		return true
	}
	tls, err := n.load()
	if err != nil {
		return false
	}
	tl, ok := tls[acct.Mission]
	return ok && p.AuthorHandle == tl.Handle
}
