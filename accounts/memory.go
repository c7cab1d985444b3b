package accounts

import (
	"errors"
	"fmt"
	"sync"
)

// MemorySecrets is a SecretStore that keeps secrets in this process's memory
// only: they are gone when Chancery quits. It backs the "keep it for this
// session only" choice offered when the OS keyring is not available. There
// is deliberately no file-backed store.
type MemorySecrets struct {
	mu      sync.Mutex
	secrets map[string]string
}

var _ SecretStore = (*MemorySecrets)(nil)

// NewMemorySecrets returns an empty in-memory store.
func NewMemorySecrets() *MemorySecrets {
	return &MemorySecrets{secrets: map[string]string{}}
}

// Secret returns the account's secret, or an error wrapping ErrNoSecret.
func (m *MemorySecrets) Secret(accountID string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.secrets[accountID]
	if !ok {
		return "", fmt.Errorf("session secret %q: %w", accountID, ErrNoSecret)
	}
	return s, nil
}

// SetSecret stores or replaces the account's secret.
func (m *MemorySecrets) SetSecret(accountID, secret string) error {
	if accountID == "" || secret == "" {
		return errors.New("session secret: empty account id or secret")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.secrets[accountID] = secret
	return nil
}

// DeleteSecret removes the account's secret; a missing one is not an error.
func (m *MemorySecrets) DeleteSecret(accountID string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.secrets, accountID)
	return nil
}

// SessionKeeper is implemented by secret stores that can keep a secret in
// memory for this run only, when the user chooses so because the OS keyring
// is not available.
type SessionKeeper interface {
	KeepForSession(accountID, secret string) error
}

// Persister is implemented by secret stores that may hold a secret for
// this session only: Persist stores it in the persistent store instead, as
// a new sign-in with a working keyring asks. (SetSecret keeps a secret
// where the user chose to keep it, as a token refresh needs.)
type Persister interface {
	Persist(accountID, secret string) error
}

// SessionSecrets is the SecretStore the application runs on: a persistent
// store (the OS keyring) plus the secrets the user chose to keep in memory
// for this session only. Reads look in memory first.
type SessionSecrets struct {
	persistent SecretStore
	session    *MemorySecrets

	mu   sync.Mutex
	only map[string]bool // accounts whose secret stays in memory, even once deleted
}

var (
	_ SecretStore   = (*SessionSecrets)(nil)
	_ SessionKeeper = (*SessionSecrets)(nil)
	_ Persister     = (*SessionSecrets)(nil)
)

// NewSessionSecrets returns a store over persistent with an empty session memory.
func NewSessionSecrets(persistent SecretStore) *SessionSecrets {
	return &SessionSecrets{persistent: persistent, session: NewMemorySecrets(), only: map[string]bool{}}
}

// Secret returns the session's copy of the account's secret if there is
// one, else the persistent store's.
func (s *SessionSecrets) Secret(accountID string) (string, error) {
	if v, err := s.session.Secret(accountID); err == nil {
		return v, nil
	}
	return s.persistent.Secret(accountID)
}

// SetSecret stores or replaces the account's secret where it is kept: in
// memory if the user chose this session only, so that a refreshed token
// never reaches the keyring (not even one arriving after the account was
// removed), else in the persistent store.
func (s *SessionSecrets) SetSecret(accountID, secret string) error {
	if s.sessionOnly(accountID) {
		return s.session.SetSecret(accountID, secret)
	}
	return s.persistent.SetSecret(accountID, secret)
}

// Persist stores the secret persistently and drops any session copy.
func (s *SessionSecrets) Persist(accountID, secret string) error {
	if err := s.persistent.SetSecret(accountID, secret); err != nil {
		return err
	}
	s.mu.Lock()
	delete(s.only, accountID)
	s.mu.Unlock()
	return s.session.DeleteSecret(accountID)
}

// KeepForSession keeps the secret in memory until Chancery quits.
func (s *SessionSecrets) KeepForSession(accountID, secret string) error {
	if err := s.session.SetSecret(accountID, secret); err != nil {
		return err
	}
	s.mu.Lock()
	s.only[accountID] = true
	s.mu.Unlock()
	return nil
}

func (s *SessionSecrets) sessionOnly(accountID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.only[accountID]
}

// DeleteSecret removes the account's secret from memory and from the
// persistent store. When the secret was held for this session only, an
// unavailable keyring is not an error: such accounts were created while it
// could not be reached, so it holds nothing for them.
func (s *SessionSecrets) DeleteSecret(accountID string) error {
	inSession := s.sessionOnly(accountID)
	_ = s.session.DeleteSecret(accountID)
	err := s.persistent.DeleteSecret(accountID)
	if err != nil && inSession && errors.Is(err, ErrKeyringUnavailable) {
		return nil
	}
	return err
}

// Probe checks the persistent store if it can be checked (see Keyring.Probe).
func (s *SessionSecrets) Probe() error {
	if p, ok := s.persistent.(interface{ Probe() error }); ok {
		return p.Probe()
	}
	return nil
}
