package bluesky

import (
	"context"
	"errors"
	"testing"

	"chancery/feeds"
)

func TestAudienceReadsTheOwnProfile(t *testing.T) {
	f := newFakeServer(t)
	n, acct, _ := signedIn(t, f)
	got, err := n.Audience(context.Background(), acct)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Followers != 10 {
		t.Fatalf("audience %+v, want the fake profile's 10 followers", got)
	}
	if q := lastQuery(t, f, "app.bsky.actor.getProfile"); q.Get("actor") != testDID {
		t.Errorf("profile of %q, want the account's DID", q.Get("actor"))
	}
	f.queue("app.bsky.actor.getProfile", reply{status: 200, body: `{"did":"` + testDID + `","handle":"` + testHandle +
		`","followersCount":1200,"followsCount":80,"postsCount":345}`})
	got, err = n.Audience(context.Background(), acct)
	if err != nil || got[0] != (feeds.Audience{Followers: 1200, Following: 80, Posts: 345}) {
		t.Errorf("audience %+v, %v", got, err)
	}
}

func TestAudienceErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		r    reply
		want error
	}{
		{"rate limited", reply{
			status: 429, body: `{"error":"RateLimitExceeded","message":"Rate Limit Exceeded"}`,
			headers: map[string]string{"ratelimit-remaining": "0", "ratelimit-reset": "1900000000"},
		}, feeds.ErrRateLimited},
		{"server", reply{status: 502, body: `<html>bad gateway</html>`}, feeds.ErrServer},
		{"garbage", reply{status: 200, body: `{"did":`}, feeds.ErrBadResponse},
		{"no counts", reply{status: 200, body: `{"did":"` + testDID + `","handle":"` + testHandle + `"}`}, feeds.ErrBadResponse},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFakeServer(t)
			n, acct, _ := signedIn(t, f)
			f.queue("app.bsky.actor.getProfile", c.r)
			if _, err := n.Audience(context.Background(), acct); !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
}

func TestOwnComparesHandles(t *testing.T) {
	f := newFakeServer(t)
	n, acct, _ := signedIn(t, f)
	if !n.Own(acct, feeds.Post{AuthorHandle: testHandle}) || n.Own(acct, feeds.Post{AuthorHandle: "alice.example"}) {
		t.Error("own posts are not told from others'")
	}
}
