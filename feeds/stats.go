package feeds

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"chancery/accounts"
)

// Audience is what a network says of an account's reach at one time.
type Audience struct {
	At        time.Time `json:"at"`
	Followers int       `json:"followers"`
	Following int       `json:"following"`
	Posts     int       `json:"posts"`
}

// Reacher is implemented by networks that report an account's audience.
// It is optional: a network without it (RSS) simply has no Reach figures.
type Reacher interface {
	// Audience returns acct's figures now (a zero At means the time of the
	// refresh). A network that knows earlier figures may return them too,
	// oldest first (the demo returns a week of generated history).
	Audience(ctx context.Context, acct accounts.Account) ([]Audience, error)
	// Own reports whether p, read from one of acct's timelines, was
	// published by acct itself (reposts by acct are not its own posts).
	Own(acct accounts.Account, p Post) bool
}

// PostSample is an own post's interaction counts seen at one refresh.
type PostSample struct {
	Account   string    `json:"account"`
	PostID    string    `json:"post"`
	CreatedAt time.Time `json:"created_at"` // when the post was published
	Lang      string    `json:"lang,omitempty"`
	ReplyTo   string    `json:"reply_to,omitempty"`
	At        time.Time `json:"at"` // when the counts were seen
	Counts    Counts    `json:"counts"`
}

// StatsStore keeps the Reach history. Implemented by storage.
type StatsStore interface {
	// PutAudience records an account's audience figures, skipping those
	// that come too soon after the latest kept (storage: changed figures
	// at most every 15 minutes, unchanged ones every 6 hours; one a day
	// past 90 days; none past two years).
	PutAudience(accountID string, figures []Audience) error
	// PutPostSamples records own posts' counts, each only when it differs
	// from the post's latest sample; each post's history is capped and
	// thinned evenly, its first and latest counts kept.
	PutPostSamples(samples []PostSample) error
}

// SameHandle reports whether two handles name the same account: case does
// not matter, nor a leading "@".
func SameHandle(a, b string) bool {
	a, b = strings.TrimPrefix(strings.TrimSpace(a), "@"), strings.TrimPrefix(strings.TrimSpace(b), "@")
	return a != "" && strings.EqualFold(a, b)
}

// KeepStats makes every refresh record Reach figures in store: the
// account's audience at each refresh of its main timeline, and the counts
// of its own posts found in whatever timeline was fetched. A failure there
// is logged and never fails the refresh.
func (r *Refresher) KeepStats(store StatsStore) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stats = store
}

// sample records the Reach figures of one successful fetch.
func (r *Refresher) sample(ctx context.Context, nw Network, a accounts.Account, kind Kind, posts []Post) {
	r.mu.Lock()
	store := r.stats
	r.mu.Unlock()
	reacher, ok := nw.(Reacher)
	if store == nil || !ok {
		return
	}
	at := r.now()
	if samples := ownSamples(reacher, a, kind, posts, at); len(samples) > 0 {
		if err := store.PutPostSamples(samples); err != nil {
			slog.Warn("reach: post counts not kept", "account", a.ID, "err", err)
		}
	}
	if kind != r.DefaultKind(a.Network) {
		return
	}
	figures, err := reacher.Audience(ctx, a)
	if err != nil {
		slog.Info("reach: audience not read", "account", a.ID, "err", err)
		return
	}
	for i := range figures {
		if figures[i].At.IsZero() {
			figures[i].At = at
		}
	}
	if err := store.PutAudience(a.ID, figures); err != nil {
		slog.Warn("reach: audience not kept", "account", a.ID, "err", err)
	}
}

// ownSamples picks a's own posts out of a fetched timeline.
func ownSamples(reacher Reacher, a accounts.Account, kind Kind, posts []Post, at time.Time) []PostSample {
	var out []PostSample
	for _, p := range posts {
		if p.Notification != "" || p.RepostedBy != "" || p.ID == "" {
			continue
		}
		if kind != Own && !reacher.Own(a, p) {
			continue
		}
		out = append(out, PostSample{
			Account: a.ID, PostID: p.ID, CreatedAt: p.CreatedAt.UTC(), Lang: p.Lang,
			ReplyTo: p.ReplyTo, At: at.UTC(), Counts: p.Counts,
		})
	}
	return out
}
