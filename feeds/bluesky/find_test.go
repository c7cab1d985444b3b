package bluesky

import (
	"context"
	"errors"
	"testing"
	"time"

	"chancery/feeds"
)

func TestFindPublishedLooksUpTheDerivedRecord(t *testing.T) {
	f := newFakeServer(t)
	n, acct, _ := signedIn(t, f)
	ctx := context.Background()
	out := feeds.Outgoing{Text: "@bob.example Merci !", Lang: "fr", IdempotencyKey: "entry-7"}
	if _, found, err := n.FindPublished(ctx, acct, out, time.Now()); err != nil || found {
		t.Fatalf("before publishing: found %v, %v", found, err)
	}
	pub, err := n.Publish(ctx, acct, out)
	if err != nil {
		t.Fatal(err)
	}
	got, found, err := n.FindPublished(ctx, acct, out, time.Now())
	if err != nil || !found || got != pub {
		t.Fatalf("after publishing: %+v %v %v, want %+v", got, found, err, pub)
	}
	other := out
	other.IdempotencyKey = "entry-8" // the same text from another entry is another post
	if _, found, err := n.FindPublished(ctx, acct, other, time.Now()); err != nil || found {
		t.Errorf("another entry: found %v, %v", found, err)
	}
	f.queue("com.atproto.repo.getRecord", reply{status: 502, body: `<html>Bad Gateway</html>`})
	if _, found, err := n.FindPublished(ctx, acct, out, time.Now()); found || !errors.Is(err, feeds.ErrServer) {
		t.Errorf("a failed look-up: found %v, %v", found, err)
	}
	if _, _, err := n.FindPublished(ctx, acct, feeds.Outgoing{Text: "x"}, time.Now()); err == nil {
		t.Error("no key: no way to check, but no error")
	}
}
