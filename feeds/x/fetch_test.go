package x_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"chancery/feeds"
	"chancery/feeds/x/xtest"
)

func TestOwnPostsPageWithNextToken(t *testing.T) {
	e := setup(t, nil)
	base := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	for i := range 25 {
		e.srv.AddPost(fmt.Sprintf("Communiqué %d: Q&A <visa>", i), base.Add(time.Duration(i)*time.Minute))
	}
	p1, err := e.net.FetchPage(ctx(t), e.acct, feeds.Own, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(p1.Posts) != 20 || p1.Older == "" {
		t.Fatalf("first page: %d posts, older %q", len(p1.Posts), p1.Older)
	}
	first := p1.Posts[0]
	if first.Text != "Communiqué 24: Q&A <visa>" || first.Author != xtest.Name || first.AuthorHandle != "@"+xtest.Username ||
		!first.CreatedAt.Equal(base.Add(24*time.Minute)) || !strings.HasPrefix(first.URL, "https://x.com/"+xtest.Username+"/status/") || first.Lang != "en" {
		t.Errorf("first post %+v", first)
	}
	p2, err := e.net.FetchPage(ctx(t), e.acct, feeds.Own, p1.Older)
	if err != nil {
		t.Fatal(err)
	}
	if len(p2.Posts) != 5 || p2.Older != "" || p2.Posts[4].Text != "Communiqué 0: Q&A <visa>" {
		t.Fatalf("second page: %d posts, older %q", len(p2.Posts), p2.Older)
	}
}

func TestMentionsWithAuthorsAndReplies(t *testing.T) {
	e := setup(t, nil)
	own := e.srv.AddPost("Visa office closed Monday", time.Now().Add(-2*time.Hour))
	e.srv.AddMention("bob_k", "Bob K.", "is the office open Tuesday?", own, time.Now().Add(-time.Hour))
	e.srv.AddMention("anna", "", "merci !", "", time.Now().Add(-30*time.Minute))
	posts, err := e.net.Fetch(ctx(t), e.acct, feeds.Mentions)
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 2 {
		t.Fatalf("%d mentions", len(posts))
	}
	if posts[0].Author != "@anna" || posts[1].Author != "Bob K." || posts[1].ReplyTo != own || posts[1].AuthorHandle != "@bob_k" ||
		posts[0].Notification != "mention" || posts[1].Notification != "reply" || posts[1].ReplyToAuthor != xtest.Name {
		t.Errorf("mentions %+v", posts)
	}
}

func TestEmptyTimelineAndUnknownKind(t *testing.T) {
	e := setup(t, nil)
	p, err := e.net.FetchPage(ctx(t), e.acct, feeds.Mentions, "")
	if err != nil || len(p.Posts) != 0 || p.Older != "" {
		t.Fatalf("%+v %v", p, err)
	}
	if _, err := e.net.Fetch(ctx(t), e.acct, feeds.Home); feeds.Classify(err) != feeds.OutcomeOther || err == nil {
		t.Fatalf("home: %v", err)
	}
}
