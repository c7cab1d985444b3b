package drafts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"chancery/feeds"
)

// handOffMargin is added to feeds.MinScheduleLead before an entry is handed
// to its server, for the clocks' disagreement and the time the call takes.
const handOffMargin = 30 * time.Second

// scheduler returns the publisher's ServerScheduler, if it has one.
func (o *Outbox) scheduler() (ServerScheduler, bool) {
	s, ok := o.publisher.(ServerScheduler)
	return s, ok
}

// canHandOff reports whether e is a scheduled entry its server should hold:
// far enough ahead, never tried, not refused by the server before, on a
// network that holds scheduled posts.
func (o *Outbox) canHandOff(e Entry) bool {
	sched, ok := o.scheduler()
	return ok && e.State == Queued && e.Where != WhereServer && !e.HandingOff && !e.Uncertain && e.Attempts == 0 &&
		e.LocalReason == "" && e.ScheduledAt.After(o.now().Add(feeds.MinScheduleLead+handOffMargin)) &&
		sched.CanSchedule(e.Account)
}

// handOffKey is the idempotency key of e's current hand-off: never the
// entry's own id, which an immediate post of the same entry uses.
func handOffKey(e Entry) string { return fmt.Sprintf("%s-at-%d", e.ID, e.HandOffs) }

// handOff gives e to its server, persisting before and after the call. A
// refusal leaves it waiting here, with the reason; an unknown outcome
// leaves it HandingOff, to be looked for among the server's scheduled
// posts before it is handed again. It reports an unreachable network.
func (o *Outbox) handOff(ctx context.Context, e Entry) (Entry, bool, error) {
	sched, _ := o.scheduler()
	e.HandingOff, e.HandOffs, e.UpdatedAt = true, e.HandOffs+1, o.now().UTC()
	if e.FirstTry.IsZero() {
		e.FirstTry = e.UpdatedAt
	}
	if err := o.put(e); err != nil {
		return e, false, err
	}
	sc, err := sched.Schedule(ctx, e, handOffKey(e))
	e.UpdatedAt = o.now().UTC()
	if err == nil {
		e = onServerAs(e, sc)
		return e, false, o.put(e)
	}
	e.Error = err.Error()
	offline := false
	switch outcome := feeds.Classify(err); {
	case outcome == feeds.OutcomeUnknown || outcome == feeds.OutcomeCancelled || errors.Is(err, feeds.ErrBadResponse):
		// It may be on the server: keep HandingOff.
	case outcome == feeds.OutcomeOffline:
		e.HandingOff, offline = false, true
	case outcome == feeds.OutcomeRefused:
		e.HandingOff, e.Where, e.LocalReason = false, WhereLocal, err.Error()
	case outcome == feeds.OutcomeUnauthorized:
		e.HandingOff = false
		o.needsSignIn(e.Account)
	default:
		e.HandingOff = false
	}
	return e, offline, o.put(e)
}

// onServerAs records that the server holds e as sc (or, for a server that
// ignored the time, published it at once).
func onServerAs(e Entry, sc feeds.Scheduled) Entry {
	e.HandingOff, e.Error, e.LocalReason = false, "", ""
	if sc.ID == "" && sc.Published.RemoteID != "" {
		e.State, e.RemoteID, e.URL, e.Where = Sent, sc.Published.RemoteID, sc.Published.URL, WhereServer
		return e
	}
	e.Where, e.ScheduledID = WhereServer, sc.ID
	if !sc.At.IsZero() {
		e.ScheduledAt = sc.At
	}
	return e
}

// settleHandOff looks among the server's scheduled posts (and, once its
// time has passed, among the account's posts) for an entry whose hand-off
// had an unknown outcome. Found, the entry is held (or sent); certainly
// absent, HandingOff is cleared so it may be handed again; when the check
// fails, it waits. known are the scheduled ids other entries hold.
func (o *Outbox) settleHandOff(ctx context.Context, e Entry, known map[string]bool) (Entry, bool, error) {
	sched, _ := o.scheduler()
	list, err := sched.ScheduledPosts(ctx, e)
	if err == nil {
		for _, sc := range list {
			if !known[sc.ID] && sameScheduled(e, sc) {
				e = onServerAs(e, sc)
				e.UpdatedAt = o.now().UTC()
				return e, false, o.put(e)
			}
		}
		if !e.ScheduledAt.After(o.now().Add(handOffMargin)) {
			var found bool
			e, found, err = o.findOnServer(ctx, e)
			if err == nil && found {
				return e, false, o.put(e)
			}
		}
	}
	e.UpdatedAt = o.now().UTC()
	if err != nil {
		e.Error = "check before scheduling again: " + err.Error()
		return e, feeds.Classify(err) == feeds.OutcomeOffline, o.put(e)
	}
	e.HandingOff, e.Error = false, ""
	return e, false, o.put(e)
}

// sameScheduled compares a scheduled post with the entry as sent.
func sameScheduled(e Entry, sc feeds.Scheduled) bool {
	norm := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	lang := func(s string) string { t, _, _ := strings.Cut(s, "-"); return strings.ToLower(t) }
	return norm(sc.Out.Text) == norm(e.Text) && norm(sc.Out.ContentWarning) == norm(e.ContentWarning) &&
		(sc.Out.Lang == "" || lang(sc.Out.Lang) == lang(e.Lang)) &&
		sc.At.Truncate(time.Second).Equal(e.ScheduledAt.Truncate(time.Second))
}

// findOnServer looks for e among its account's posts since its scheduled
// time and marks it sent when it is there.
func (o *Outbox) findOnServer(ctx context.Context, e Entry) (Entry, bool, error) {
	finder, ok := o.publisher.(Finder)
	if !ok {
		return e, false, ErrUncheckable
	}
	probe := e
	probe.FirstTry = e.ScheduledAt
	pub, found, err := finder.Find(ctx, probe)
	if err != nil || !found {
		return e, false, err
	}
	e.State, e.RemoteID, e.URL, e.Error, e.NotBefore = Sent, pub.RemoteID, pub.URL, "", time.Time{}
	e.UpdatedAt = o.now().UTC()
	return e, true, nil
}

// followServer checks an entry its server holds once its time has passed:
// published (found among the account's posts, or said so by the server),
// it is marked sent with its link; still held, it waits; gone without a
// trace (deleted on the server), it fails for the user to decide.
func (o *Outbox) followServer(ctx context.Context, e Entry) (Entry, bool, error) {
	if e.ScheduledAt.After(o.now()) {
		return e, false, nil
	}
	sched, _ := o.scheduler()
	e, found, err := o.findOnServer(ctx, e)
	if err == nil && found {
		return e, false, o.put(e)
	}
	if err == nil {
		_, err = sched.ScheduledPost(ctx, e)
		if err == nil {
			return e, false, nil // the server's scheduler has not run yet
		}
		if sent, ok := o.publishedMeanwhile(e, err); ok {
			return sent, false, o.put(sent)
		}
		if errors.Is(err, feeds.ErrNotScheduled) {
			e.State, e.Error, e.UpdatedAt = Failed, err.Error(), o.now().UTC()
			return e, false, o.put(e)
		}
	}
	return e, feeds.Classify(err) == feeds.OutcomeOffline, nil
}

// publishedMeanwhile returns e marked sent when err says its server
// published it (a *feeds.PublishedError: the network knows the post,
// whatever became of its text).
func (o *Outbox) publishedMeanwhile(e Entry, err error) (Entry, bool) {
	var pe *feeds.PublishedError
	if !errors.As(err, &pe) || pe.Published.RemoteID == "" {
		return e, false
	}
	e.State, e.RemoteID, e.URL, e.Error, e.NotBefore = Sent, pe.Published.RemoteID, pe.Published.URL, "", time.Time{}
	e.UpdatedAt = o.now().UTC()
	return e, true
}

// knownScheduled returns the scheduled ids entries already hold.
func knownScheduled(entries []Entry) map[string]bool {
	known := map[string]bool{}
	for _, e := range entries {
		if e.ScheduledID != "" && e.Where == WhereServer {
			known[e.ScheduledID] = true
		}
	}
	return known
}

// flushScheduled handles e if it is held by its server, being handed to
// it, or due to be handed; it reports whether it did, and returns e as it
// now stands for the flush to go on with when it did not.
func (o *Outbox) flushScheduled(ctx context.Context, e Entry, known map[string]bool, res *FlushResult) (Entry, bool, error) {
	var (
		offline bool
		err     error
	)
	switch {
	case e.State != Queued:
		return e, false, nil
	case e.HandingOff:
		if e, offline, err = o.settleHandOff(ctx, e, known); err != nil || e.HandingOff || e.Where == WhereServer || e.State != Queued {
			break
		}
		if !o.canHandOff(e) {
			return e, false, nil
		}
		e, offline, err = o.handOff(ctx, e)
	case e.Where == WhereServer:
		e, offline, err = o.followServer(ctx, e)
	case o.canHandOff(e):
		e, offline, err = o.handOff(ctx, e)
	default:
		return e, false, nil
	}
	if err != nil {
		return e, true, err
	}
	switch {
	case e.State == Sent:
		res.count(e, false)
	case e.State == Failed:
		res.Failed++
	case e.Where == WhereServer:
		res.OnServer++
		known[e.ScheduledID] = true
	default:
		if e.Where == WhereLocal && !e.HandingOff {
			return e, false, nil // refused by the server: it waits here
		}
		res.Waiting++
		res.Offline = res.Offline || offline
	}
	return e, true, nil
}
