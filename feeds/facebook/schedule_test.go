package facebook

import (
	"context"
	"errors"
	"testing"
	"time"

	"chancery/feeds"
	"chancery/feeds/facebook/fbtest"
	"chancery/translations"
)

func TestScheduleHandsThePostToFacebook(t *testing.T) {
	srv, n, acct := setup(t)
	ctx := context.Background()
	at := start.Add(3 * time.Hour)
	out := feeds.Outgoing{Text: "Bonne fête nationale !", ContentWarning: "", Media: []feeds.OutgoingMedia{
		{Name: "drapeau.png", MIME: "image/png", Data: []byte("png"), Alt: "Le drapeau"},
	}}
	sc, err := n.Schedule(ctx, acct, out, at)
	if err != nil {
		t.Fatal(err)
	}
	posts := srv.Posts()
	if len(posts) != 1 || posts[0].Published || !posts[0].Scheduled.Equal(at) || posts[0].ID != sc.ID {
		t.Fatalf("server holds %+v", posts)
	}
	if ph, _ := srv.Photo(posts[0].Photos[0]); !ph.Temporary || ph.Published || ph.Alt != "Le drapeau" {
		t.Errorf("photo %+v", ph)
	}
	list, err := n.ScheduledPosts(ctx, acct)
	if err != nil || len(list) != 1 || list[0].ID != sc.ID || !list[0].At.Equal(at) || list[0].Out.Text != out.Text {
		t.Fatalf("scheduled posts %+v, %v", list, err)
	}
	later := at.Add(24 * time.Hour)
	if sc, err = n.Reschedule(ctx, acct, sc.ID, later); err != nil || !sc.At.Equal(later) {
		t.Fatalf("reschedule: %+v, %v", sc, err)
	}
	srv.Advance(48 * time.Hour)
	_, err = n.ScheduledPost(ctx, acct, sc.ID)
	var published *feeds.PublishedError
	if !errors.Is(err, feeds.ErrNotScheduled) || !errors.As(err, &published) ||
		published.Published.RemoteID != sc.ID || published.Published.URL != postURL(sc.ID) {
		t.Fatalf("published post: %v, want it published as %s", err, sc.ID)
	}
	err = n.Unschedule(ctx, acct, sc.ID)
	if !errors.Is(err, feeds.ErrNotScheduled) || !errors.As(err, &published) {
		t.Fatalf("unschedule a published post: %v", err)
	}
	if posts := srv.Posts(); len(posts) != 1 || !posts[0].Published {
		t.Fatalf("server holds %+v", posts)
	}
}

func TestUnschedule(t *testing.T) {
	srv, n, acct := setup(t)
	ctx := context.Background()
	sc, err := n.Schedule(ctx, acct, feeds.Outgoing{Text: "Annulé"}, start.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Unschedule(ctx, acct, sc.ID); err != nil {
		t.Fatal(err)
	}
	if len(srv.Posts()) != 0 {
		t.Fatal("still held")
	}
	err = n.Unschedule(ctx, acct, sc.ID)
	var published *feeds.PublishedError
	if !errors.Is(err, feeds.ErrNotScheduled) || errors.As(err, &published) {
		t.Fatalf("second unschedule: %v, want not scheduled (deleted, not published)", err)
	}
}

func TestScheduleWindow(t *testing.T) {
	loc := translations.New("en")
	for _, lead := range []time.Duration{5 * time.Minute, 76 * 24 * time.Hour} {
		srv, n, acct := setup(t)
		_, err := n.Schedule(context.Background(), acct, feeds.Outgoing{Text: "Trop tôt"}, start.Add(lead))
		if !errors.Is(err, ErrSchedule) || feeds.Classify(err) != feeds.OutcomeRefused {
			t.Fatalf("%s ahead: %v", lead, err)
		}
		if loc.Error(err) != loc.T("facebook.error.schedule_window") {
			t.Errorf("message %q", loc.Error(err))
		}
		if srv.Count("POST /"+fbtest.Version+"/"+fbtest.PageID+"/feed") != 0 {
			t.Error("a post Facebook would refuse was sent")
		}
	}
	// Facebook's clock decides: a time our clock finds in the window and
	// Facebook's does not is refused by Facebook, and said the same way.
	srv, n, acct := setup(t)
	srv.Advance(30 * time.Minute)
	n.now = func() time.Time { return start }
	_, err := n.Schedule(context.Background(), acct, feeds.Outgoing{Text: "Horloge"}, start.Add(15*time.Minute))
	var ge *GraphError
	if !errors.Is(err, ErrSchedule) || !errors.As(err, &ge) || ge.Code != 100 || feeds.Classify(err) != feeds.OutcomeRefused {
		t.Fatalf("server refusal: %v", err)
	}
}

func TestScheduleRefusesAComment(t *testing.T) {
	_, n, acct := setup(t)
	_, err := n.Schedule(context.Background(), acct, feeds.Outgoing{Text: "x", ReplyTo: "1_2"}, start.Add(time.Hour))
	if feeds.Classify(err) != feeds.OutcomeRefused {
		t.Fatalf("err = %v", err)
	}
}
