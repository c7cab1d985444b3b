package feeds_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// pacedNet counts its fetches and asks to be refreshed at most hourly.
type pacedNet struct{ fetches atomic.Int32 }

func (n *pacedNet) ID() accounts.Network { return accounts.X }

func (n *pacedNet) Capabilities() feeds.Capabilities {
	return feeds.Capabilities{Kinds: []feeds.Kind{feeds.Own}}
}

func (n *pacedNet) Fetch(context.Context, accounts.Account, feeds.Kind) ([]feeds.Post, error) {
	n.fetches.Add(1)
	return []feeds.Post{{ID: "1", Text: "t"}}, nil
}

func (n *pacedNet) MinRefresh() time.Duration { return time.Hour }

func TestPacedNetworkIsRefreshedLessOftenUnlessAsked(t *testing.T) {
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	nw := &pacedNet{}
	r := feeds.NewRefresher(feeds.Registry{accounts.X: nw}, newMemCache(), func() time.Time { return now })
	a := accounts.Account{ID: "x1", Network: accounts.X, Server: "https://api.x.com"}
	steps := []struct {
		after   time.Duration
		force   bool
		fetches int32
	}{
		{0, false, 1},                // never refreshed: fetched
		{10 * time.Minute, false, 1}, // too soon: skipped
		{time.Minute, true, 2},       // the user asked: fetched
		{59 * time.Minute, false, 2}, // an hour after the last one, not yet
		{2 * time.Minute, false, 3},
	}
	for i, s := range steps {
		now = now.Add(s.after)
		res := r.RefreshOne(context.Background(), a, feeds.Own, s.force)
		if nw.fetches.Load() != s.fetches || res.Err != nil {
			t.Fatalf("step %d: %d fetches, %v", i, nw.fetches.Load(), res.Err)
		}
		if skipped := i == 1 || i == 3; res.Skipped != skipped {
			t.Errorf("step %d: skipped %v", i, res.Skipped)
		}
	}
}
