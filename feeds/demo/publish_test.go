package demo

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

type memState struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (s *memState) NetState(a, k string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[a+"/"+k], nil
}

func (s *memState) SetNetState(a, k string, v []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[a+"/"+k] = v
	return nil
}

func TestPublishIsIdempotentAndShowsInTimelines(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	n := New(WithPublishing(&memState{m: map[string][]byte{}}, func() time.Time { return now }))
	a := accounts.Account{ID: "vienna-demo", Mission: "vienna", Network: accounts.Demo, Handle: "@vienna@demo", DisplayName: "Vienna", CreatedAt: now.Add(-time.Hour)}
	if !n.Capabilities().Post {
		t.Fatal("publishing demo network does not declare Post")
	}
	out := feeds.Outgoing{Text: "Bonjour Vienne", Lang: "fr", IdempotencyKey: "k1"}
	first, err := n.Publish(context.Background(), a, out)
	if err != nil {
		t.Fatal(err)
	}
	again, err := n.Publish(context.Background(), a, out)
	if err != nil || again != first {
		t.Fatalf("retry with the same key: %+v, %v (first %+v)", again, err, first)
	}
	if _, err := n.Publish(context.Background(), a, feeds.Outgoing{Text: "Second", IdempotencyKey: "k2"}); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []feeds.Kind{feeds.Home, feeds.Own} {
		posts, err := n.Fetch(context.Background(), a, kind)
		if err != nil {
			t.Fatal(err)
		}
		if posts[0].Text != "Second" || posts[1].Text != "Bonjour Vienne" || posts[1].Lang != "fr" || !posts[1].CreatedAt.Equal(now) {
			t.Errorf("%s starts with %q, %q", kind, posts[0].Text, posts[1].Text)
		}
		if posts[2].Text == "Bonjour Vienne" {
			t.Errorf("%s: the post was published twice", kind)
		}
	}
	if used, limit := n.Length(a, "été 🍁"); used != 5 || limit != MaxLength {
		t.Errorf("length %d/%d", used, limit)
	}
}

func TestPublishWithoutStateIsUnsupported(t *testing.T) {
	n := New()
	if n.Capabilities().Post {
		t.Error("declares Post without a place to keep posts")
	}
	_, err := n.Publish(context.Background(), accounts.Account{ID: "x"}, feeds.Outgoing{Text: "x"})
	if !errors.Is(err, feeds.ErrUnsupported) {
		t.Errorf("err %v", err)
	}
}
