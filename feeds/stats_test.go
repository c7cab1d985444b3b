package feeds_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/feeds/demo"
)

// memStats is an in-memory feeds.StatsStore that keeps everything given.
type memStats struct {
	mu       sync.Mutex
	audience map[string][]feeds.Audience
	samples  []feeds.PostSample
	fail     error
}

func newMemStats() *memStats { return &memStats{audience: map[string][]feeds.Audience{}} }

func (m *memStats) PutAudience(id string, figures []feeds.Audience) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.audience[id] = append(m.audience[id], figures...)
	return m.fail
}

func (m *memStats) PutPostSamples(s []feeds.PostSample) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.samples = append(m.samples, s...)
	return m.fail
}

// memNetState is an in-memory feeds.StateStore.
type memNetState struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (s *memNetState) NetState(id, key string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[id+"/"+key], nil
}

func (s *memNetState) SetNetState(id, key string, v []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string][]byte{}
	}
	s.m[id+"/"+key] = v
	return nil
}

func demoAccount(t *testing.T, at time.Time) accounts.Account {
	t.Helper()
	return accounts.DemoAccount(accounts.DefaultMissions()[0], at) // Vienna
}

func TestRefreshKeepsAudienceAndOwnPostCounts(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	nw := demo.New(demo.WithPublishing(&memNetState{}, clock))
	r := feeds.NewRefresher(feeds.Registry{accounts.Demo: nw}, newMemCache(), clock)
	stats := newMemStats()
	r.KeepStats(stats)
	a := demoAccount(t, now)
	res := r.Refresh(context.Background(), []accounts.Account{a}, true)
	if res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	figures := stats.audience[a.ID]
	if len(figures) < 28 {
		t.Fatalf("%d audience figures after the first refresh, want a week of history", len(figures))
	}
	first, last := figures[0], figures[len(figures)-1]
	if !last.At.Equal(now) || now.Sub(first.At) < 7*24*time.Hour-6*time.Hour {
		t.Errorf("history from %s to %s", first.At, last.At)
	}
	if last.Followers <= first.Followers || last.Posts <= first.Posts {
		t.Errorf("audience did not grow over the week: %+v → %+v", first, last)
	}
	home, err := nw.Fetch(context.Background(), a, feeds.Home)
	if err != nil {
		t.Fatal(err)
	}
	own, err := nw.Fetch(context.Background(), a, feeds.Own)
	if err != nil {
		t.Fatal(err)
	}
	if len(stats.samples) != len(own) || len(own) == 0 || len(own) == len(home) {
		t.Fatalf("%d own post samples from a home timeline of %d with %d own posts", len(stats.samples), len(home), len(own))
	}
	for _, s := range stats.samples {
		if s.Account != a.ID || !s.At.Equal(now) || s.CreatedAt.IsZero() {
			t.Errorf("sample %+v", s)
		}
	}
	before := len(stats.audience[a.ID])
	r.RefreshOne(context.Background(), a, feeds.Own, true)
	if len(stats.samples) != 2*len(own) {
		t.Errorf("the own timeline gave %d samples, want %d", len(stats.samples)-len(own), len(own))
	}
	if len(stats.audience[a.ID]) != before {
		t.Error("a refresh of another timeline than the main one read the audience again")
	}
}

func TestRefreshSucceedsWhenStatsCannotBeKept(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	r := feeds.NewRefresher(feeds.Registry{accounts.Demo: demo.New()}, newMemCache(), func() time.Time { return now })
	stats := newMemStats()
	stats.fail = errors.New("disk full")
	r.KeepStats(stats)
	res := r.Refresh(context.Background(), []accounts.Account{demoAccount(t, now)}, true)
	if res[0].Err != nil || res[0].Added == 0 {
		t.Fatalf("refresh failed with the stats: %+v", res[0])
	}
}

func TestSameHandle(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"@Vienna@social.example", "@vienna@social.example", true},
		{"vienna.bsky.social", "@vienna.bsky.social", true},
		{"@vienna@a.example", "@vienna@b.example", false},
		{"", "", false},
	} {
		if got := feeds.SameHandle(c.a, c.b); got != c.want {
			t.Errorf("SameHandle(%q, %q) = %v", c.a, c.b, got)
		}
	}
}
