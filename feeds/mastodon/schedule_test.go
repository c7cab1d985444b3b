package mastodon

import (
	"context"
	"errors"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/feeds/mastodon/mastodontest"
)

func scheduleSetup(t *testing.T) (*mastodontest.Server, *Network, accounts.Account) {
	t.Helper()
	srv := mastodontest.New(time.Date(2026, 12, 6, 20, 0, 0, 0, time.UTC))
	t.Cleanup(srv.Close)
	secrets := &memSecrets{}
	_ = secrets.SetSecret("acct-1", mastodontest.Token)
	n := New(secrets, &memState{}, WithHTTPClient(srv.Client()))
	return srv, n, accounts.Account{ID: "acct-1", Mission: "vienna", Network: accounts.Mastodon, Server: srv.URL}
}

func TestScheduleRescheduleUnschedule(t *testing.T) {
	srv, n, acct := scheduleSetup(t)
	ctx := context.Background()
	at := srv.Now().Add(13 * time.Hour)
	out := feeds.Outgoing{Text: "Guten Morgen aus Wien.", Lang: "de", ContentWarning: "Ankündigung", IdempotencyKey: "k1"}
	sc, err := n.Schedule(ctx, acct, out, at)
	if err != nil {
		t.Fatal(err)
	}
	if sc.ID == "" || !sc.At.Equal(at) || sc.Out.Text != out.Text || sc.Out.Lang != "de" || sc.Out.ContentWarning != "Ankündigung" {
		t.Fatalf("scheduled %+v", sc)
	}
	if len(srv.Statuses()) != 0 || len(srv.ScheduledStatuses()) != 1 {
		t.Fatalf("server holds %d statuses and %d scheduled", len(srv.Statuses()), len(srv.ScheduledStatuses()))
	}
	// The same key again returns the same scheduled status.
	again, err := n.Schedule(ctx, acct, out, at)
	if err != nil || again.ID != sc.ID || len(srv.ScheduledStatuses()) != 1 {
		t.Fatalf("repeated key: %+v, %v, %d held", again, err, len(srv.ScheduledStatuses()))
	}
	list, err := n.ScheduledPosts(ctx, acct)
	if err != nil || len(list) != 1 || list[0].ID != sc.ID {
		t.Fatalf("list: %+v, %v", list, err)
	}
	later := at.Add(time.Hour)
	moved, err := n.Reschedule(ctx, acct, sc.ID, later)
	if err != nil || !moved.At.Equal(later) {
		t.Fatalf("reschedule: %+v, %v", moved, err)
	}
	if got, err := n.ScheduledPost(ctx, acct, sc.ID); err != nil || !got.At.Equal(later) {
		t.Fatalf("get: %+v, %v", got, err)
	}
	// Too soon for the server: refused, not a missing post.
	if _, err := n.Reschedule(ctx, acct, sc.ID, srv.Now().Add(time.Minute)); feeds.Classify(err) != feeds.OutcomeRefused || errors.Is(err, feeds.ErrNotScheduled) {
		t.Errorf("reschedule too soon: %v", err)
	}
	if err := n.Unschedule(ctx, acct, sc.ID); err != nil {
		t.Fatal(err)
	}
	if len(srv.ScheduledStatuses()) != 0 {
		t.Fatal("still scheduled after delete")
	}
	for name, err := range map[string]error{
		"unschedule": n.Unschedule(ctx, acct, sc.ID),
		"get":        second(n.ScheduledPost(ctx, acct, sc.ID)),
		"reschedule": second(n.Reschedule(ctx, acct, sc.ID, later)),
	} {
		if !errors.Is(err, feeds.ErrNotScheduled) {
			t.Errorf("%s of a deleted scheduled status: %v, want ErrNotScheduled", name, err)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func TestSchedulePublishedAtItsTimeIsFound(t *testing.T) {
	srv, n, acct := scheduleSetup(t)
	ctx := context.Background()
	handed := srv.Now()
	out := feeds.Outgoing{Text: "Consular hours on Monday: 9:00–12:00.", Lang: "en", IdempotencyKey: "k2"}
	sc, err := n.Schedule(ctx, acct, out, srv.Now().Add(6*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if _, found, err := n.FindPublished(ctx, acct, out, sc.At); err != nil || found {
		t.Fatalf("found before its time: %v, %v", found, err)
	}
	srv.Advance(7 * time.Minute)
	pub, found, err := n.FindPublished(ctx, acct, out, handed)
	if err != nil || !found || pub.URL != mastodontest.StatusURL(pub.RemoteID) {
		t.Fatalf("after its time: %+v, %v, %v", pub, found, err)
	}
	if _, err := n.ScheduledPost(ctx, acct, sc.ID); !errors.Is(err, feeds.ErrNotScheduled) {
		t.Errorf("published scheduled status still held: %v", err)
	}
}

func TestScheduleRefusedOrIgnored(t *testing.T) {
	srv, n, acct := scheduleSetup(t)
	ctx := context.Background()
	out := feeds.Outgoing{Text: "Hello", IdempotencyKey: "k3"}
	if _, err := n.Schedule(ctx, acct, out, srv.Now().Add(2*time.Minute)); feeds.Classify(err) != feeds.OutcomeRefused {
		t.Errorf("two minutes ahead: %v, want a refusal", err)
	}
	srv.RefuseScheduling(true)
	if _, err := n.Schedule(ctx, acct, out, srv.Now().Add(time.Hour)); feeds.Classify(err) != feeds.OutcomeRefused {
		t.Errorf("refused by the server: %v", err)
	}
	srv.RefuseScheduling(false)
	srv.NoScheduling(true)
	out.IdempotencyKey = "k4"
	sc, err := n.Schedule(ctx, acct, out, srv.Now().Add(time.Hour))
	if err != nil || sc.ID != "" || sc.Published.RemoteID == "" || len(srv.Statuses()) != 1 {
		t.Errorf("a server that ignores scheduled_at: %+v, %v", sc, err)
	}
}
