package facebook

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"chancery/feeds"
	"chancery/feeds/facebook/fbtest"
)

func TestOwnPostsPageBackWithCursorsThatHoldNoToken(t *testing.T) {
	srv, n, acct := setup(t)
	for i := range 30 {
		srv.AddPost(fmt.Sprintf("Communiqué %d", i), start.Add(-time.Duration(30-i)*time.Hour))
	}
	ctx := context.Background()
	first, err := n.FetchPage(ctx, acct, feeds.Own, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Posts) != pageSize || first.Posts[0].Text != "Communiqué 29" || first.Older == "" {
		t.Fatalf("first page: %d posts, first %q, older %q", len(first.Posts), first.Posts[0].Text, first.Older)
	}
	noSecret(t, "cursor", first.Older)
	second, err := n.FetchPage(ctx, acct, feeds.Own, first.Older)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Posts) != 5 || second.Posts[4].Text != "Communiqué 0" || second.Older != "" {
		t.Fatalf("second page: %d posts, older %q", len(second.Posts), second.Older)
	}
	p := first.Posts[0]
	if p.Network != "facebook" || p.Account != acct.ID || p.Author != fbtest.PageName || p.URL == "" ||
		!p.CreatedAt.Equal(start.Add(-time.Hour)) {
		t.Errorf("post %+v", p)
	}
}

func TestOwnPostCountsAndPhotos(t *testing.T) {
	srv, n, acct := setup(t)
	ctx := context.Background()
	pub, err := n.Publish(ctx, acct, feeds.Outgoing{Text: "Journée portes ouvertes", Media: []feeds.OutgoingMedia{
		{Name: "a.jpg", MIME: "image/jpeg", Data: []byte("jpeg-a"), Alt: "La façade"},
		{Name: "b.png", MIME: "image/png", Data: []byte("png-b"), Alt: "Le jardin"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	srv.AddComment(pub.RemoteID, "200", "Anna Huber", "Wann genau?", start)
	if err := n.Act(ctx, acct, pub.RemoteID, feeds.Like, false); err != nil {
		t.Fatal(err)
	}
	posts, err := n.Fetch(ctx, acct, feeds.Own)
	if err != nil || len(posts) != 1 {
		t.Fatalf("%v, %v", posts, err)
	}
	p := posts[0]
	if p.ID != pub.RemoteID || p.Counts.Replies != 1 || p.Counts.Likes != 1 || len(p.Media) != 2 || p.Media[0].Type != "image" {
		t.Errorf("post %+v", p)
	}
}

func TestMentionsAreOthersCommentsOnRecentPosts(t *testing.T) {
	srv, n, acct := setup(t)
	older := srv.AddPost("Visa : nouveaux horaires", start.Add(-48*time.Hour))
	newer := srv.AddPost("Fête nationale", start.Add(-2*time.Hour))
	c1 := srv.AddComment(older, "201", "Jan de Vries", "Ook op zaterdag?", start.Add(-47*time.Hour))
	srv.AddComment(c1, fbtest.PageID, fbtest.PageName, "Nee, alleen doordeweeks.", start.Add(-46*time.Hour))
	c3 := srv.AddComment(c1, "201", "Jan de Vries", "Dank u!", start.Add(-45*time.Hour))
	c4 := srv.AddComment(newer, "202", "Li Wei", "祝贺！", start.Add(-time.Hour))
	posts, err := n.Fetch(context.Background(), acct, feeds.Mentions)
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 3 {
		t.Fatalf("%d comments, want the 3 not written by the Page: %+v", len(posts), posts)
	}
	want := []struct{ id, replyTo, author string }{{c4, newer, "Li Wei"}, {c3, c1, "Jan de Vries"}, {c1, older, "Jan de Vries"}}
	for i, w := range want {
		if p := posts[i]; p.ID != w.id || p.ReplyTo != w.replyTo || p.Author != w.author || p.Notification != "reply" || p.AuthorHandle != "" {
			t.Errorf("comment %d: %+v, want %+v", i, p, w)
		}
	}
	if posts[2].Counts.Replies != 2 {
		t.Errorf("replies of %s: %d", c1, posts[2].Counts.Replies)
	}
}

func TestFetchRefusesOtherKinds(t *testing.T) {
	_, n, acct := setup(t)
	if _, err := n.Fetch(context.Background(), acct, feeds.Home); !errors.Is(err, feeds.ErrUnsupported) {
		t.Fatalf("err = %v", err)
	}
	if !n.Capabilities().Supports(feeds.Own) || !n.Capabilities().Supports(feeds.Mentions) {
		t.Error("capabilities")
	}
}

func TestCursorKeepsOnlyPagingParameters(t *testing.T) {
	p := paging{Next: "https://graph.facebook.com/v21.0/1/feed?access_token=SECRET&limit=25&until=1700000000&__paging_token=enc"}
	got := p.older()
	if got != "__paging_token=enc&until=1700000000" {
		t.Fatalf("cursor %q", got)
	}
	p.Cursors.After = "QVFI"
	if got := p.older(); got != "after=QVFI" {
		t.Fatalf("cursor %q", got)
	}
	if (paging{Cursors: p.Cursors}).older() != "" {
		t.Error("a page without next has no older page")
	}
}
