package team

import (
	"context"
	"fmt"
	"strings"

	"chancery/drafts"
)

// Submit queues draft d as the next revision of the post it is (the post's
// id is the draft's). Every target must belong to one mission. It works
// offline: the event is pushed by the next Sync.
func (s *Service) Submit(d drafts.Draft) (Item, error) {
	cfg, err := s.o.Store.TeamConfig()
	if err != nil {
		return Item{}, err
	}
	mission, refs, err := s.missionOf(d)
	if err != nil {
		return Item{}, fmt.Errorf("submit %s: %w", d.ID, err)
	}
	content := ContentOf(d)
	content.Refs = refs
	if len(content.Variants) == 0 {
		return Item{}, fmt.Errorf("submit %s: %w", d.ID, drafts.ErrEmptyDraft)
	}
	raw, hash, err := content.Encode()
	if err != nil {
		return Item{}, err
	}
	items, err := s.items()
	if err != nil {
		return Item{}, err
	}
	rev := 1
	if it, ok := items[d.ID]; ok && len(it.Revisions) > 0 {
		switch {
		case it.Author != cfg.Login:
			return Item{}, fmt.Errorf("submit %s: %w", d.ID, ErrNotYours)
		case it.State == StateClaimed || it.State == StatePublished:
			return Item{}, fmt.Errorf("submit %s (%s): %w", d.ID, it.State, ErrState)
		case it.Mission != mission:
			return Item{}, fmt.Errorf("submit %s: %w", d.ID, ErrMixedMission)
		}
		rev = it.Latest().Number + 1
	}
	e := Event{ID: newID(), Mission: mission, Post: d.ID, Revision: rev, Kind: KindSubmit, Hash: hash, Content: raw}
	if err := s.queue(e); err != nil {
		return Item{}, err
	}
	return s.Item(d.ID)
}

// missionOf returns the one mission of d's targets and what they are.
func (s *Service) missionOf(d drafts.Draft) (string, []AccountRef, error) {
	if len(d.Targets) == 0 {
		return "", nil, drafts.ErrNoTargets
	}
	mission := ""
	var refs []AccountRef
	for _, id := range d.Targets {
		a, err := s.o.Accounts.Account(id)
		if err != nil {
			return "", nil, fmt.Errorf("account %s: %w", id, err)
		}
		if mission != "" && a.Mission != mission {
			return "", nil, ErrMixedMission
		}
		mission = a.Mission
		refs = append(refs, AccountRef{ID: a.ID, Network: string(a.Network), Server: a.Server, Handle: a.Handle})
	}
	return mission, refs, nil
}

// Approve queues the approval of the post's latest revision, naming it and
// its content hash: an edit made meanwhile voids it on the server.
func (s *Service) Approve(post string) error {
	return s.review(post, KindApprove, "")
}

// Return queues the post's return to its author with a comment.
func (s *Service) Return(post, comment string) error {
	if strings.TrimSpace(comment) == "" {
		return fmt.Errorf("return %s: %w", post, ErrNoComment)
	}
	return s.review(post, KindReturn, comment)
}

func (s *Service) review(post string, kind Kind, comment string) error {
	_, it, err := s.current(post)
	if err != nil {
		return err
	}
	if it.State != StateSubmitted {
		return fmt.Errorf("%s %s (%s): %w", kind, post, it.State, ErrState)
	}
	// The author is not stopped here: the server refuses it, and the
	// refusal is kept with its reason, so the rule holds in one place.
	latest := it.Latest()
	return s.queue(Event{
		ID: newID(), Mission: it.Mission, Post: post, Revision: latest.Number,
		Kind: kind, Hash: latest.Hash, Comment: comment,
	})
}

// Withdraw queues the author's withdrawal of the post.
func (s *Service) Withdraw(post string) error {
	cfg, it, err := s.current(post)
	if err != nil {
		return err
	}
	if it.Author != cfg.Login {
		return fmt.Errorf("withdraw %s: %w", post, ErrNotYours)
	}
	switch it.State {
	case StateSubmitted, StateApproved, StateReturned:
	default:
		return fmt.Errorf("withdraw %s (%s): %w", post, it.State, ErrState)
	}
	latest := it.Latest()
	return s.queue(Event{
		ID: newID(), Mission: it.Mission, Post: post, Revision: latest.Number,
		Kind: KindWithdraw, Hash: latest.Hash,
	})
}

func (s *Service) current(post string) (Config, Item, error) {
	cfg, err := s.o.Store.TeamConfig()
	if err != nil {
		return Config{}, Item{}, err
	}
	it, err := s.Item(post)
	return cfg, it, err
}

// Publish claims the post's approved revision for this laptop and, if the
// claim wins, publishes it through the outbox (see Sync). Whoever asks
// first on the server wins; the others are refused with ReasonClaimed.
func (s *Service) Publish(ctx context.Context, post string) (SyncResult, error) {
	cfg, it, err := s.current(post)
	if err != nil {
		return SyncResult{}, err
	}
	if it.State != StateApproved {
		return SyncResult{}, fmt.Errorf("publish %s (%s): %w", post, it.State, ErrState)
	}
	if _, err := s.publishableHere(it); err != nil {
		return SyncResult{}, err
	}
	if _, err := s.claim(cfg, it); err != nil {
		return SyncResult{}, err
	}
	return s.Sync(ctx)
}

// claim queues this laptop's claim on the item's latest revision, once
// (a refused claim stays refused), and tells whether it queued it.
func (s *Service) claim(cfg Config, it Item) (bool, error) {
	latest := it.Latest()
	id := claimID(it.Post, latest.Number, cfg.Device)
	queued, err := s.o.Store.QueuedEvents()
	if err != nil {
		return false, err
	}
	for _, q := range queued {
		if q.ID == id {
			return false, nil
		}
	}
	return true, s.queue(Event{
		ID: id, Mission: it.Mission, Post: it.Post, Revision: latest.Number,
		Kind: KindClaim, Hash: latest.Hash,
	})
}

func (s *Service) queue(e Event) error {
	if err := s.o.Store.QueueEvent(Queued{Event: e, Queued: s.o.Now().UTC()}); err != nil {
		return err
	}
	s.changed()
	return nil
}
