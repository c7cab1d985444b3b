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

// Languages tells in which languages an account publishes: those of its
// mission. Implemented by accounts.Workspace.
type Languages interface {
	AccountLanguages(accountID string) ([]string, error)
}

// Service manages drafts and turns them into outbox entries.
type Service struct {
	store Store
	now   func() time.Time
	langs Languages
}

// Option configures a Service.
type Option func(*Service)

// WithLanguages makes each target publish only the variants in its
// mission's languages. Without it, every variant goes to every target.
func WithLanguages(l Languages) Option { return func(s *Service) { s.langs = l } }

// NewService returns a draft service over store.
func NewService(store Store, now func() time.Time, opts ...Option) *Service {
	if now == nil {
		now = time.Now
	}
	s := &Service{store: store, now: now}
	for _, o := range opts {
		o(s)
	}
	return s
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

// Blank returns a new draft for the given targets without storing it: a
// composer left untouched leaves nothing behind; its first Save stores it.
func (s *Service) Blank(targets []string) Draft {
	now := s.now().UTC()
	return Draft{ID: newID(), Targets: slices.Clone(targets), CreatedAt: now, UpdatedAt: now}
}

// Restore puts back a deleted draft exactly as it was, edit time included
// (to undo a deletion).
func (s *Service) Restore(d Draft) error {
	if d.ID == "" {
		return fmt.Errorf("restore draft: %w", ErrNoDraft)
	}
	if err := s.store.PutDraft(d); err != nil {
		return fmt.Errorf("restore draft %s: %w", d.ID, err)
	}
	return nil
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

// Plan returns what d will publish on each target, from the languages of
// each target's mission.
func (s *Service) Plan(d Draft) (Plan, error) {
	allowed := map[string][]string{}
	for _, acct := range d.Targets {
		langs := d.writtenLanguages() // without languages, every variant everywhere
		if s.langs != nil {
			var err error
			if langs, err = s.langs.AccountLanguages(acct); err != nil {
				return Plan{}, fmt.Errorf("languages of %s: %w", acct, err)
			}
		}
		allowed[acct] = langs
	}
	return PlanFor(d, allowed), nil
}

// Entries splits d into outbox entries: on each target, each non-empty
// variant in one of its mission's languages, in target then variant order.
// A target that would publish nothing is an error naming it.
func (s *Service) Entries(d Draft) ([]Entry, error) {
	if len(d.Targets) == 0 {
		return nil, ErrNoTargets
	}
	if len(d.writtenLanguages()) == 0 {
		return nil, ErrEmptyDraft
	}
	plan, err := s.Plan(d)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	var out []Entry
	for _, t := range plan.Targets {
		if len(t.Langs) == 0 {
			return nil, fmt.Errorf("%s publishes only %s: %w", t.Account, strings.Join(t.Allowed, ", "), ErrNoLanguageForAccount)
		}
		for _, lang := range t.Langs {
			out = append(out, Entry{
				ID: newID(), DraftID: d.ID, Account: t.Account, Lang: lang, Text: d.Text(lang),
				ContentWarning: d.ContentWarning, ReplyTo: d.ReplyTo, Visibility: d.Visibility,
				Media: slices.Clone(d.Media), State: Queued,
				NotBefore: d.ScheduledAt, ScheduledAt: d.ScheduledAt, Zone: d.Zone,
				Seq: len(out), CreatedAt: now, UpdatedAt: now,
			})
		}
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
