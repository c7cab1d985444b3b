package feeds

import (
	"fmt"
	"sync"
	"time"

	"chancery/accounts"
)

// WatchStore keeps the missions' watches and which posts already raised a
// notification. Implemented by storage.
type WatchStore interface {
	// Watch returns a mission's watch; ok is false if none is stored.
	Watch(missionID string) (w Watch, ok bool, err error)
	SetWatch(missionID string, w Watch) error
	// ClaimAlerts records, in one write, that the posts claimed were dealt
	// with; fresh[i] is false if claims[i] already was.
	ClaimAlerts(claims []AlertClaim) (fresh []bool, err error)
	// PruneAlerts forgets the claims of posts older than before.
	PruneAlerts(before time.Time) error
}

// AlertClaim names a post that matched a watch; PostTime is kept for
// pruning.
type AlertClaim struct {
	Key      string
	PostTime time.Time
}

// MissionLister lists the workspace's missions and accounts.
type MissionLister interface {
	Missions() ([]accounts.Mission, error)
	Accounts() ([]accounts.Account, error)
}

// PostReader reads the newest posts of a cached timeline.
type PostReader interface {
	Posts(key TimelineKey, limit int) ([]Post, error)
}

// AlertKeep is how old a post may be and still notify; claims are kept as
// long, so a post never notifies twice.
const AlertKeep = 14 * 24 * time.Hour

// alertScan caps how many new posts of one refresh are looked at.
const alertScan = 200

// Alert is one new post matching its mission's watch.
type Alert struct {
	Mission accounts.Mission
	Account accounts.Account
	Post    Post
	Words   []string
}

// Alerter finds new posts matching the watches, each once, across runs.
type Alerter struct {
	store     WatchStore
	posts     PostReader
	workspace MissionLister
	now       func() time.Time
	mu        sync.Mutex // one check at a time: claims and pruning
	pruned    time.Time
}

// NewAlerter returns an alerter over the cache and the watches' store.
func NewAlerter(store WatchStore, posts PostReader, ws MissionLister, now func() time.Time) *Alerter {
	if now == nil {
		now = time.Now
	}
	return &Alerter{store: store, posts: posts, workspace: ws, now: now}
}

// WatchOf returns a mission's watch; a mission without one gets its
// defaults, stored with the current time so that the backlog cached
// before never notifies.
func (a *Alerter) WatchOf(m accounts.Mission) (Watch, error) {
	return WatchOf(a.store, m, a.now())
}

// WatchOf returns the mission's stored watch, storing its defaults first
// if it has none.
func WatchOf(store WatchStore, m accounts.Mission, now time.Time) (Watch, error) {
	w, ok, err := store.Watch(m.ID)
	if err != nil || ok {
		return w, err
	}
	w = DefaultWatch(m, now)
	if err := store.SetWatch(m.ID, w); err != nil {
		return Watch{}, err
	}
	return w, nil
}

// Prime stores the defaults of every mission that has no watch yet, so
// that posts cached before this start never notify.
func (a *Alerter) Prime() error {
	ms, err := a.workspace.Missions()
	if err != nil {
		return err
	}
	for _, m := range ms {
		if _, err := a.WatchOf(m); err != nil {
			return err
		}
	}
	return nil
}

// Check returns the alerts a finished refresh brings: its new posts that
// match the mission's watch, were posted after the watch started and within
// AlertKeep, and never alerted before. Posts arriving in the mission's
// quiet hours are claimed without an alert.
func (a *Alerter) Check(r Result) ([]Alert, error) {
	if r.Err != nil || r.Added <= 0 || r.Key.Kind == Own {
		return nil, nil
	}
	acct, m, ok, err := a.owner(r.Key.Account)
	if err != nil || !ok {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	w, err := a.WatchOf(m)
	if err != nil {
		return nil, err
	}
	posts, err := a.posts.Posts(r.Key, min(r.Added, alertScan))
	if err != nil {
		return nil, fmt.Errorf("read new posts of %s: %w", r.Key, err)
	}
	now := a.now()
	matcher, quiet := NewMatcher(w.Words), w.Quiet(now, m.Location())
	var matched []Alert
	var claims []AlertClaim
	for _, p := range posts {
		if p.CreatedAt.Before(w.Since) || p.CreatedAt.Before(now.Add(-AlertKeep)) || p.Notification == "like" ||
			p.Notification == "repost" || p.Notification == "follow" {
			continue
		}
		words := matcher.Match(p.ContentWarning + "\n" + p.Text)
		if len(words) == 0 {
			continue
		}
		matched = append(matched, Alert{Mission: m, Account: acct, Post: p, Words: words})
		claims = append(claims, AlertClaim{Key: alertKey(m.ID, p), PostTime: p.CreatedAt})
	}
	var out []Alert
	if len(claims) > 0 {
		fresh, err := a.store.ClaimAlerts(claims) // one write for the whole refresh
		if err != nil {
			return nil, err
		}
		for i, al := range matched {
			if fresh[i] && !quiet {
				out = append(out, al)
			}
		}
	}
	if now.Sub(a.pruned) > time.Hour {
		a.pruned = now
		if err := a.store.PruneAlerts(now.Add(-AlertKeep)); err != nil {
			return out, err
		}
	}
	return out, nil
}

// alertKey names a post within a mission: by its link when it has one (the
// same post seen by two accounts), else by account and id.
func alertKey(mission string, p Post) string {
	if p.URL != "" {
		return mission + " " + p.URL
	}
	return mission + " " + p.Account + " " + p.ID
}

// owner finds an account and its mission.
func (a *Alerter) owner(accountID string) (accounts.Account, accounts.Mission, bool, error) {
	accts, err := a.workspace.Accounts()
	if err != nil {
		return accounts.Account{}, accounts.Mission{}, false, err
	}
	ms, err := a.workspace.Missions()
	if err != nil {
		return accounts.Account{}, accounts.Mission{}, false, err
	}
	for _, acct := range accts {
		if acct.ID != accountID {
			continue
		}
		for _, m := range ms {
			if m.ID == acct.Mission {
				return acct, m, true, nil
			}
		}
	}
	return accounts.Account{}, accounts.Mission{}, false, nil
}
