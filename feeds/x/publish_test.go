package x_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"chancery/feeds"
	"chancery/feeds/x"
	"chancery/feeds/x/xtest"
)

func image(n int) feeds.OutgoingMedia {
	return feeds.OutgoingMedia{Name: "flag.png", MIME: "image/png", Data: bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, n/4), Alt: "The flag over the embassy"}
}

func TestPublishTextImageWithAltAndReply(t *testing.T) {
	e := setup(t, []xtest.Option{xtest.WithProcessing(2, false)}, x.WithChunkSize(1000))
	parent := e.srv.AddMention("bob_k", "Bob", "office hours?", "", time.Now())
	pub, err := e.net.Publish(ctx(t), e.acct, feeds.Outgoing{
		Text: "Open 9–17 & online: https://www.example.gc.ca/visa", ReplyTo: parent, Media: []feeds.OutgoingMedia{image(2500)},
	})
	if err != nil {
		t.Fatal(err)
	}
	posts := e.srv.Posts()
	if len(posts) != 1 || posts[0].ID != pub.RemoteID || posts[0].ReplyTo != parent || len(posts[0].MediaKeys) != 1 {
		t.Fatalf("server holds %+v, published %+v", posts, pub)
	}
	m, ok := e.srv.MediaOf(strings.TrimPrefix(posts[0].MediaKeys[0], "3_"))
	if !ok || m.Alt != "The flag over the embassy" || m.Got != 2500 || m.State != "succeeded" {
		t.Errorf("media %+v", m)
	}
	if n := e.srv.Calls("POST /2/media/upload"); n != 5 { // INIT, 3 × APPEND, FINALIZE
		t.Errorf("%d upload calls, want 5", n)
	}
	if n := e.srv.Calls("GET /2/media/upload"); n != 3 { // in_progress twice, then succeeded
		t.Errorf("%d status checks, want 3", n)
	}
	// Read back: X's t.co links are shown as the addresses they stand
	// for, the link X adds for the image is left out, the image has its
	// alt text.
	own, err := e.net.Fetch(ctx(t), e.acct, feeds.Own)
	if err != nil || len(own) != 1 {
		t.Fatalf("%d posts, %v", len(own), err)
	}
	p := own[0]
	if p.Text != "Open 9–17 & online: https://www.example.gc.ca/visa" || p.ReplyTo != parent || len(p.Media) != 1 ||
		p.Media[0].Alt != "The flag over the embassy" || p.Media[0].Type != "image" {
		t.Errorf("read back %+v", p)
	}
}

func TestPublishImageProcessingFailed(t *testing.T) {
	e := setup(t, []xtest.Option{xtest.WithProcessing(1, true)})
	_, err := e.net.Publish(ctx(t), e.acct, feeds.Outgoing{Text: "photo", Media: []feeds.OutgoingMedia{image(400)}})
	if !errors.Is(err, x.ErrMediaFailed) || feeds.Classify(err) != feeds.OutcomeRefused || len(e.srv.Posts()) != 0 {
		t.Fatalf("err = %v", err)
	}
}

func TestPublishRefusedTooLongAndEmpty(t *testing.T) {
	e := setup(t, nil)
	for _, text := range []string{strings.Repeat("é", 281), "  "} {
		_, err := e.net.Publish(ctx(t), e.acct, feeds.Outgoing{Text: text})
		if feeds.Classify(err) != feeds.OutcomeRefused {
			t.Errorf("%q: %v", text[:2], err)
		}
	}
	if e.srv.Calls("POST /2/tweets") != 0 {
		t.Error("sent anyway")
	}
}

func TestPublishDuplicateRefusalShowsXsReason(t *testing.T) {
	e := setup(t, nil)
	e.srv.FailNext("POST /2/tweets", 403, problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content."), nil)
	_, err := e.net.Publish(ctx(t), e.acct, feeds.Outgoing{Text: "Bonjour"})
	var p *x.Problem
	if feeds.Classify(err) != feeds.OutcomeRefused || !errors.As(err, &p) || !strings.Contains(p.Detail, "duplicate") {
		t.Fatalf("err = %v", err)
	}
}

func TestFindPublishedMatchesWhatXStored(t *testing.T) {
	e := setup(t, nil, x.WithChunkSize(1<<20))
	since := time.Now().Add(-time.Minute)
	parent := e.srv.AddMention("bob_k", "Bob", "when?", "", time.Now().Add(-time.Hour))
	out := feeds.Outgoing{Text: "@bob_k Rendez-vous : https://www.example.org/visa?lang=fr & merci", ReplyTo: parent, Media: []feeds.OutgoingMedia{image(100)}}
	if _, found, err := e.net.FindPublished(ctx(t), e.acct, out, since); err != nil || found {
		t.Fatalf("found before publishing: %v %v", found, err)
	}
	pub, err := e.net.Publish(ctx(t), e.acct, out)
	if err != nil {
		t.Fatal(err)
	}
	got, found, err := e.net.FindPublished(ctx(t), e.acct, out, since)
	if err != nil || !found || got.RemoteID != pub.RemoteID {
		t.Fatalf("find: %+v %v %v", got, found, err)
	}
	other := out
	other.Text = "@bob_k Rendez-vous demain"
	if _, found, _ := e.net.FindPublished(ctx(t), e.acct, other, since); found {
		t.Error("another text matched")
	}
	other = out
	other.ReplyTo = ""
	if _, found, _ := e.net.FindPublished(ctx(t), e.acct, other, since); found {
		t.Error("a post that is no reply matched")
	}
}

func TestActAndDelete(t *testing.T) {
	e := setup(t, nil)
	id := e.srv.AddMention("bob_k", "Bob", "hello", "", time.Now())
	for _, step := range []struct {
		action feeds.Action
		undo   bool
		likes  int
		rts    int
	}{{feeds.Like, false, 1, 0}, {feeds.Repost, false, 1, 1}, {feeds.Like, true, 0, 1}, {feeds.Repost, true, 0, 0}} {
		if err := e.net.Act(ctx(t), e.acct, id, step.action, step.undo); err != nil {
			t.Fatal(err)
		}
		if l, r := e.srv.Likes(id); l != step.likes || r != step.rts {
			t.Errorf("after %s undo=%v: %d likes, %d reposts", step.action, step.undo, l, r)
		}
	}
	own := e.srv.AddPost("mine", time.Now())
	if err := e.net.Delete(ctx(t), e.acct, own); err != nil || len(e.srv.Posts()) != 0 {
		t.Fatalf("delete: %v, %d posts left", err, len(e.srv.Posts()))
	}
	if err := e.net.Delete(ctx(t), e.acct, id); feeds.Classify(err) != feeds.OutcomeRefused {
		t.Errorf("deleting another's post: %v", err)
	}
}

func TestContentWarningIsWrittenAboveTheTextAndFound(t *testing.T) {
	e := setup(t, nil)
	out := feeds.Outgoing{Text: "Details of the incident near the embassy.", ContentWarning: "Security"}
	if got, want := e.net.WarningLength(e.acct, "Security"), 2+1+8+2; got != want {
		t.Errorf("warning counts %d, want %d", got, want)
	}
	pub, err := e.net.Publish(ctx(t), e.acct, out)
	if err != nil {
		t.Fatal(err)
	}
	if posts := e.srv.Posts(); posts[0].Text != "⚠ Security\n\nDetails of the incident near the embassy." {
		t.Errorf("server holds %q", posts[0].Text)
	}
	got, found, err := e.net.FindPublished(ctx(t), e.acct, out, time.Now().Add(-time.Minute))
	if err != nil || !found || got.RemoteID != pub.RemoteID {
		t.Errorf("find: %+v %v %v", got, found, err)
	}
}
