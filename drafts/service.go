package drafts

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Store persists drafts and outbox entries. Implemented by storage.
type Store interface {
	PutDraft(d Draft) error
	// Draft returns the draft, or an error wrapping ErrNoDraft.
	Draft(id string) (Draft, error)
	Drafts() ([]Draft, error)
	DeleteDraft(id string) error
	// Enqueue stores the entries and deletes the draft, in one transaction.
	Enqueue(draftID string, entries []Entry) error
	PutEntry(e Entry) error
	// Entry returns the entry, or an error wrapping ErrNoEntry.
	Entry(id string) (Entry, error)
	// Entries returns every entry in the order they were queued.
	Entries() ([]Entry, error)
	DeleteEntry(id string) error
}

// Checker validates one entry before it is queued: the account can post
// and the text fits its network's length rules.
type Checker interface {
	Check(e Entry) error
}

// Service manages drafts and turns them into outbox entries.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns a draft service over store.
func NewService(store Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, now: now}
}

// New creates and saves an empty draft for the given targets.
func (s *Service) New(targets []string) (Draft, error) {
	now := s.now().UTC()
	d := Draft{ID: newID(), Targets: slices.Clone(targets), CreatedAt: now, UpdatedAt: now}
	if err := s.store.PutDraft(d); err != nil {
		return Draft{}, fmt.Errorf("create draft: %w", err)
	}
	return d, nil
}

// Save stores d as the draft's latest state.
func (s *Service) Save(d Draft) (Draft, error) {
	if d.ID == "" {
		return Draft{}, fmt.Errorf("save draft: %w", ErrNoDraft)
	}
	d.UpdatedAt = s.now().UTC()
	if d.CreatedAt.IsZero() {
		d.CreatedAt = d.UpdatedAt
	}
	if err := s.store.PutDraft(d); err != nil {
		return Draft{}, fmt.Errorf("save draft %s: %w", d.ID, err)
	}
	return d, nil
}

// Get returns one draft.
func (s *Service) Get(id string) (Draft, error) { return s.store.Draft(id) }

// List returns every draft, most recently edited first.
func (s *Service) List() ([]Draft, error) {
	ds, err := s.store.Drafts()
	if err != nil {
		return nil, fmt.Errorf("list drafts: %w", err)
	}
	slices.SortStableFunc(ds, func(a, b Draft) int { return b.UpdatedAt.Compare(a.UpdatedAt) })
	return ds, nil
}

// Delete removes a draft.
func (s *Service) Delete(id string) error {
	if _, err := s.store.Draft(id); err != nil {
		return err
	}
	return s.store.DeleteDraft(id)
}

// Entries splits d into outbox entries: each non-empty variant on each
// target, in target then variant order.
func (s *Service) Entries(d Draft) ([]Entry, error) {
	if len(d.Targets) == 0 {
		return nil, ErrNoTargets
	}
	now := s.now().UTC()
	var out []Entry
	for _, acct := range d.Targets {
		for _, v := range d.Variants {
			if strings.TrimSpace(v.Text) == "" {
				continue
			}
			out = append(out, Entry{
				ID: newID(), DraftID: d.ID, Account: acct, Lang: v.Lang, Text: v.Text,
				ContentWarning: d.ContentWarning, ReplyTo: d.ReplyTo, Visibility: d.Visibility,
				Media: slices.Clone(d.Media), State: Queued,
				NotBefore: d.ScheduledAt, Seq: len(out), CreatedAt: now, UpdatedAt: now,
			})
		}
	}
	if len(out) == 0 {
		return nil, ErrEmptyDraft
	}
	return out, nil
}

// Submit checks every entry of d and, if all pass, queues them and deletes
// the draft in one step, so the text is never in neither place nor both.
func (s *Service) Submit(d Draft, check Checker) ([]Entry, error) {
	entries, err := s.Entries(d)
	if err != nil {
		return nil, fmt.Errorf("submit draft %s: %w", d.ID, err)
	}
	for _, e := range entries {
		if err := check.Check(e); err != nil {
			return nil, fmt.Errorf("submit draft %s to %s (%s): %w", d.ID, e.Account, e.Lang, err)
		}
	}
	if err := s.store.Enqueue(d.ID, entries); err != nil {
		return nil, fmt.Errorf("submit draft %s: %w", d.ID, err)
	}
	return entries, nil
}

// MissingOfficialLanguage returns "en" or "fr" when d has text in exactly
// one of Canada's official languages, or "" when it has both or neither.
func MissingOfficialLanguage(d Draft) string {
	en := strings.TrimSpace(d.Text("en")) != ""
	fr := strings.TrimSpace(d.Text("fr")) != ""
	switch {
	case en && !fr:
		return "fr"
	case fr && !en:
		return "en"
	}
	return ""
}
