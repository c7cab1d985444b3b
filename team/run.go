package team

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// Channel is the LISTEN/NOTIFY channel the log's trigger notifies.
const Channel = "chancery_events"

// RunOptions tune Run; zero values take the defaults.
type RunOptions struct {
	// Every is how often Run syncs without a notification (5 minutes).
	Every time.Duration
	// Retry is the first wait after a failure, doubled up to Every (5 s).
	Retry time.Duration
	// OnSync hears each sync's result, from Run's goroutine.
	OnSync func(SyncResult, error)
}

// Run keeps this laptop in step with the team server until ctx ends: it
// syncs at once, then whenever a colleague acts (LISTEN/NOTIFY on a
// connection of its own), when an event is queued here, and every
// opts.Every. Failures are retried with back-off; an unconfigured profile
// is checked again at each tick. Run it on its own goroutine.
func (s *Service) Run(ctx context.Context, opts RunOptions) {
	if opts.Every <= 0 {
		opts.Every = 5 * time.Minute
	}
	if opts.Retry <= 0 {
		opts.Retry = 5 * time.Second
	}
	notes := make(chan struct{}, 1)
	go s.listen(ctx, notes, opts)
	wait := opts.Every
	for {
		res, err := s.Sync(ctx)
		if opts.OnSync != nil && ctx.Err() == nil {
			opts.OnSync(res, err)
		}
		switch {
		case err == nil || errors.Is(err, ErrNotConnected):
			wait = opts.Every
		case wait >= opts.Every:
			wait = opts.Retry
		default:
			wait = min(wait*2, opts.Every)
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-notes:
		case <-s.wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// listen holds a connection that LISTENs on Channel and signals notes at
// each notification; it reconnects with back-off until ctx ends.
func (s *Service) listen(ctx context.Context, notes chan<- struct{}, opts RunOptions) {
	wait := opts.Retry
	for ctx.Err() == nil {
		err := s.listenOnce(ctx, notes)
		if ctx.Err() != nil {
			return
		}
		if !errors.Is(err, ErrNotConnected) {
			slog.Debug("team: listening stopped", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(wait*2, opts.Every)
	}
}

func (s *Service) listenOnce(ctx context.Context, notes chan<- struct{}) error {
	cfg, err := s.o.Store.TeamConfig()
	if err != nil {
		return err
	}
	conn, err := s.connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{Channel}.Sanitize()); err != nil {
		return err
	}
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		select {
		case notes <- struct{}{}:
		default:
		}
	}
}
