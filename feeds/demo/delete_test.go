package demo

import (
	"context"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

func TestDeleteForgetsAPublishedPostAndNeverReusesItsID(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	n := New(WithPublishing(&memState{m: map[string][]byte{}}, func() time.Time { return now }))
	a := accounts.Account{ID: "vienna-demo", Mission: "vienna", Network: accounts.Demo, Handle: "@vienna@demo", CreatedAt: now.Add(-time.Hour)}
	ctx := context.Background()
	first, err := n.Publish(ctx, a, feeds.Outgoing{Text: "first", IdempotencyKey: "k1"})
	if err != nil {
		t.Fatal(err)
	}
	second, err := n.Publish(ctx, a, feeds.Outgoing{Text: "second", IdempotencyKey: "k2"})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Delete(ctx, a, first.RemoteID); err != nil {
		t.Fatal(err)
	}
	if err := n.Delete(ctx, a, first.RemoteID); err != nil {
		t.Errorf("delete again: %v", err)
	}
	third, err := n.Publish(ctx, a, feeds.Outgoing{Text: "third", IdempotencyKey: "k3"})
	if err != nil {
		t.Fatal(err)
	}
	if third.RemoteID == second.RemoteID || third.RemoteID == first.RemoteID {
		t.Errorf("a new post got an id in use or freed: %s", third.RemoteID)
	}
	// Deleting the newest post frees the highest number: it is not reused.
	if err := n.Delete(ctx, a, third.RemoteID); err != nil {
		t.Fatal(err)
	}
	fourth, err := n.Publish(ctx, a, feeds.Outgoing{Text: "fourth", IdempotencyKey: "k4"})
	if err != nil || fourth.RemoteID == third.RemoteID {
		t.Fatalf("after deleting the newest: %+v, %v", fourth, err)
	}
	if err := n.Delete(ctx, a, fourth.RemoteID); err != nil {
		t.Fatal(err)
	}
	third, err = n.Publish(ctx, a, feeds.Outgoing{Text: "third", IdempotencyKey: "k5"})
	if err != nil || third.RemoteID == fourth.RemoteID {
		t.Fatalf("after deleting the newest again: %+v, %v", third, err)
	}
	posts, err := n.Fetch(ctx, a, feeds.Own)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range posts {
		if p.ID == first.RemoteID || p.Text == "first" {
			t.Errorf("the deleted post is still shown: %+v", p)
		}
	}
	if posts[0].ID != third.RemoteID || posts[1].ID != second.RemoteID {
		t.Errorf("timeline starts %s, %s", posts[0].ID, posts[1].ID)
	}
	// Sample posts are not the user's to delete.
	if err := n.Delete(ctx, a, posts[2].ID); feeds.Classify(err) != feeds.OutcomeRefused {
		t.Errorf("deleting a sample post: %v", err)
	}
}
