package demo

import (
	"context"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

func TestAudienceIsAWeekOfStableGrowingHistory(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 30, 0, 0, time.UTC)
	clock := now
	n := New(WithPublishing(&memState{m: map[string][]byte{}}, func() time.Time { return clock }))
	acct := accounts.DemoAccount(accounts.DefaultMissions()[0], now)
	first, err := n.Audience(context.Background(), acct)
	if err != nil {
		t.Fatal(err)
	}
	// Every six hours from 2026-11-25 06:00 to 2026-12-02 06:00, and now.
	if len(first) != 7*4+2 || !first[0].At.Equal(now.Add(-7*24*time.Hour).Truncate(6*time.Hour)) || !first[len(first)-1].At.Equal(now) {
		t.Fatalf("%d figures, from %s to %s", len(first), first[0].At, first[len(first)-1].At)
	}
	for i := 1; i < len(first); i++ {
		if first[i].Followers < first[i-1].Followers || first[i].Posts < first[i-1].Posts {
			t.Fatalf("figures shrink at %d: %+v → %+v", i, first[i-1], first[i])
		}
	}
	if first[len(first)-1].Followers == first[0].Followers {
		t.Error("no growth over the week of sample posts")
	}
	clock = now.Add(time.Hour)
	again, err := n.Audience(context.Background(), acct)
	if err != nil {
		t.Fatal(err)
	}
	for i := range len(first) - 1 {
		if again[i] != first[i] {
			t.Fatalf("history changed between refreshes at %d: %+v vs %+v", i, first[i], again[i])
		}
	}
	if _, err := n.Publish(context.Background(), acct, feeds.Outgoing{Text: "hello", Lang: "en", IdempotencyKey: "k"}); err != nil {
		t.Fatal(err)
	}
	after, err := n.Audience(context.Background(), acct)
	if err != nil {
		t.Fatal(err)
	}
	if after[len(after)-1].Posts != again[len(again)-1].Posts+1 {
		t.Errorf("a published post is not counted: %d then %d", again[len(again)-1].Posts, after[len(after)-1].Posts)
	}
}

func TestOwnKnowsTheMissionsSampleHandle(t *testing.T) {
	n := New()
	acct := accounts.DemoAccount(accounts.DefaultMissions()[0], time.Now())
	posts, err := n.Fetch(context.Background(), acct, feeds.Home)
	if err != nil {
		t.Fatal(err)
	}
	own, err := n.Fetch(context.Background(), acct, feeds.Own)
	if err != nil {
		t.Fatal(err)
	}
	var count int
	for _, p := range posts {
		if n.Own(acct, p) {
			count++
		}
	}
	if count != len(own) || count == 0 || count == len(posts) {
		t.Errorf("%d own posts of %d at home, the own timeline has %d", count, len(posts), len(own))
	}
	if !n.Own(acct, feeds.Post{AuthorHandle: acct.Handle}) {
		t.Error("a post the account published is not its own")
	}
}
