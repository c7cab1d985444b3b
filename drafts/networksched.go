package drafts

import (
	"context"
	"fmt"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// ServerScheduler is implemented by publishers that can hand a scheduled
// entry to the server of its network, which then publishes it at its time
// while Chancery is closed.
type ServerScheduler interface {
	// CanSchedule reports whether the entry's network holds scheduled posts.
	CanSchedule(accountID string) bool
	Schedule(ctx context.Context, e Entry, key string) (feeds.Scheduled, error)
	Reschedule(ctx context.Context, e Entry, at time.Time) (feeds.Scheduled, error)
	Unschedule(ctx context.Context, e Entry) error
	// ScheduledPosts lists what the server holds for the entry's account.
	ScheduledPosts(ctx context.Context, e Entry) ([]feeds.Scheduled, error)
	// ScheduledPost returns the entry's scheduled post on the server.
	ScheduledPost(ctx context.Context, e Entry) (feeds.Scheduled, error)
}

var _ ServerScheduler = NetworkPublisher{}

func (p NetworkPublisher) scheduler(accountID string) (accounts.Account, feeds.Scheduler, error) {
	acct, pub, err := p.resolve(accountID)
	if err != nil {
		return accounts.Account{}, nil, err
	}
	sched, ok := pub.(feeds.Scheduler)
	if nw, _ := p.Networks.Lookup(acct.Network); !ok || nw == nil || !nw.Capabilities().ServerScheduling {
		return accounts.Account{}, nil, fmt.Errorf("%s (%s): %w", accountID, acct.Network, feeds.ErrUnsupported)
	}
	return acct, sched, nil
}

// CanSchedule implements ServerScheduler.
func (p NetworkPublisher) CanSchedule(accountID string) bool {
	_, _, err := p.scheduler(accountID)
	return err == nil
}

// Schedule implements ServerScheduler: the entry, with its media, is
// handed to the server for its ScheduledAt, under idempotency key key.
func (p NetworkPublisher) Schedule(ctx context.Context, e Entry, key string) (feeds.Scheduled, error) {
	acct, sched, err := p.scheduler(e.Account)
	if err != nil {
		return feeds.Scheduled{}, err
	}
	media, err := p.readMedia(acct, e)
	if err != nil {
		return feeds.Scheduled{}, err
	}
	out := outgoing(e)
	out.Media, out.IdempotencyKey = media, key
	return sched.Schedule(ctx, acct, out, e.ScheduledAt)
}

// Reschedule implements ServerScheduler.
func (p NetworkPublisher) Reschedule(ctx context.Context, e Entry, at time.Time) (feeds.Scheduled, error) {
	acct, sched, err := p.scheduler(e.Account)
	if err != nil {
		return feeds.Scheduled{}, err
	}
	return sched.Reschedule(ctx, acct, e.ScheduledID, at)
}

// Unschedule implements ServerScheduler.
func (p NetworkPublisher) Unschedule(ctx context.Context, e Entry) error {
	acct, sched, err := p.scheduler(e.Account)
	if err != nil {
		return err
	}
	return sched.Unschedule(ctx, acct, e.ScheduledID)
}

// ScheduledPosts implements ServerScheduler.
func (p NetworkPublisher) ScheduledPosts(ctx context.Context, e Entry) ([]feeds.Scheduled, error) {
	acct, sched, err := p.scheduler(e.Account)
	if err != nil {
		return nil, err
	}
	return sched.ScheduledPosts(ctx, acct)
}

// ScheduledPost implements ServerScheduler.
func (p NetworkPublisher) ScheduledPost(ctx context.Context, e Entry) (feeds.Scheduled, error) {
	acct, sched, err := p.scheduler(e.Account)
	if err != nil {
		return feeds.Scheduled{}, err
	}
	return sched.ScheduledPost(ctx, acct, e.ScheduledID)
}
