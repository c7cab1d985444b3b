package mastodon

import (
	"context"
	"errors"
	"testing"

	"chancery/feeds"
)

func TestAudienceReadsVerifyCredentials(t *testing.T) {
	f, n, acct, _ := setup(t)
	got, err := n.Audience(context.Background(), acct)
	if err != nil {
		t.Fatal(err)
	}
	want := feeds.Audience{Followers: 3, Following: 4, Posts: 5} // testdata/verify_credentials.json
	if len(got) != 1 || got[0] != want {
		t.Fatalf("audience %+v, want %+v", got, want)
	}
	if req := f.last(t, "GET /api/v1/accounts/verify_credentials"); req.Header.Get("Authorization") != "Bearer "+testToken {
		t.Errorf("no bearer token: %v", req.Header)
	}
}

func TestAudienceErrors(t *testing.T) {
	for _, c := range []struct {
		name   string
		code   int
		body   string
		header map[string]string
		want   error
	}{
		{"401", 401, `{"error": "The access token is invalid"}`, nil, feeds.ErrUnauthorized},
		{"429", 429, `{"error": "Too many requests"}`, map[string]string{"Retry-After": "60"}, feeds.ErrRateLimited},
		{"502", 502, `<html>bad gateway</html>`, nil, feeds.ErrServer},
		{"garbage", 200, `<html>not json</html>`, nil, feeds.ErrBadResponse},
		{"no counts", 200, `{"id": "1", "username": "ambassade"}`, nil, feeds.ErrBadResponse},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, n, acct, _ := setup(t)
			answer(f, c.code, c.body, c.header)
			if _, err := n.Audience(context.Background(), acct); !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
}

func TestOwnComparesHandles(t *testing.T) {
	_, n, acct, _ := setup(t)
	acct.Handle = "@ambassade@social.example"
	if !n.Own(acct, feeds.Post{AuthorHandle: "@Ambassade@social.example"}) {
		t.Error("the account's own post is not its own")
	}
	if n.Own(acct, feeds.Post{AuthorHandle: "@ambassade@other.example"}) {
		t.Error("a namesake on another server is taken for the account")
	}
}
