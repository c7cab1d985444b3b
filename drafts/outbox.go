package drafts

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"chancery/feeds"
)

// Publisher posts one entry on its account. Retrying an entry with the same
// ID must not publish it twice.
type Publisher interface {
	Publish(ctx context.Context, e Entry) (feeds.Published, error)
}

// Finder is implemented by publishers that can look for an entry already
// published, for networks whose idempotency keys expire.
type Finder interface {
	Find(ctx context.Context, e Entry) (feeds.Published, bool, error)
}

// KeyLifetime is how long a network is trusted to remember an idempotency
// key (Mastodon keeps them for an hour); an uncertain entry older than this
// is looked for before it is sent again.
const KeyLifetime = 50 * time.Minute

// FlushResult counts what one flush did.
type FlushResult struct {
	Sent, Failed, Waiting int
	// SentAccounts are the accounts that published something.
	SentAccounts []string
	// Offline is set when the flush stopped because the network is gone.
	Offline bool
}

// Outbox publishes queued entries in order, persisting each entry's state
// before and after every network call, so that a crash at any point is
// finished by the next flush without a second post.
type Outbox struct {
	store     Store
	publisher Publisher
	now       func() time.Time
	backoff   func(attempt int) time.Duration

	flushing sync.Mutex
	mu       sync.Mutex
	onChange []func(Entry)
}

// NewOutbox returns an outbox over store that publishes through p.
func NewOutbox(store Store, p Publisher, now func() time.Time) *Outbox {
	if now == nil {
		now = time.Now
	}
	return &Outbox{store: store, publisher: p, now: now, backoff: Backoff}
}

// OnChange registers fn to hear of every entry state change. fn runs on the
// flushing goroutine and must not block.
func (o *Outbox) OnChange(fn func(Entry)) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.onChange = append(o.onChange, fn)
}

// Backoff is the delay before retry number attempt: 30 s doubling up to
// 30 min, with ±20 % jitter so that many clients do not retry together.
func Backoff(attempt int) time.Duration {
	d := 30 * time.Second << min(max(attempt-1, 0), 6)
	d = min(d, 30*time.Minute)
	jitter := 0.8 + 0.4*rand.Float64()
	return time.Duration(float64(d) * jitter)
}

// List returns every entry in queue order.
func (o *Outbox) List() ([]Entry, error) { return o.store.Entries() }

// Flush publishes every entry that is due, oldest first. Entries of an
// account whose earlier entry must wait also wait, so an account's posts go
// out in the order they were written; an unreachable server holds only its
// own accounts' entries. Only one flush runs at a time.
func (o *Outbox) Flush(ctx context.Context) (FlushResult, error) {
	o.flushing.Lock()
	defer o.flushing.Unlock()
	entries, err := o.store.Entries()
	if err != nil {
		return FlushResult{}, fmt.Errorf("flush outbox: %w", err)
	}
	if entries, err = o.prune(entries); err != nil {
		return FlushResult{}, err
	}
	var res FlushResult
	held := map[string]bool{} // accounts with an earlier entry still waiting
	for _, e := range entries {
		if e.State != Queued && e.State != Sending {
			continue
		}
		if held[e.Account] || e.NotBefore.After(o.now()) {
			held[e.Account] = true
			res.Waiting++
			continue
		}
		sent, offline, err := o.send(ctx, e)
		if err != nil {
			return res, err
		}
		switch sent.State {
		case Sent:
			res.Sent++
			if !slices.Contains(res.SentAccounts, e.Account) {
				res.SentAccounts = append(res.SentAccounts, e.Account)
			}
		case Failed:
			res.Failed++
		default:
			held[e.Account] = true
			res.Waiting++
			res.Offline = res.Offline || offline
		}
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
	}
	return res, nil
}

// send publishes one entry, persisting its state before and after the
// network call, and reports whether the network was unreachable. It
// returns an error only when the state could not be saved.
func (o *Outbox) send(ctx context.Context, e Entry) (Entry, bool, error) {
	if e.State == Sending {
		e.Uncertain = true // it was in flight when Chancery stopped
	}
	if e.FirstTry.IsZero() {
		e.FirstTry = o.now().UTC()
	}
	e.State, e.Attempts, e.UpdatedAt = Sending, e.Attempts+1, o.now().UTC()
	if err := o.put(e); err != nil {
		return e, false, err
	}
	pub, err := o.publishOnce(ctx, e)
	e.UpdatedAt = o.now().UTC()
	offline := false
	switch {
	case err == nil:
		e.State, e.RemoteID, e.URL, e.Error, e.NotBefore = Sent, pub.RemoteID, pub.URL, "", time.Time{}
	case ctx.Err() != nil:
		e.State, e.Uncertain = Queued, true // cancelled: the outcome is unknown; the same key is reused
	case errors.Is(err, feeds.ErrOffline):
		e.State, e.Error, offline = Queued, err.Error(), true
		e.Uncertain = e.Uncertain || errors.Is(err, context.DeadlineExceeded)
	case retryable(err):
		e.State, e.Error, e.NotBefore = Queued, err.Error(), e.UpdatedAt.Add(o.delay(err, e.Attempts))
		e.Uncertain = e.Uncertain || !errors.Is(err, feeds.ErrRateLimited)
	default:
		e.State, e.Error = Failed, err.Error()
	}
	return e, offline, o.put(e)
}

// KeepSent is how long sent entries stay listed in the outbox.
const KeepSent = 30 * 24 * time.Hour

// prune forgets entries sent longer ago than KeepSent and returns the rest.
func (o *Outbox) prune(entries []Entry) ([]Entry, error) {
	kept := entries[:0:0]
	for _, e := range entries {
		if e.State == Sent && o.now().Sub(e.UpdatedAt) > KeepSent {
			if err := o.store.DeleteEntry(e.ID); err != nil {
				return nil, fmt.Errorf("forget sent entry %s: %w", e.ID, err)
			}
			continue
		}
		kept = append(kept, e)
	}
	return kept, nil
}

// publishOnce publishes e, first looking for it on the network when an
// earlier attempt may have gone through longer ago than the network keeps
// idempotency keys.
func (o *Outbox) publishOnce(ctx context.Context, e Entry) (feeds.Published, error) {
	if finder, ok := o.publisher.(Finder); ok && e.Uncertain && o.now().Sub(e.FirstTry) > KeyLifetime {
		pub, found, err := finder.Find(ctx, e)
		if err != nil {
			return feeds.Published{}, err
		}
		if found {
			return pub, nil
		}
	}
	return o.publisher.Publish(ctx, e)
}

func (o *Outbox) delay(err error, attempt int) time.Duration {
	var ra *feeds.RetryAfterError
	if errors.As(err, &ra) && ra.After > 0 {
		return ra.After
	}
	return o.backoff(attempt)
}

func retryable(err error) bool {
	return errors.Is(err, feeds.ErrRateLimited) || errors.Is(err, feeds.ErrServer) ||
		errors.Is(err, context.DeadlineExceeded)
}

func (o *Outbox) put(e Entry) error {
	if err := o.store.PutEntry(e); err != nil {
		return fmt.Errorf("save outbox entry %s: %w", e.ID, err)
	}
	o.mu.Lock()
	fns := o.onChange
	o.mu.Unlock()
	for _, fn := range fns {
		fn(e)
	}
	return nil
}

// Retry queues a failed entry again, to be sent at the next flush.
func (o *Outbox) Retry(id string) error {
	e, err := o.store.Entry(id)
	if err != nil {
		return err
	}
	if e.State != Failed {
		return fmt.Errorf("retry %s (%s): %w", id, e.State, ErrNotRetryable)
	}
	e.State, e.NotBefore, e.UpdatedAt = Queued, time.Time{}, o.now().UTC()
	return o.put(e)
}

// Remove deletes an entry that is not being sent.
func (o *Outbox) Remove(id string) error {
	o.flushing.Lock()
	defer o.flushing.Unlock()
	if _, err := o.store.Entry(id); err != nil {
		return err
	}
	return o.store.DeleteEntry(id)
}
