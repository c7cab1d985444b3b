package team

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"chancery/accounts"
	"chancery/drafts"
)

// Accounts finds accounts and their missions (accounts.Workspace).
type Accounts interface {
	Account(id string) (accounts.Account, error)
	Accounts() ([]accounts.Account, error)
}

// Options are the parts a Service works with. Store is required; the
// others are needed to submit (Accounts), to reach the server (Secrets)
// and to publish (Planner, Outbox, Flusher).
type Options struct {
	Store    Store
	Accounts Accounts
	Secrets  accounts.SecretStore
	Planner  Planner
	Outbox   Outbox
	// Flusher publishes the outbox after a claim was won (drafts.Outbox);
	// nil leaves publishing to the outbox's own schedule.
	Flusher Flusher
	Now     func() time.Time
	// Timeout bounds each exchange with the team server (a statement and
	// its answer; 30 s): a connection that went silent (a laptop woken
	// from sleep, a dropped Wi-Fi, a lock held by someone's open
	// transaction) fails the Sync, which is tried again, instead of
	// holding it, and every Publish waiting for it, for ever.
	Timeout time.Duration
}

// Service is the review API shared by the window and the command line.
// Its methods are safe for concurrent use and never touch a widget; Sync
// and Run reach the network and must not run on the UI goroutine.
type Service struct {
	o       Options
	syncing sync.Mutex
	changes chan struct{}
	wake    chan struct{}
}

// New returns a review service.
func New(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	return &Service{o: o, changes: make(chan struct{}, 1), wake: make(chan struct{}, 1)}
}

// Changes signals, coalesced, that the items may have changed: an event
// was queued, refused or pulled. It is meant for one reader (the window),
// which then reads List again off the UI goroutine.
func (s *Service) Changes() <-chan struct{} { return s.changes }

func (s *Service) changed() {
	select {
	case s.changes <- struct{}{}:
	default:
	}
	select {
	case s.wake <- struct{}{}: // Run pushes it at once
	default:
	}
}

// List returns the posts in review of mission ("" for every mission) in
// the given states (none for all), most recently changed first.
func (s *Service) List(mission string, states ...State) ([]Item, error) {
	items, err := s.items()
	if err != nil {
		return nil, err
	}
	return sorted(items, mission, states), nil
}

// Item returns one post in review.
func (s *Service) Item(post string) (Item, error) {
	items, err := s.items()
	if err != nil {
		return Item{}, err
	}
	it, ok := items[post]
	if !ok || len(it.Revisions) == 0 {
		return Item{}, fmt.Errorf("post %s: %w", post, ErrNoPost)
	}
	return *it, nil
}

// Comments returns a post's comment thread, oldest first.
func (s *Service) Comments(post string) ([]Comment, error) {
	it, err := s.Item(post)
	return it.Comments, err
}

// Queued returns this laptop's events not yet in the pulled log, refused
// ones included (with their reason).
func (s *Service) Queued() ([]Queued, error) { return s.o.Store.QueuedEvents() }

// Dismiss forgets a refused event once the user has read why; an event
// still waiting to be sent is not touched.
func (s *Service) Dismiss(id string) error {
	if err := s.o.Store.DropRefused(id); err != nil {
		return err
	}
	s.changed()
	return nil
}

func (s *Service) items() (map[string]*Item, error) {
	cfg, err := s.o.Store.TeamConfig()
	if err != nil && !errors.Is(err, ErrNotConnected) {
		return nil, err
	}
	pulled, err := s.o.Store.PulledEvents()
	if err != nil {
		return nil, fmt.Errorf("read review log: %w", err)
	}
	queued, err := s.o.Store.QueuedEvents()
	if err != nil {
		return nil, fmt.Errorf("read review queue: %w", err)
	}
	return fold(pulled, queued, cfg.Login), nil
}

// RequiresReview tells whether a mission publishes only through review.
func (s *Service) RequiresReview(mission string) (bool, error) {
	return s.o.Store.RequiresReview(mission)
}

// SetRequiresReview sets whether a mission publishes only through review.
func (s *Service) SetRequiresReview(mission string, on bool) error {
	return s.o.Store.SetRequiresReview(mission, on)
}

// CheckDirect returns ErrReviewNeeded when one of d's targets belongs to a
// mission that publishes only through review: the composer and `post`
// call it before queueing a draft directly.
func (s *Service) CheckDirect(d drafts.Draft) error {
	for _, id := range d.Targets {
		a, err := s.o.Accounts.Account(id)
		if err != nil {
			return fmt.Errorf("account %s: %w", id, err)
		}
		on, err := s.o.Store.RequiresReview(a.Mission)
		if err != nil {
			return err
		}
		if on {
			return fmt.Errorf("mission %s: %w", a.Mission, ErrReviewNeeded)
		}
	}
	return nil
}

// newID returns a random event id.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// derive returns a stable id from parts: the same parts give the same id
// on every laptop.
func derive(prefix string, parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return prefix + hex.EncodeToString(sum[:12])
}

// EntryID is the outbox entry id (and idempotency key) of one revision's
// variant in lang on account: the same on every laptop, so the outbox's
// own checks stop a second post wherever it comes from.
func EntryID(post string, revision int, account, lang string) string {
	return derive("rv", post, strconv.Itoa(revision), account, lang)
}

// claimID is the id of the claim this laptop makes on a revision.
func claimID(post string, revision int, device string) string {
	return derive("claim-", post, strconv.Itoa(revision), device)
}

// Login returns the login this profile signs in to the team server as, or
// an error wrapping ErrNotConnected.
func (s *Service) Login() (string, error) {
	cfg, err := s.o.Store.TeamConfig()
	if err != nil {
		return "", err
	}
	return cfg.Login, nil
}
