package accounts

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Store persists missions and accounts. Implemented by storage.
type Store interface {
	Missions() ([]Mission, error)
	Accounts() ([]Account, error)
	PutAccount(a Account) error
	// UpdateAccount changes a stored account in one transaction: fn gets
	// the account as stored and changes it in place. It reports ErrNoAccount
	// if the account is absent, never creating it again.
	UpdateAccount(id string, fn func(*Account) error) error
	// PutMission adds or replaces a mission.
	PutMission(m Mission) error
	// DeleteAccount removes the account and everything cached for it.
	DeleteAccount(id string) error
	// Seed writes the missions and accounts in one transaction if, and only
	// if, the profile was never seeded before; it reports whether it did.
	Seed(missions []Mission, accts []Account) (bool, error)
}

// DefaultMissions is the workspace a new profile starts with.
func DefaultMissions() []Mission {
	return []Mission{
		{ID: "vienna", Names: map[string]string{"en": "Vienna", "fr": "Vienne", "de": "Wien", "nl": "Wenen", "zh-Hans": "维也纳"}, TimeZone: "Europe/Vienna", HostLanguage: "de"},
		{ID: "the-hague", Names: map[string]string{"en": "The Hague", "fr": "La Haye", "de": "Den Haag", "nl": "Den Haag", "zh-Hans": "海牙"}, TimeZone: "Europe/Amsterdam", HostLanguage: "nl"},
		{ID: "beijing", Names: map[string]string{"en": "Beijing", "fr": "Pékin", "de": "Peking", "nl": "Peking", "zh-Hans": "北京"}, TimeZone: "Asia/Shanghai", HostLanguage: "zh-Hans"},
		{ID: "new-york", Names: map[string]string{"en": "New York", "fr": "New York", "de": "New York", "nl": "New York", "zh-Hans": "纽约"}, TimeZone: "America/New_York", HostLanguage: "en"},
		{ID: "washington", Names: map[string]string{"en": "Washington", "fr": "Washington", "de": "Washington", "nl": "Washington", "zh-Hans": "华盛顿"}, TimeZone: "America/New_York", HostLanguage: "en"},
	}
}

// DemoAccount returns the demo account of a mission.
func DemoAccount(m Mission, now time.Time) Account {
	return Account{
		ID:          m.ID + "-demo",
		Mission:     m.ID,
		Network:     Demo,
		Server:      "demo",
		Handle:      "@" + m.ID + "@demo",
		DisplayName: m.Name("en"),
		State:       StateOK,
		CreatedAt:   now.UTC(),
	}
}

// Workspace is the service over missions and accounts used by the GUI and CLI.
type Workspace struct {
	store   Store
	secrets SecretStore
	now     func() time.Time
}

// NewWorkspace returns a workspace over store, keeping account secrets in
// secrets (the OS keyring in the application). With a nil secrets, adding an
// account that has a secret fails with ErrKeyringUnavailable. A nil now
// means time.Now.
func NewWorkspace(store Store, secrets SecretStore, now func() time.Time) *Workspace {
	if now == nil {
		now = time.Now
	}
	return &Workspace{store: store, secrets: secrets, now: now}
}

// EnsureDefault seeds a never-used profile with the default missions, each
// holding one demo account. A profile seeded before is left as it is, even
// if the user removed everything since.
func (w *Workspace) EnsureDefault() (bool, error) {
	missions := DefaultMissions()
	accts := make([]Account, 0, len(missions))
	for i := range missions {
		missions[i].Position = i
		accts = append(accts, DemoAccount(missions[i], w.now()))
	}
	seeded, err := w.store.Seed(missions, accts)
	if err != nil {
		return false, fmt.Errorf("seed default workspace: %w", err)
	}
	return seeded, nil
}

// Missions returns the missions in display order.
func (w *Workspace) Missions() ([]Mission, error) {
	ms, err := w.store.Missions()
	if err != nil {
		return nil, fmt.Errorf("list missions: %w", err)
	}
	slices.SortStableFunc(ms, func(a, b Mission) int {
		return cmp.Or(cmp.Compare(a.Position, b.Position), cmp.Compare(a.ID, b.ID))
	})
	return ms, nil
}

// Accounts returns every account, ordered by position then id.
func (w *Workspace) Accounts() ([]Account, error) {
	as, err := w.store.Accounts()
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	slices.SortStableFunc(as, func(a, b Account) int {
		return cmp.Or(cmp.Compare(a.Position, b.Position), cmp.Compare(a.ID, b.ID))
	})
	return as, nil
}

// Account returns the account with the given id.
func (w *Workspace) Account(id string) (Account, error) {
	as, err := w.Accounts()
	if err != nil {
		return Account{}, err
	}
	for _, a := range as {
		if a.ID == id {
			return a, nil
		}
	}
	return Account{}, fmt.Errorf("account %q: %w", id, ErrNoAccount)
}

// MissionAccounts returns the accounts of one mission.
func (w *Workspace) MissionAccounts(missionID string) ([]Account, error) {
	as, err := w.Accounts()
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(as, func(a Account) bool { return a.Mission != missionID }), nil
}

// Mission returns the mission with the given id.
func (w *Workspace) Mission(id string) (Mission, error) {
	ms, err := w.Missions()
	if err != nil {
		return Mission{}, err
	}
	for _, m := range ms {
		if m.ID == id {
			return m, nil
		}
	}
	return Mission{}, fmt.Errorf("mission %q: %w", id, ErrNoMission)
}

// SetHostLanguage sets the mission's host language (see ParseHostLanguage;
// "none" leaves it with English and French only) and returns the mission
// as stored.
func (w *Workspace) SetHostLanguage(missionID, lang string) (Mission, error) {
	host, err := ParseHostLanguage(lang)
	if err != nil {
		return Mission{}, err
	}
	m, err := w.Mission(missionID)
	if err != nil {
		return Mission{}, err
	}
	m.HostLanguage = host
	if err := w.store.PutMission(m); err != nil {
		return Mission{}, fmt.Errorf("set host language of %q: %w", missionID, err)
	}
	return m, nil
}

// AccountLanguages returns the languages the account publishes in: those
// of its mission.
func (w *Workspace) AccountLanguages(accountID string) ([]string, error) {
	a, err := w.Account(accountID)
	if err != nil {
		return nil, err
	}
	m, err := w.Mission(a.Mission)
	if err != nil {
		return nil, fmt.Errorf("account %q: %w", accountID, err)
	}
	return m.Languages(), nil
}

// SetState records an account's observed state, and for StateOK the time
// of this success (LastOK, kept to the minute so that a refresh a minute
// costs at most one write). Only these fields change, in one transaction,
// so that a refresh finishing during a move or a removal cannot undo it; an
// account removed meanwhile stays removed (ErrNoAccount).
func (w *Workspace) SetState(id string, s State) error {
	now := w.now().UTC().Truncate(time.Minute)
	if a, err := w.Account(id); err == nil && a.State == s && (s != StateOK || a.LastOK.Equal(now)) {
		return nil // unchanged: no write
	}
	err := w.store.UpdateAccount(id, func(a *Account) error {
		a.State = s
		if s == StateOK {
			a.LastOK = now
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("set state of account %q: %w", id, err)
	}
	return nil
}
