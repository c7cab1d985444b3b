package app

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// memStore is an in-memory accounts.Store, feeds.Cache and Prefs.
type memStore struct {
	mu        sync.Mutex
	seeded    bool
	missions  []accounts.Mission
	accts     []accounts.Account
	posts     map[feeds.TimelineKey][]feeds.Post
	refreshed map[feeds.TimelineKey]time.Time
	settings  map[string][]byte
}

func newMemStore() *memStore {
	return &memStore{
		posts:     map[feeds.TimelineKey][]feeds.Post{},
		refreshed: map[feeds.TimelineKey]time.Time{},
		settings:  map[string][]byte{},
	}
}

func (s *memStore) Missions() ([]accounts.Mission, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.missions), nil
}

func (s *memStore) Accounts() ([]accounts.Account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.accts), nil
}

func (s *memStore) PutAccount(a accounts.Account) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accts = slices.DeleteFunc(s.accts, func(b accounts.Account) bool { return b.ID == a.ID })
	s.accts = append(s.accts, a)
	return nil
}

func (s *memStore) DeleteAccount(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accts = slices.DeleteFunc(s.accts, func(b accounts.Account) bool { return b.ID == id })
	for k := range s.posts {
		if k.Account == id {
			delete(s.posts, k)
		}
	}
	return nil
}

func (s *memStore) Seed(ms []accounts.Mission, as []accounts.Account) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seeded {
		return false, nil
	}
	s.seeded, s.missions, s.accts = true, ms, as
	return true, nil
}

func (s *memStore) PutPosts(k feeds.TimelineKey, ps []feeds.Post, at time.Time) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	added := 0
	for _, p := range ps {
		i := slices.IndexFunc(s.posts[k], func(q feeds.Post) bool { return q.ID == p.ID })
		if i >= 0 {
			s.posts[k][i] = p
			continue
		}
		s.posts[k] = append(s.posts[k], p)
		added++
	}
	slices.SortFunc(s.posts[k], func(a, b feeds.Post) int { return cmp.Compare(b.CreatedAt.UnixNano(), a.CreatedAt.UnixNano()) })
	s.refreshed[k] = at
	return added, nil
}

func (s *memStore) Posts(k feeds.TimelineKey, limit int) ([]feeds.Post, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ps := s.posts[k]
	return slices.Clone(ps[:min(limit, len(ps))]), nil
}

func (s *memStore) LastRefreshed(k feeds.TimelineKey) (time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refreshed[k], nil
}

func (s *memStore) Setting(key string) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.settings[key]
	return slices.Clone(v), ok, nil
}

func (s *memStore) SetSetting(key string, v []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settings[key] = slices.Clone(v)
	return nil
}

// scriptedNetwork returns fixed posts, or an error, for every account.
type scriptedNetwork struct {
	mu    sync.Mutex
	posts func(a accounts.Account) []feeds.Post
	err   error
}

func (n *scriptedNetwork) ID() accounts.Network { return accounts.Demo }

func (n *scriptedNetwork) Capabilities() feeds.Capabilities {
	return feeds.Capabilities{Kinds: []feeds.Kind{feeds.Home}}
}

func (n *scriptedNetwork) Fetch(_ context.Context, a accounts.Account, _ feeds.Kind) ([]feeds.Post, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.err != nil {
		return nil, n.err
	}
	return n.posts(a), nil
}

func (n *scriptedNetwork) fail(err error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.err = err
}
