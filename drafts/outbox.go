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
	"chancery/translations"
)

// Publisher posts one entry on its account. Retrying an entry with the same
// ID must not publish it twice.
type Publisher interface {
	Publish(ctx context.Context, e Entry) (feeds.Published, error)
}

// Finder is implemented by publishers that can tell whether an entry whose
// outcome is unknown was published after all. Find returns the post when
// it is on the network, found false when it is certainly not, or an error
// when it could not tell: ErrUncheckable when the entry's network has no
// way to check, any other error when the check itself failed.
type Finder interface {
	Find(ctx context.Context, e Entry) (feeds.Published, bool, error)
}

// ErrUncheckable is the reason of an entry whose outcome is unknown on a
// network that offers no way to check whether it was published: it is not
// sent again blindly, but fails and waits for the user, who looks at the
// account and chooses Retry (which then sends it) or Remove.
var ErrUncheckable = translations.NewProblem("error.uncheckable",
	"the post may have been published: check the account, then retry or remove it")

// FlushResult counts what one flush did.
type FlushResult struct {
	Sent, Failed, Waiting int
	// SentAccounts are the accounts that published something.
	SentAccounts []string
	// OnServer counts the scheduled entries their servers hold.
	OnServer int
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

	flushing    sync.Mutex
	mu          sync.Mutex
	onChange    []func(Entry)
	onSignedOut []func(accountID string)
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

// OnNeedsSignIn registers fn to hear of an account whose credentials the
// network refused while publishing. fn runs on the flushing goroutine.
func (o *Outbox) OnNeedsSignIn(fn func(accountID string)) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.onSignedOut = append(o.onSignedOut, fn)
}

func (o *Outbox) needsSignIn(accountID string) {
	o.mu.Lock()
	fns := o.onSignedOut
	o.mu.Unlock()
	for _, fn := range fns {
		fn(accountID)
	}
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

// Flush publishes every entry that is due, oldest first. An entry waiting
// after an attempt (back-off, rate limit, or an outcome still unknown)
// holds the later entries of its account, so an account's posts go out in
// the order they were written; a scheduled entry whose time has not come
// holds nothing. A scheduled entry whose network's server can hold it is
// handed to the server (see flushScheduled) and followed there until it is
// published. An unreachable server holds only its own accounts' entries.
// Only one flush runs at a time.
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
	known := knownScheduled(entries)
	for _, e := range entries {
		if e.State != Queued && e.State != Sending {
			continue
		}
		e, handled, err := o.flushScheduled(ctx, e, known, &res)
		if err != nil {
			return res, err
		}
		if handled {
			if ctx.Err() != nil {
				return res, ctx.Err()
			}
			continue
		}
		if held[e.Account] || e.NotBefore.After(o.now()) {
			// Only an entry that was tried holds its account: a
			// scheduled one simply waits for its time.
			held[e.Account] = held[e.Account] || e.Attempts > 0 || e.Uncertain
			res.Waiting++
			continue
		}
		sent, offline, err := o.send(ctx, e)
		if err != nil {
			return res, err
		}
		res.count(sent, offline)
		if sent.State == Queued {
			held[e.Account] = true
		}
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
	}
	return res, nil
}

func (r *FlushResult) count(e Entry, offline bool) {
	switch e.State {
	case Sent:
		r.Sent++
		if !slices.Contains(r.SentAccounts, e.Account) {
			r.SentAccounts = append(r.SentAccounts, e.Account)
		}
	case Failed:
		r.Failed++
	default:
		r.Waiting++
		r.Offline = r.Offline || offline
	}
}

// send publishes one entry, persisting its state before and after the
// network calls, and reports whether the network was unreachable. It
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
	offline := false
	if e.Uncertain {
		var settled bool
		e, settled, offline = o.check(ctx, e)
		if settled {
			return e, offline, o.put(e)
		}
	}
	pub, err := o.publisher.Publish(ctx, e)
	e.UpdatedAt = o.now().UTC()
	if err == nil {
		e.State, e.RemoteID, e.URL, e.Error, e.NotBefore = Sent, pub.RemoteID, pub.URL, "", time.Time{}
		e.Uncertain = false
		return e, false, o.put(e)
	}
	e, offline = o.failed(ctx, e, err)
	return e, offline, o.put(e)
}

// check looks for an uncertain entry on its network before it is sent
// again. It reports settled when the entry must not be published now:
// found (sent), not checkable (failed, for the user to decide), or the
// check failed (it waits, still uncertain). Not found clears Uncertain:
// the entry may be published.
func (o *Outbox) check(ctx context.Context, e Entry) (Entry, bool, bool) {
	finder, ok := o.publisher.(Finder)
	var (
		pub   feeds.Published
		found bool
		err   = error(ErrUncheckable)
	)
	if ok {
		pub, found, err = finder.Find(ctx, e)
	}
	e.UpdatedAt = o.now().UTC()
	switch {
	case err == nil && found:
		e.State, e.RemoteID, e.URL, e.Error, e.NotBefore = Sent, pub.RemoteID, pub.URL, "", time.Time{}
		e.Uncertain = false
		return e, true, false
	case err == nil:
		e.Uncertain = false
		return e, false, false
	case errors.Is(err, ErrUncheckable):
		e.State, e.Error, e.NotBefore = Failed, ErrUncheckable.Error(), time.Time{}
		return e, true, false
	}
	e.Error = "check before sending again: " + err.Error()
	switch feeds.Classify(err) {
	case feeds.OutcomeUnauthorized:
		e.State = Failed
		o.needsSignIn(e.Account)
		return e, true, false
	case feeds.OutcomeOffline:
		e.State = Queued
		return e, true, true
	case feeds.OutcomeCancelled:
		e.State = Queued
		return e, true, false
	}
	e.State, e.NotBefore = Queued, e.UpdatedAt.Add(o.delay(err, e.Attempts))
	return e, true, false
}

// failed records why a publish failed, as feeds.Classify tells it: an
// unknown outcome leaves the entry uncertain, to be looked for before it
// is sent again; offline and rate-limited entries wait; refusals fail.
func (o *Outbox) failed(ctx context.Context, e Entry, err error) (Entry, bool) {
	e.Error = err.Error()
	switch outcome := feeds.Classify(err); {
	case outcome == feeds.OutcomeCancelled || ctx.Err() != nil:
		e.State, e.Uncertain = Queued, true // it may have left; checked at the next flush
	case outcome == feeds.OutcomeUnknown || errors.Is(err, feeds.ErrBadResponse):
		// A 2xx answer that cannot be read was still a post created.
		e.State, e.Uncertain, e.NotBefore = Queued, true, e.UpdatedAt.Add(o.delay(err, e.Attempts))
	case outcome == feeds.OutcomeOffline:
		e.State = Queued
		return e, true
	case outcome == feeds.OutcomeRateLimited:
		e.State, e.NotBefore = Queued, e.UpdatedAt.Add(o.delay(err, e.Attempts))
	case outcome == feeds.OutcomeUnauthorized:
		e.State = Failed
		o.needsSignIn(e.Account)
	default:
		e.State = Failed
	}
	return e, false
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

func (o *Outbox) delay(err error, attempt int) time.Duration {
	var ra *feeds.RetryAfterError
	if errors.As(err, &ra) && ra.After > 0 {
		return ra.After
	}
	return o.backoff(attempt)
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

// Retry queues a failed entry again, to be sent at the next flush. An
// entry that failed because its outcome could not be checked is then sent
// as the user decided; any other uncertain entry is still looked for first.
func (o *Outbox) Retry(id string) error {
	e, err := o.store.Entry(id)
	if err != nil {
		return err
	}
	if e.State != Failed {
		return fmt.Errorf("retry %s (%s): %w", id, e.State, ErrNotRetryable)
	}
	if e.Error == ErrUncheckable.Error() {
		e.Uncertain = false
	}
	if e.Where == WhereServer {
		// The server no longer holds it: it goes from here now.
		e.Where, e.ScheduledID, e.ScheduledAt = WhereLocal, "", time.Time{}
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
