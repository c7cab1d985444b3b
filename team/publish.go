package team

import (
	"context"
	"errors"
	"fmt"

	"chancery/drafts"
)

// publish claims the approved revisions this login wrote and carries on
// with the claims this laptop won: their outbox entries are queued, the
// outbox flushed, and a revision whose every entry was sent is reported
// published. It tells whether it queued events to push.
func (s *Service) publish(ctx context.Context, cfg Config, res *SyncResult) (bool, error) {
	items, err := s.items()
	if err != nil {
		return false, err
	}
	var won []Item
	more := false
	for _, it := range sorted(items, "", []State{StateApproved, StateClaimed}) {
		switch {
		case it.Pending:
			continue // wait until the server's answer is pulled
		case it.State == StateApproved && it.Author == cfg.Login:
			if _, err := s.publishableHere(it); err != nil {
				continue // another laptop of the author's publishes it
			}
			queued, err := s.claim(cfg, it)
			if err != nil {
				return false, err
			}
			more = more || queued
		case it.State == StateClaimed && it.claim == claimID(it.Post, it.Latest().Number, cfg.Device):
			won = append(won, it)
		}
	}
	for _, it := range sorted(items, "", []State{StatePublished}) {
		if it.Author == cfg.Login {
			if err := s.forgetDraft(it); err != nil {
				return false, err
			}
		}
	}
	if len(won) == 0 || s.o.Planner == nil || s.o.Outbox == nil {
		return more, nil
	}
	reported, err := s.deliver(ctx, won, res)
	return more || reported, err
}

// deliver queues the won revisions in the outbox (once: entry ids are
// derived), flushes it, and queues "published" for each revision whose
// every entry was sent.
func (s *Service) deliver(ctx context.Context, won []Item, res *SyncResult) (bool, error) {
	plans := make([][]drafts.Entry, len(won))
	for i, it := range won {
		entries, err := s.entries(it)
		if err != nil {
			return false, err
		}
		added, err := s.o.Store.EnqueueDerived(it.Post, entries)
		if err != nil {
			return false, err
		}
		if added > 0 {
			res.Claimed++
		}
		plans[i] = entries
	}
	if s.o.Flusher != nil {
		if _, err := s.o.Flusher.Flush(ctx); err != nil {
			return false, fmt.Errorf("publish reviewed posts: %w", err)
		}
	}
	reported := false
	for i, it := range won {
		sent, err := s.allSent(plans[i])
		if err != nil {
			return reported, err
		}
		if !sent {
			continue
		}
		latest := it.Latest()
		if err := s.queue(Event{
			ID: newID(), Mission: it.Mission, Post: it.Post, Revision: latest.Number,
			Kind: KindPublished, Hash: latest.Hash,
		}); err != nil {
			return reported, err
		}
		res.Published++
		reported = true
	}
	return reported, nil
}

// entries are the outbox entries of an item's latest revision on this
// laptop's accounts, with ids derived from post, revision, the author's
// account id and language: the same on every laptop.
func (s *Service) entries(it Item) ([]drafts.Entry, error) {
	latest := it.Latest()
	targets, err := s.publishableHere(it)
	if err != nil {
		return nil, fmt.Errorf("publish reviewed post %s: %w", it.Post, err)
	}
	d := latest.Content.Draft(it.Post)
	author := map[string]string{}
	for i, id := range d.Targets {
		d.Targets[i] = targets[id]
		author[targets[id]] = id
	}
	entries, err := s.o.Planner.Entries(d)
	if err != nil {
		return nil, fmt.Errorf("plan reviewed post %s: %w", it.Post, err)
	}
	for i := range entries {
		e := &entries[i]
		e.ID, e.DraftID = EntryID(it.Post, latest.Number, author[e.Account], e.Lang), it.Post
	}
	return entries, nil
}

func (s *Service) allSent(entries []drafts.Entry) (bool, error) {
	for _, e := range entries {
		got, err := s.o.Outbox.Entry(e.ID)
		if errors.Is(err, drafts.ErrNoEntry) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if got.State != drafts.Sent {
			return false, nil
		}
	}
	return true, nil
}

// forgetDraft deletes the author's draft of a post another laptop
// published, when it still holds exactly the published revision (an edit
// made since is kept).
func (s *Service) forgetDraft(it Item) error {
	if s.o.Accounts == nil {
		return nil
	}
	d, err := s.o.Store.Draft(it.Post)
	if errors.Is(err, drafts.ErrNoDraft) {
		return nil
	}
	if err != nil {
		return err
	}
	_, refs, err := s.missionOf(d)
	if err != nil {
		return nil // its accounts changed: the user decides
	}
	c := ContentOf(d)
	c.Refs = refs
	if _, hash, err := c.Encode(); err != nil || hash != it.Latest().Hash {
		return err
	}
	return s.o.Store.DeleteDraft(it.Post)
}
