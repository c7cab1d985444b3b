package drafts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"chancery/feeds"
	"chancery/translations"
)

// ErrAlreadyPublished is the error of a change to a scheduled post its
// server published before the change could be made; the entry is then
// marked sent.
var ErrAlreadyPublished = translations.NewProblem("error.already_published", "the server has already published this post")

// waiting returns entry id if it waits to be published (queued, not being
// sent or handed to a server) and can therefore be changed.
func (o *Outbox) waiting(id string) (Entry, error) {
	e, err := o.store.Entry(id)
	if err != nil {
		return Entry{}, err
	}
	if e.State != Queued || e.Uncertain || e.HandingOff {
		return e, fmt.Errorf("change %s (%s): %w", id, e.State, ErrNotWaiting)
	}
	return e, nil
}

// takeBack deletes e's scheduled post from its server, so that e waits
// here again. A post the server no longer holds is looked for among the
// account's posts: published, e is marked sent and ErrAlreadyPublished
// returned; absent (deleted on the server), e simply waits here.
func (o *Outbox) takeBack(ctx context.Context, e Entry) (Entry, error) {
	if e.Where != WhereServer {
		return e, nil
	}
	sched, ok := o.scheduler()
	if !ok {
		return e, fmt.Errorf("take back %s: %w", e.ID, feeds.ErrUnsupported)
	}
	err := sched.Unschedule(ctx, e)
	if sent, ok := o.publishedMeanwhile(e, err); ok {
		if err := o.put(sent); err != nil {
			return sent, err
		}
		return sent, fmt.Errorf("take back %s: %w", e.ID, ErrAlreadyPublished)
	}
	if errors.Is(err, feeds.ErrNotScheduled) {
		var found bool
		if e, found, err = o.findOnServer(ctx, e); err == nil && found {
			if err := o.put(e); err != nil {
				return e, err
			}
			return e, fmt.Errorf("take back %s: %w", e.ID, ErrAlreadyPublished)
		}
	}
	if err != nil {
		return e, fmt.Errorf("take back %s from the server: %w", e.ID, err)
	}
	e.Where, e.ScheduledID = WhereLocal, ""
	return e, nil
}

// Edit changes the text of a waiting entry. The networks' API can move a
// scheduled post but not change its text: one its server holds is deleted
// there and handed again with the new text at the next flush. The text is
// checked against the network's rules first (when the publisher checks).
func (o *Outbox) Edit(ctx context.Context, id, text string) error {
	o.flushing.Lock()
	defer o.flushing.Unlock()
	e, err := o.waiting(id)
	if err != nil {
		return err
	}
	changed := e
	changed.Text = text
	if c, ok := o.publisher.(Checker); ok {
		if err := c.Check(changed); err != nil {
			return fmt.Errorf("edit %s: %w", id, err)
		}
	}
	if e, err = o.takeBack(ctx, e); err != nil {
		return err
	}
	e.Text, e.LocalReason, e.UpdatedAt = text, "", o.now().UTC()
	return o.put(e)
}

// Reschedule moves a waiting entry to at, which must not be in the past.
// One its server holds is moved there when at is far enough ahead for the
// server, else taken back to wait here.
func (o *Outbox) Reschedule(ctx context.Context, id string, at time.Time, zone string) error {
	o.flushing.Lock()
	defer o.flushing.Unlock()
	if !at.After(o.now()) {
		return fmt.Errorf("reschedule %s to %s: %w", id, at.Format(time.RFC3339), ErrPastTime)
	}
	e, err := o.waiting(id)
	if err != nil {
		return err
	}
	if e.Where == WhereServer && at.After(o.now().Add(feeds.MinScheduleLead+handOffMargin)) {
		sched, _ := o.scheduler()
		sc, err := sched.Reschedule(ctx, e, at)
		if err != nil {
			return fmt.Errorf("reschedule %s on the server: %w", id, err)
		}
		at = sc.At
	} else if e, err = o.takeBack(ctx, e); err != nil {
		return err
	}
	e.ScheduledAt, e.NotBefore, e.UpdatedAt = at.UTC(), at.UTC(), o.now().UTC()
	if zone != "" {
		e.Zone = zone
	}
	return o.put(e)
}

// SendNow makes a waiting entry due at once (taking it back from its
// server first); the next flush publishes it.
func (o *Outbox) SendNow(ctx context.Context, id string) error {
	o.flushing.Lock()
	defer o.flushing.Unlock()
	e, err := o.waiting(id)
	if err != nil {
		return err
	}
	if e, err = o.takeBack(ctx, e); err != nil {
		return err
	}
	e.ScheduledAt, e.NotBefore, e.UpdatedAt = time.Time{}, time.Time{}, o.now().UTC()
	return o.put(e)
}

// Cancel removes a waiting entry, deleting it from its server first when
// the server holds it. Entries that are not waiting are removed with
// Remove.
func (o *Outbox) Cancel(ctx context.Context, id string) error {
	o.flushing.Lock()
	defer o.flushing.Unlock()
	e, err := o.waiting(id)
	if err != nil {
		return err
	}
	if _, err = o.takeBack(ctx, e); err != nil {
		return err
	}
	return o.store.DeleteEntry(id)
}
