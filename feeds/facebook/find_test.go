package facebook

import (
	"context"
	"testing"
	"time"

	"chancery/feeds"
	"chancery/feeds/facebook/fbtest"
)

// A post whose answer was lost is found among the Page's posts, so it is
// not sent again; one that never arrived is not found.
func TestFindPublishedAfterALostAnswer(t *testing.T) {
	srv, n, acct := setup(t)
	ctx := context.Background()
	for i := range 30 {
		srv.AddPost("Ancien communiqué", start.Add(-time.Duration(i+1)*time.Minute))
	}
	out := feeds.Outgoing{Text: "Le consulat  sera fermé\nlundi.", ContentWarning: "Avis"}
	srv.DropAnswers(feedRoute, 1)
	_, err := n.Publish(ctx, acct, out)
	if feeds.Classify(err) != feeds.OutcomeUnknown {
		t.Fatalf("lost answer: %v", err)
	}
	pub, found, err := n.FindPublished(ctx, acct, out, start)
	if err != nil || !found {
		t.Fatalf("not found: %v", err)
	}
	posts := srv.Posts()
	if last := posts[len(posts)-1]; pub.RemoteID != last.ID {
		t.Errorf("found %s, the server made %s", pub.RemoteID, last.ID)
	}
	other := feeds.Outgoing{Text: "Jamais envoyé"}
	if _, found, err := n.FindPublished(ctx, acct, other, start.Add(-time.Hour)); err != nil || found {
		t.Errorf("found a post never sent: %v", err)
	}
}

func TestFindPublishedReply(t *testing.T) {
	srv, n, acct := setup(t)
	ctx := context.Background()
	post := srv.AddPost("Visa", start.Add(-time.Hour))
	c := srv.AddComment(post, "201", "Jan de Vries", "Ook op zaterdag?", start)
	out := feeds.Outgoing{Text: "Nee, alleen doordeweeks.", ReplyTo: c}
	srv.DropAnswers("POST /"+fbtest.Version+"/"+c+"/comments", 1)
	if _, err := n.Publish(ctx, acct, out); feeds.Classify(err) != feeds.OutcomeUnknown {
		t.Fatalf("lost answer: %v", err)
	}
	pub, found, err := n.FindPublished(ctx, acct, out, start)
	if err != nil || !found || pub.RemoteID == "" {
		t.Fatalf("not found: %v", err)
	}
	// Someone else's comment with the same words is not the Page's.
	srv.AddComment(post, "202", "Li Wei", "Merci", start)
	if _, found, _ := n.FindPublished(ctx, acct, feeds.Outgoing{Text: "Merci", ReplyTo: post}, start); found {
		t.Error("found another person's comment")
	}
}

// A Page's pinned post can come first in its list whatever its age: it
// does not end the search, or the post just made would be missed and sent
// again. The post made earlier on purpose with the same words, before the
// first attempt, is not taken for it.
func TestFindPublishedLooksPastAPinnedOldPost(t *testing.T) {
	srv, n, acct := setup(t)
	ctx := context.Background()
	route := "GET /" + fbtest.Version + "/" + fbtest.PageID + "/published_posts"
	stamp := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05-0700") }
	item := func(id, msg string, at time.Time) string {
		return `{"id":"` + fbtest.PageID + `_` + id + `","message":"` + msg + `","created_time":"` + stamp(at) + `","from":{"id":"` + fbtest.PageID + `"}}`
	}
	text := "Le consulat sera fermé lundi."
	srv.Fail(route, 1, 200, `{"data":[`+item("1", "Bienvenue sur notre page", start.AddDate(-1, 0, 0))+`,`+
		item("3", text, start.Add(time.Minute))+`,`+item("2", text, start.Add(-time.Hour))+`]}`)
	pub, found, err := n.FindPublished(ctx, acct, feeds.Outgoing{Text: text}, start)
	if err != nil || !found || pub.RemoteID != fbtest.PageID+"_3" {
		t.Fatalf("found %+v (%v), %v; want the post made after the first attempt", pub, found, err)
	}
	srv.Fail(route, 1, 200, `{"data":[`+item("1", "Bienvenue sur notre page", start.AddDate(-1, 0, 0))+`,`+
		item("2", text, start.Add(-time.Hour))+`]}`)
	if pub, found, err := n.FindPublished(ctx, acct, feeds.Outgoing{Text: text}, start); err != nil || found {
		t.Fatalf("found %+v, %v: the same words posted an hour before the first attempt", pub, err)
	}
}
