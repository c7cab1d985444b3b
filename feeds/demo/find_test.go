package demo

import (
	"context"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

func TestFindPublishedByIdempotencyKey(t *testing.T) {
	n := New(WithPublishing(&memState{m: map[string][]byte{}}, nil))
	a := accounts.Account{ID: "vienna-demo", Network: accounts.Demo}
	out := feeds.Outgoing{Text: "Bonjour Vienne", IdempotencyKey: "k1"}
	if _, found, err := n.FindPublished(context.Background(), a, out, time.Now()); err != nil || found {
		t.Fatalf("before publishing: %v, %v", found, err)
	}
	pub, err := n.Publish(context.Background(), a, out)
	if err != nil {
		t.Fatal(err)
	}
	got, found, err := n.FindPublished(context.Background(), a, out, time.Now())
	if err != nil || !found || got != pub {
		t.Fatalf("after publishing: %+v, %v, %v; want %+v", got, found, err, pub)
	}
	out.IdempotencyKey = "k2"
	if _, found, _ := n.FindPublished(context.Background(), a, out, time.Now()); found {
		t.Error("another key found the first post")
	}
}
