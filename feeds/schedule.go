package feeds

import (
	"context"
	"time"

	"chancery/accounts"
	"chancery/translations"
)

// MinScheduleLead is how far ahead a post must be scheduled for a server to
// hold it (Mastodon refuses scheduled_at less than five minutes ahead).
const MinScheduleLead = 5 * time.Minute

// ErrNotScheduled is the error of a call about a scheduled post the server
// no longer holds: it was published, or deleted on the server.
var ErrNotScheduled = translations.NewProblem("error.not_scheduled", "the server no longer holds this scheduled post")

// PublishedError is the error of a call about a scheduled post that its
// server has published meanwhile, from a network that can tell (a
// Facebook Page post keeps its id when it is published): it wraps
// ErrNotScheduled and says where the post is, so that the outbox marks
// the entry sent instead of looking for it by its text.
type PublishedError struct{ Published Published }

func (e *PublishedError) Error() string {
	return "published as " + e.Published.RemoteID + ": " + ErrNotScheduled.Error()
}

// Unwrap makes a PublishedError an ErrNotScheduled.
func (e *PublishedError) Unwrap() error { return ErrNotScheduled }

// Scheduled is a post a server holds to publish at At.
type Scheduled struct {
	ID string
	At time.Time
	// Out is what the server will publish, as it stored it (text, content
	// warning, language, reply), for telling an uncertain hand-off apart.
	Out Outgoing
	// Published is set instead when a server that cannot schedule ignored
	// the time and published the post at once.
	Published Published
}

// Scheduler is implemented by networks whose servers hold scheduled posts
// (Capabilities.ServerScheduling).
type Scheduler interface {
	// Schedule hands out to the server, to be published at at, which must
	// be at least MinScheduleLead ahead. out.IdempotencyKey is sent as for
	// Publish; use a key distinct from the one of an immediate post.
	Schedule(ctx context.Context, acct accounts.Account, out Outgoing, at time.Time) (Scheduled, error)
	// Reschedule moves the scheduled post id to at.
	Reschedule(ctx context.Context, acct accounts.Account, id string, at time.Time) (Scheduled, error)
	// Unschedule deletes the scheduled post id; one the server no longer
	// holds is an error wrapping ErrNotScheduled.
	Unschedule(ctx context.Context, acct accounts.Account, id string) error
	// ScheduledPosts lists what the server holds for acct.
	ScheduledPosts(ctx context.Context, acct accounts.Account) ([]Scheduled, error)
	// ScheduledPost returns one scheduled post; one the server no longer
	// holds is an error wrapping ErrNotScheduled.
	ScheduledPost(ctx context.Context, acct accounts.Account, id string) (Scheduled, error)
}
