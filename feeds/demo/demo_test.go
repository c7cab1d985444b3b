package demo

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

var created = time.Date(2025, 10, 26, 9, 30, 0, 0, time.UTC)

func demoAccount(t *testing.T, mission string) accounts.Account {
	t.Helper()
	for _, m := range accounts.DefaultMissions() {
		if m.ID == mission {
			return accounts.DemoAccount(m, created)
		}
	}
	t.Fatalf("no default mission %q", mission)
	return accounts.Account{}
}

func fetch(t *testing.T, n *Network, a accounts.Account, kind feeds.Kind) []feeds.Post {
	t.Helper()
	posts, err := n.Fetch(t.Context(), a, kind)
	if err != nil {
		t.Fatalf("Fetch(%s, %s): %v", a.ID, kind, err)
	}
	return posts
}

func ids(posts []feeds.Post) []string {
	out := make([]string, len(posts))
	for i, p := range posts {
		out[i] = p.ID
	}
	return out
}

func TestIdentityAndCapabilities(t *testing.T) {
	n := New()
	if n.ID() != accounts.Demo {
		t.Errorf("ID() = %q, want %q", n.ID(), accounts.Demo)
	}
	c := n.Capabilities()
	if !slices.Equal(c.Kinds, []feeds.Kind{feeds.Home, feeds.Own}) {
		t.Errorf("Kinds = %v, want [home own]", c.Kinds)
	}
	if c.Post || c.Reply || c.Boost || c.Like || c.Media {
		t.Errorf("capabilities %+v: the demo network must not claim to write", c)
	}
	if c.MaxLength != 500 {
		t.Errorf("MaxLength = %d, want 500", c.MaxLength)
	}
}

func TestFetchHome(t *testing.T) {
	n := New()
	for _, m := range accounts.DefaultMissions() {
		t.Run(m.ID, func(t *testing.T) {
			a := demoAccount(t, m.ID)
			posts := fetch(t, n, a, feeds.Home)
			byID := map[string]rawPost{}
			for _, p := range fileTimeline(t, m.ID).Posts {
				byID[p.ID] = p
			}
			if len(posts) != len(byID) {
				t.Fatalf("%d posts, want all %d", len(posts), len(byID))
			}
			for _, p := range posts {
				raw := byID[p.ID]
				if p.Account != a.ID || p.Network != accounts.Demo {
					t.Errorf("%s: account %q network %q, want %q %q", p.ID, p.Account, p.Network, a.ID, accounts.Demo)
				}
				want := created.Add(-time.Duration(raw.MinutesAgo) * time.Minute)
				if !p.CreatedAt.Equal(want) || p.CreatedAt.Location() != time.UTC {
					t.Errorf("%s: CreatedAt %v, want %v UTC", p.ID, p.CreatedAt, want)
				}
				if p.Text != raw.Text || p.Lang != raw.Lang || p.ReplyTo != raw.ReplyTo ||
					p.URL != raw.URL || p.Counts != raw.Counts || p.AuthorHandle != raw.AuthorHandle {
					t.Errorf("%s: %+v does not match its data %+v", p.ID, p, raw)
				}
			}
			checkNewestFirst(t, posts)
		})
	}
}

// checkNewestFirst requires CreatedAt non-increasing, ties ordered by id.
func checkNewestFirst(t *testing.T, posts []feeds.Post) {
	t.Helper()
	for i := 1; i < len(posts); i++ {
		a, b := posts[i-1], posts[i]
		if a.CreatedAt.Before(b.CreatedAt) || (a.CreatedAt.Equal(b.CreatedAt) && a.ID > b.ID) {
			t.Errorf("not newest first: %s (%v) before %s (%v)", a.ID, a.CreatedAt, b.ID, b.CreatedAt)
		}
	}
}

func TestFetchOwnIsStrictSubset(t *testing.T) {
	n := New()
	for _, m := range accounts.DefaultMissions() {
		t.Run(m.ID, func(t *testing.T) {
			a := demoAccount(t, m.ID)
			home := fetch(t, n, a, feeds.Home)
			own := fetch(t, n, a, feeds.Own)
			handle := fileTimeline(t, m.ID).Handle
			if len(own) == 0 || len(own) >= len(home) {
				t.Fatalf("own has %d posts, home %d: want a non-empty strict subset", len(own), len(home))
			}
			var want []string
			for _, p := range home {
				if p.AuthorHandle == handle {
					want = append(want, p.ID)
				}
			}
			if got := ids(own); !slices.Equal(got, want) {
				t.Errorf("own = %v, want home's posts by %s in the same order: %v", got, handle, want)
			}
			checkNewestFirst(t, own)
		})
	}
}

func TestFetchHonoursContext(t *testing.T) {
	a := demoAccount(t, "vienna")
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	expired, cancel2 := context.WithDeadline(t.Context(), created)
	defer cancel2()
	for name, tc := range map[string]struct {
		ctx  context.Context
		want error
	}{
		"cancelled": {cancelled, context.Canceled},
		"expired":   {expired, context.DeadlineExceeded},
	} {
		t.Run(name, func(t *testing.T) {
			posts, err := New().Fetch(tc.ctx, a, feeds.Home)
			if !errors.Is(err, tc.want) || posts != nil {
				t.Errorf("Fetch = %d posts, %v; want nil, %v", len(posts), err, tc.want)
			}
		})
	}
}

func TestFetchUnknownMission(t *testing.T) {
	a := demoAccount(t, "vienna")
	a.Mission = "ottawa"
	for _, kind := range []feeds.Kind{feeds.Home, feeds.Own} {
		posts := fetch(t, New(), a, kind)
		if posts == nil || len(posts) != 0 {
			t.Errorf("%s: got %v, want an empty non-nil slice", kind, posts)
		}
	}
}

func TestFetchUnsupportedKind(t *testing.T) {
	a := demoAccount(t, "vienna")
	for _, kind := range []feeds.Kind{feeds.Mentions, feeds.Feed, "tag:osce", "search:visa"} {
		if _, err := New().Fetch(t.Context(), a, kind); !errors.Is(err, feeds.ErrUnsupported) {
			t.Errorf("Fetch(%s) err = %v, want ErrUnsupported", kind, err)
		}
	}
}

func TestFetchZeroCreatedAtUsesAnchor(t *testing.T) {
	a := demoAccount(t, "beijing")
	a.CreatedAt = time.Time{}
	anchor := time.Date(2025, 10, 13, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))
	newest := slices.MinFunc(fileTimeline(t, "beijing").Posts, func(x, y rawPost) int { return x.MinutesAgo - y.MinutesAgo })
	posts := fetch(t, New(WithAnchor(anchor)), a, feeds.Home)
	want := anchor.Add(-time.Duration(newest.MinutesAgo) * time.Minute)
	if !posts[0].CreatedAt.Equal(want) || posts[0].CreatedAt.Location() != time.UTC {
		t.Errorf("newest post at %v, want %v in UTC", posts[0].CreatedAt, want)
	}

	n := New() // anchored at its creation, to the minute
	first, second := fetch(t, n, a, feeds.Home), fetch(t, n, a, feeds.Home)
	if !slices.EqualFunc(first, second, func(x, y feeds.Post) bool { return x.CreatedAt.Equal(y.CreatedAt) }) {
		t.Error("times moved between two fetches of one Network")
	}
	if age := time.Since(first[0].CreatedAt); age < 0 || age > 2*time.Hour {
		t.Errorf("newest post is %v old with the default anchor, want minutes", age)
	}
}

func TestFetchStableAndCopied(t *testing.T) {
	n := New()
	a := demoAccount(t, "the-hague")
	first := fetch(t, n, a, feeds.Home)
	want := slices.Clone(first)
	first[0].Text = "changed"
	first[1].Counts.Likes = -1
	slices.Reverse(first)
	again := fetch(t, n, a, feeds.Home)
	if !reflect.DeepEqual(again, want) {
		t.Error("a second fetch differs from the first, or sees the caller's changes")
	}
}

func TestFetchBadData(t *testing.T) {
	n := New()
	n.load = func() (map[string]timeline, error) {
		return parseAll(fstest.MapFS{"data/vienna.json": {Data: []byte(`{"handle": "@a", "posts": [`)}})
	}
	_, err := n.Fetch(t.Context(), demoAccount(t, "vienna"), feeds.Home)
	if !errors.Is(err, feeds.ErrBadResponse) {
		t.Errorf("err = %v, want ErrBadResponse", err)
	}
}

func TestFetchConcurrent(t *testing.T) {
	n := New()
	var wg sync.WaitGroup
	for _, m := range accounts.DefaultMissions() {
		for _, kind := range []feeds.Kind{feeds.Home, feeds.Own} {
			wg.Go(func() {
				posts, err := n.Fetch(t.Context(), accounts.DemoAccount(m, created), kind)
				if err != nil || len(posts) == 0 {
					t.Errorf("%s/%s: %d posts, %v", m.ID, kind, len(posts), err)
					return
				}
				posts[0].Text = "" // must not race with other callers
			})
		}
	}
	wg.Wait()
}
