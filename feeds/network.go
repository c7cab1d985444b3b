package feeds

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"chancery/accounts"
	"chancery/translations"
)

// Errors a Network reports, wrapped with context, so the UI and CLI can say
// what went wrong in the user's language.
var (
	ErrOffline      = translations.NewProblem("error.offline", "network unreachable")
	ErrUnauthorized = translations.NewProblem("error.unauthorized", "sign-in required")
	ErrRateLimited  = translations.NewProblem("error.rate_limited", "rate limited")
	ErrServer       = translations.NewProblem("error.server", "server error")
	ErrBadResponse  = translations.NewProblem("error.bad_response", "malformed response")
	ErrNoNetwork    = translations.NewProblem("error.no_network", "no client for this network")
	ErrUnsupported  = translations.NewProblem("error.unsupported", "not supported by this network")
)

// Capabilities declare what a network can do, so the UI offers only what works.
type Capabilities struct {
	// Kinds are the timelines the network offers, the first being an
	// account's main one. A kind ending in ":" ("tag:", "list:", "search:")
	// means every kind with that prefix and an argument.
	Kinds     []Kind
	Post      bool
	Reply     bool
	Boost     bool
	Like      bool
	Media     bool
	MaxLength int
	// Images are the limits on a post's images, where Media is set; a
	// network whose limits depend on the account's server also implements
	// MediaLimiter.
	Images MediaLimits
	// WarningCounts is set when the network counts a content warning toward
	// MaxLength with the text (Mastodon adds spoiler_text to the status).
	// Such a network also implements WarningCounter.
	WarningCounts bool
	// ServerScheduling is set when the network can hold a scheduled post on
	// its server and publish it at its time while Chancery is closed (such
	// a network implements Scheduler). Elsewhere a scheduled post goes out
	// only if Chancery, or its timer running `outbox flush`, runs then.
	ServerScheduling bool
}

// MediaLimits are what a network accepts of a post's images. A zero field
// sets no limit.
type MediaLimits struct {
	MaxImages int   // images per post
	MaxBytes  int64 // bytes per image file
	MaxPixels int   // width × height of one image
	MaxSide   int   // the longer side of one image, in pixels
	// Types are the accepted MIME types; empty means the common ones
	// (image/jpeg, image/png, image/gif, image/webp).
	Types []string
}

// Accepts reports whether the limits take images of MIME type t.
func (m MediaLimits) Accepts(t string) bool {
	if len(m.Types) == 0 {
		return t == "image/jpeg" || t == "image/png" || t == "image/gif" || t == "image/webp"
	}
	return slices.Contains(m.Types, t)
}

// MediaLimiter is implemented by networks whose image limits depend on the
// account's server (Mastodon reads them from the instance's configuration).
type MediaLimiter interface {
	MediaLimits(acct accounts.Account) MediaLimits
}

// WarningCounter is implemented by networks that count a content warning
// toward a post's length: it returns what warning adds to the text's count.
type WarningCounter interface {
	WarningLength(acct accounts.Account, warning string) int
}

// Network is one social network's client. Implementations are safe for
// concurrent use and honour ctx for cancellation and deadlines.
type Network interface {
	ID() accounts.Network
	Capabilities() Capabilities
	// Fetch returns the newest posts of one timeline of acct.
	Fetch(ctx context.Context, acct accounts.Account, kind Kind) ([]Post, error)
}

// Cache stores timelines. Implemented by storage.
type Cache interface {
	// PutPosts merges posts into a timeline (updating posts already there) and
	// records the refresh time; it returns how many posts were new.
	PutPosts(key TimelineKey, posts []Post, refreshedAt time.Time) (int, error)
	// Posts returns up to limit posts of a timeline, newest first.
	Posts(key TimelineKey, limit int) ([]Post, error)
	// LastRefreshed returns when the timeline was last refreshed, or the zero
	// time if it never was.
	LastRefreshed(key TimelineKey) (time.Time, error)
}

// StateStore keeps small, non-secret per-account state of a network between
// runs (feed ETags, cursors, instance limits). Implemented by storage.
type StateStore interface {
	// NetState returns the value under key, or nil if there is none.
	NetState(accountID, key string) ([]byte, error)
	SetNetState(accountID, key string, value []byte) error
}

// Supports reports whether c offers kind k (plain, or by its prefix).
func (c Capabilities) Supports(k Kind) bool {
	for _, have := range c.Kinds {
		if have == k && !strings.HasSuffix(string(k), ":") {
			return true
		}
		if prefix, ok := strings.CutSuffix(string(have), ":"); ok && strings.HasPrefix(string(k), prefix+":") && len(k) > len(have) {
			return true
		}
	}
	return false
}

// Registry maps each network to its client.
type Registry map[accounts.Network]Network

// Lookup returns the client for n.
func (r Registry) Lookup(n accounts.Network) (Network, error) {
	if nw, ok := r[n]; ok {
		return nw, nil
	}
	return nil, fmt.Errorf("%s: %w", n, ErrNoNetwork)
}
