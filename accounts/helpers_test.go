package accounts_test

import (
	"errors"
	"maps"
	"slices"
	"sync"
	"time"

	"chancery/accounts"
)

var testNow = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// memStore is an accounts.Store in memory; failPut makes PutAccount fail.
type memStore struct {
	mu       sync.Mutex
	missions map[string]accounts.Mission
	accts    map[string]accounts.Account
	failPut  error
}

func newMemStore() *memStore {
	s := &memStore{missions: map[string]accounts.Mission{}, accts: map[string]accounts.Account{}}
	for i, m := range accounts.DefaultMissions() {
		m.Position = i
		s.missions[m.ID] = m
	}
	return s
}

func (s *memStore) Missions() ([]accounts.Mission, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Collect(maps.Values(s.missions)), nil
}

func (s *memStore) Accounts() ([]accounts.Account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Collect(maps.Values(s.accts)), nil
}

func (s *memStore) PutAccount(a accounts.Account) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failPut != nil {
		return s.failPut
	}
	if _, ok := s.missions[a.Mission]; !ok {
		return accounts.ErrNoMission
	}
	s.accts[a.ID] = a
	return nil
}

func (s *memStore) UpdateAccount(id string, fn func(*accounts.Account) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accts[id]
	if !ok {
		return accounts.ErrNoAccount
	}
	if err := fn(&a); err != nil {
		return err
	}
	if _, ok := s.missions[a.Mission]; !ok {
		return accounts.ErrNoMission
	}
	a.ID = id
	s.accts[id] = a
	return nil
}

func (s *memStore) DeleteAccount(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.accts[id]; !ok {
		return accounts.ErrNoAccount
	}
	delete(s.accts, id)
	return nil
}

func (s *memStore) PutMission(m accounts.Mission) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.missions[m.ID] = m
	return nil
}

func (s *memStore) Seed(missions []accounts.Mission, accts []accounts.Account) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range missions {
		s.missions[m.ID] = m
	}
	for _, a := range accts {
		s.accts[a.ID] = a
	}
	return true, nil
}

// spySecrets is a SecretStore in memory that records calls and can fail.
type spySecrets struct {
	mu        sync.Mutex
	secrets   map[string]string
	calls     []string
	failSet   error
	failDel   error
	failCalls error // fails every call
}

func newSpySecrets() *spySecrets { return &spySecrets{secrets: map[string]string{}} }

func (s *spySecrets) Secret(id string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, "get "+id)
	if s.failCalls != nil {
		return "", s.failCalls
	}
	v, ok := s.secrets[id]
	if !ok {
		return "", accounts.ErrNoSecret
	}
	return v, nil
}

func (s *spySecrets) SetSecret(id, secret string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, "set "+id)
	if err := errors.Join(s.failCalls, s.failSet); err != nil {
		return err
	}
	s.secrets[id] = secret
	return nil
}

func (s *spySecrets) DeleteSecret(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, "delete "+id)
	if err := errors.Join(s.failCalls, s.failDel); err != nil {
		return err
	}
	delete(s.secrets, id)
	return nil
}

func (s *spySecrets) has(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.secrets[id]
	return ok
}
