package facebook

import (
	"context"
	"errors"
	"testing"
	"time"

	"chancery/feeds"
	"chancery/feeds/facebook/fbtest"
)

func TestAudienceReadsThePageFollowers(t *testing.T) {
	srv, n, acct := setup(t)
	ctx := context.Background()
	got, err := n.Audience(ctx, acct)
	if err != nil || len(got) != 1 || got[0].Followers != 1520 || got[0].Following != 0 || !got[0].At.IsZero() {
		t.Fatalf("audience %+v, %v", got, err)
	}
	srv.SetAudience(1600, 1550)
	if got, err = n.Audience(ctx, acct); err != nil || got[0].Followers != 1600 {
		t.Fatalf("audience after new followers %+v, %v", got, err)
	}
	route := "GET /" + fbtest.Version + "/" + fbtest.PageID
	for _, c := range []struct {
		name, body string
		want       int
	}{
		{"fans only", `{"id":"` + fbtest.PageID + `","fan_count":40}`, 40},
		{"no counts", `{"id":"` + fbtest.PageID + `"}`, -1},
		{"another page", `{"id":"999","followers_count":3}`, -1},
		{"not json", `<html></html>`, -1},
	} {
		srv.Fail(route, 1, 200, c.body)
		got, err := n.Audience(ctx, acct)
		switch {
		case c.want < 0 && !errors.Is(err, feeds.ErrBadResponse):
			t.Errorf("%s: %+v, %v; want a bad response", c.name, got, err)
		case c.want >= 0 && (err != nil || got[0].Followers != c.want):
			t.Errorf("%s: %+v, %v; want %d followers", c.name, got, err, c.want)
		}
	}
	srv.Fail(route, 1, 400, graphBodyOf(190, 463, "Error validating access token: Session has expired"))
	if _, err := n.Audience(ctx, acct); !errors.Is(err, feeds.ErrUnauthorized) {
		t.Errorf("expired token: %v", err)
	}
}

func TestOwnTellsPagePostsFromComments(t *testing.T) {
	srv, n, acct := setup(t)
	ctx := context.Background()
	post := srv.AddPost("Horaires du consulat", start.Add(-time.Hour))
	srv.AddComment(post, "201", "Jan de Vries", "Merci !", start.Add(-time.Minute))
	own, err := n.Fetch(ctx, acct, feeds.Own)
	if err != nil || len(own) != 1 || !n.Own(acct, own[0]) {
		t.Fatalf("own posts %+v, %v: want one, the Page's", own, err)
	}
	mentions, err := n.Fetch(ctx, acct, feeds.Mentions)
	if err != nil || len(mentions) != 1 || n.Own(acct, mentions[0]) {
		t.Fatalf("comments %+v, %v: want one, not the Page's", mentions, err)
	}
}
