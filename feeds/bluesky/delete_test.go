package bluesky

import (
	"context"
	"testing"

	"chancery/feeds"
)

var _ feeds.Deleter = (*Network)(nil)

const nsidDeleteRecord = "com.atproto.repo.deleteRecord"

func TestDeleteOwnPostAndAgain(t *testing.T) {
	f := newFakeServer(t)
	n, acct, _ := signedIn(t, f)
	ctx := context.Background()
	keep, err := n.Publish(ctx, acct, feeds.Outgoing{Text: "stays", IdempotencyKey: "k1"})
	if err != nil {
		t.Fatal(err)
	}
	gone, err := n.Publish(ctx, acct, feeds.Outgoing{Text: "goes", IdempotencyKey: "k2"})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Delete(ctx, acct, gone.RemoteID); err != nil {
		t.Fatal(err)
	}
	posts := f.posts()
	if len(posts) != 1 {
		t.Fatalf("%d posts left, want 1", len(posts))
	}
	for rkey := range posts {
		if keep.RemoteID != "at://"+testDID+"/app.bsky.feed.post/"+rkey {
			t.Errorf("the wrong post is left: %s", rkey)
		}
	}
	// A PDS answers a delete of a missing record without a commit; a
	// RecordNotFound refusal counts as deleted as well.
	if err := n.Delete(ctx, acct, gone.RemoteID); err != nil {
		t.Errorf("delete again: %v", err)
	}
	f.queue(nsidDeleteRecord, reply{status: 400, body: `{"error":"RecordNotFound","message":"Could not locate record"}`})
	if err := n.Delete(ctx, acct, gone.RemoteID); err != nil {
		t.Errorf("delete after RecordNotFound: %v", err)
	}
	if c := f.count("pds", nsidDeleteRecord); c != 3 {
		t.Errorf("%d deleteRecord calls, want 3", c)
	}
}

func TestDeleteRefusesOthersPostsAndClassifiesFailures(t *testing.T) {
	f := newFakeServer(t)
	n, acct, _ := signedIn(t, f)
	ctx := context.Background()
	for _, id := range []string{uriA1, "at://" + testDID + "/app.bsky.feed.like/3lmylike1aa22", "not a uri", ""} {
		if err := n.Delete(ctx, acct, id); feeds.Classify(err) != feeds.OutcomeRefused {
			t.Errorf("%q: %v", id, err)
		}
	}
	if c := f.count("pds", nsidDeleteRecord); c != 0 {
		t.Errorf("%d deleteRecord calls for posts that are not the account's", c)
	}
	own := "at://" + testDID + "/app.bsky.feed.post/3lmypost1aa22"
	for _, tc := range []struct {
		r    reply
		want feeds.Outcome
	}{
		{reply{status: 400, body: `{"error":"InvalidRequest","message":"bad"}`}, feeds.OutcomeRefused},
		{reply{status: 429, body: `{"error":"RateLimitExceeded","message":"Rate Limit Exceeded"}`, headers: map[string]string{"RateLimit-Reset": "1"}}, feeds.OutcomeRateLimited},
		{reply{status: 502, body: `<html>Bad Gateway</html>`}, feeds.OutcomeUnknown},
	} {
		f.queue(nsidDeleteRecord, tc.r)
		if err := n.Delete(ctx, acct, own); feeds.Classify(err) != tc.want {
			t.Errorf("%d: outcome %v, want %v (%v)", tc.r.status, feeds.Classify(err), tc.want, err)
		}
	}
}
