package app

import (
	"cmp"
	"context"
	"maps"
	"net/url"
	"slices"
	"sync"
	"time"

	"chancery/accounts"
	"chancery/drafts"
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

func (s *memStore) UpdateAccount(id string, fn func(*accounts.Account) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.accts, func(a accounts.Account) bool { return a.ID == id })
	if i < 0 {
		return accounts.ErrNoAccount
	}
	a := s.accts[i]
	if err := fn(&a); err != nil {
		return err
	}
	a.ID = id
	s.accts[i] = a
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

func (s *memStore) PutMission(m accounts.Mission) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.missions = slices.DeleteFunc(slices.Clone(s.missions), func(n accounts.Mission) bool { return n.ID == m.ID })
	s.missions = append(s.missions, m)
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

// scriptedNetwork returns fixed posts, or an error, for every account, and
// records what it is asked to publish.
type scriptedNetwork struct {
	id        accounts.Network
	kinds     []feeds.Kind // default: home only
	media     bool
	mu        sync.Mutex
	posts     func(a accounts.Account) []feeds.Post
	err       error
	published []feeds.Outgoing
}

func (n *scriptedNetwork) Publish(_ context.Context, a accounts.Account, out feeds.Outgoing) (feeds.Published, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.err != nil {
		return feeds.Published{}, n.err
	}
	n.published = append(n.published, out)
	return feeds.Published{RemoteID: out.IdempotencyKey}, nil
}

func (n *scriptedNetwork) Length(_ accounts.Account, text string) (int, int) {
	return len([]rune(text)), 40
}

func (n *scriptedNetwork) sent() []feeds.Outgoing {
	n.mu.Lock()
	defer n.mu.Unlock()
	return slices.Clone(n.published)
}

func (n *scriptedNetwork) ID() accounts.Network { return cmp.Or(n.id, accounts.Demo) }

func (n *scriptedNetwork) Capabilities() feeds.Capabilities {
	kinds := n.kinds
	if kinds == nil {
		kinds = []feeds.Kind{feeds.Home}
	}
	return feeds.Capabilities{Kinds: kinds, Post: true, Media: n.media}
}

// Fetch returns the scripted posts; other timelines than home get their
// kind in front of each text, so tests can tell them apart.
func (n *scriptedNetwork) Fetch(_ context.Context, a accounts.Account, kind feeds.Kind) ([]feeds.Post, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.err != nil {
		return nil, n.err
	}
	posts := n.posts(a)
	if kind != feeds.Home {
		for i := range posts {
			posts[i].ID = string(kind) + "/" + posts[i].ID
			posts[i].Text = "[" + string(kind) + "] " + posts[i].Text
		}
	}
	return posts, nil
}

func (n *scriptedNetwork) fail(err error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.err = err
}

// memDrafts is an in-memory drafts.Store.
type memDrafts struct {
	mu      sync.Mutex
	broken  error // PutDraft fails with it when set
	drafts  map[string]drafts.Draft
	entries []drafts.Entry
}

func newMemDrafts() *memDrafts { return &memDrafts{drafts: map[string]drafts.Draft{}} }

func (m *memDrafts) PutDraft(d drafts.Draft) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.broken != nil {
		return m.broken
	}
	m.drafts[d.ID] = d
	return nil
}

func (m *memDrafts) Draft(id string) (drafts.Draft, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.drafts[id]
	if !ok {
		return d, drafts.ErrNoDraft
	}
	return d, nil
}

func (m *memDrafts) Drafts() ([]drafts.Draft, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Collect(maps.Values(m.drafts)), nil
}

func (m *memDrafts) DeleteDraft(id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.drafts, id)
	return nil
}

func (m *memDrafts) Enqueue(id string, es []drafts.Entry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries = append(m.entries, es...)
	delete(m.drafts, id)
	return nil
}

func (m *memDrafts) PutEntry(e drafts.Entry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.entries {
		if m.entries[i].ID == e.ID {
			m.entries[i] = e
			return nil
		}
	}
	m.entries = append(m.entries, e)
	return nil
}

func (m *memDrafts) Entry(id string) (drafts.Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range m.entries {
		if e.ID == id {
			return e, nil
		}
	}
	return drafts.Entry{}, drafts.ErrNoEntry
}

func (m *memDrafts) Entries() ([]drafts.Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.entries), nil
}

func (m *memDrafts) DeleteEntry(id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries = slices.DeleteFunc(m.entries, func(e drafts.Entry) bool { return e.ID == id })
	return nil
}

// switchableKeyring is a SecretStore that can be made unavailable.
type switchableKeyring struct {
	mu      sync.Mutex
	down    bool
	secrets map[string]string
}

func (k *switchableKeyring) Secret(id string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.down {
		return "", accounts.ErrKeyringUnavailable
	}
	s, ok := k.secrets[id]
	if !ok {
		return "", accounts.ErrNoSecret
	}
	return s, nil
}

func (k *switchableKeyring) SetSecret(id, s string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.down {
		return accounts.ErrKeyringUnavailable
	}
	k.secrets[id] = s
	return nil
}

func (k *switchableKeyring) DeleteSecret(id string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.secrets, id)
	return nil
}

// fakeSignIns accepts one password, and a browser sign-in that returns a
// token at once.
type fakeSignIns struct {
	password string
}

func (s *fakeSignIns) Verifier(n accounts.Network) accounts.Verifier {
	return func(_ context.Context, a accounts.Account, secret string) (accounts.Account, string, error) {
		if secret != s.password {
			return accounts.Account{}, "", feeds.ErrUnauthorized
		}
		a.Handle = "@press@" + string(n)
		return a, "session:" + secret, nil
	}
}

func (s *fakeSignIns) BrowserSignIn(_ context.Context, _ accounts.Network, server string, open func(*url.URL) error) (string, error) {
	u, _ := url.Parse("https://" + server + "/oauth/authorize")
	if err := open(u); err != nil {
		return "", err
	}
	return s.password, nil
}

func (s *fakeSignIns) CodeSignIn(context.Context, accounts.Network, string) (*url.URL, func(context.Context, string) (string, error), error) {
	u, _ := url.Parse("https://code.example/")
	return u, func(_ context.Context, code string) (string, error) { return code, nil }, nil
}

// fakeMaintenance reports a database shrinking when compacted.
type fakeMaintenance struct {
	mu        sync.Mutex
	size      int64
	retention int
	compacts  int
}

func (m *fakeMaintenance) Size() (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.size, nil
}

func (m *fakeMaintenance) Retention() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.retention
}

func (m *fakeMaintenance) SetRetention(n int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.retention = n
	return nil
}

func (m *fakeMaintenance) Compact() (int64, int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	before := m.size
	m.size /= 4
	m.compacts++
	return before, m.size, nil
}

// fakeActions records actions and can refuse them.
type fakeActions struct {
	mu     sync.Mutex
	caps   feeds.Capabilities
	fail   error
	acted  []string
	thread []feeds.Post
}

func (f *fakeActions) Capabilities(accounts.Account) feeds.Capabilities { return f.caps }

func (f *fakeActions) Act(_ context.Context, _ accounts.Account, id string, a feeds.Action, undo bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return f.fail
	}
	verb := string(a)
	if undo {
		verb = "un" + verb
	}
	f.acted = append(f.acted, verb+" "+id)
	return nil
}

func (f *fakeActions) CanThread(accounts.Account) bool { return f.thread != nil }

func (f *fakeActions) Thread(context.Context, accounts.Account, string) ([]feeds.Post, error) {
	return f.thread, nil
}

// fakeImages serves one PNG for every address.
type fakeImages struct{ png []byte }

func (f fakeImages) Image(context.Context, string) ([]byte, error) { return f.png, nil }
