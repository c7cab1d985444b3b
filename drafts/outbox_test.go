package drafts_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"chancery/drafts"
	"chancery/feeds"
)

func queue(t *testing.T, svc *drafts.Service, account string, texts ...string) []drafts.Entry {
	t.Helper()
	var all []drafts.Entry
	for _, text := range texts {
		d, err := svc.New([]string{account})
		if err != nil {
			t.Fatal(err)
		}
		d.SetText("en", text)
		es, err := svc.Submit(d, lengthChecker{max: 500})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, es...)
	}
	return all
}

func TestFlushPublishesInOrderOnce(t *testing.T) {
	db, srv := openDB(t), newPostServer(t)
	svc := drafts.NewService(db, nil)
	queue(t, svc, "a", "one", "two", "three")
	box := drafts.NewOutbox(db, httpPublisher{srv.srv.URL}, nil)
	res, err := box.Flush(context.Background())
	if err != nil || res.Sent != 3 || res.Waiting != 0 {
		t.Fatalf("flush: %+v, %v", res, err)
	}
	if got := strings.Join(srv.texts(), ","); got != "one,two,three" {
		t.Errorf("server got %q", got)
	}
	es, _ := box.List()
	for _, e := range es {
		if e.State != drafts.Sent || e.RemoteID == "" || !strings.HasPrefix(e.URL, "http://127.0.0.1") {
			t.Errorf("entry after flush: %+v", e)
		}
	}
	if res, _ := box.Flush(context.Background()); res.Sent != 0 || len(srv.texts()) != 3 {
		t.Errorf("a second flush sent again: %+v", res)
	}
}

func TestOfflineEntriesWaitThenGoOutInOrder(t *testing.T) {
	db, srv := openDB(t), newPostServer(t)
	svc := drafts.NewService(db, nil)
	queue(t, svc, "a", "first", "second")
	queue(t, svc, "b", "other account")
	srv.srv.Close() // the network is gone
	box := drafts.NewOutbox(db, httpPublisher{srv.srv.URL}, nil)
	res, err := box.Flush(context.Background())
	if err != nil || !res.Offline || res.Sent != 0 || res.Waiting != 3 {
		t.Fatalf("offline flush: %+v, %v", res, err)
	}
	es, _ := box.List()
	for _, e := range es {
		if e.State != drafts.Queued || e.Uncertain {
			t.Errorf("offline entry %q is %s (uncertain %v)", e.Text, e.State, e.Uncertain)
		}
	}
	if es[0].Attempts != 1 || es[1].Attempts != 0 {
		t.Errorf("only the first entry should have been tried: %d, %d", es[0].Attempts, es[1].Attempts)
	}
	back := newPostServer(t)
	box = drafts.NewOutbox(db, httpPublisher{back.srv.URL}, nil)
	if res, err := box.Flush(context.Background()); err != nil || res.Sent != 3 {
		t.Fatalf("flush after reconnect: %+v, %v", res, err)
	}
	if got := strings.Join(back.texts(), ","); got != "first,second,other account" {
		t.Errorf("order after reconnect: %q", got)
	}
}

func TestRateLimitedEntryWaitsForRetryAfterAndHoldsItsAccount(t *testing.T) {
	db, srv := openDB(t), newPostServer(t)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	svc := drafts.NewService(db, func() time.Time { return now })
	queue(t, svc, "a", "limited", "after it")
	queue(t, svc, "b", "free")
	srv.fail = func(r *http.Request) int {
		if r.FormValue("status") == "limited" {
			return http.StatusTooManyRequests
		}
		return 0
	}
	box := drafts.NewOutbox(db, httpPublisher{srv.srv.URL}, func() time.Time { return now })
	res, err := box.Flush(context.Background())
	if err != nil || res.Sent != 1 || res.Waiting != 2 {
		t.Fatalf("flush: %+v, %v", res, err)
	}
	es, _ := box.List()
	if es[0].State != drafts.Queued || !es[0].NotBefore.Equal(now.Add(120*time.Second)) {
		t.Errorf("limited entry: %s until %v", es[0].State, es[0].NotBefore)
	}
	if es[1].Attempts != 0 {
		t.Error("the account's next entry went before the one ahead of it")
	}
	srv.fail = nil
	if res, _ := box.Flush(context.Background()); res.Sent != 0 {
		t.Errorf("sent before Retry-After: %+v", res)
	}
	now = now.Add(121 * time.Second)
	if res, _ := box.Flush(context.Background()); res.Sent != 2 {
		t.Errorf("after Retry-After: %+v", res)
	}
	if got := strings.Join(srv.texts(), ","); got != "free,limited,after it" {
		t.Errorf("server got %q", got)
	}
}

func TestRefusedEntryFailsWithReasonAndCanBeRetried(t *testing.T) {
	db, srv := openDB(t), newPostServer(t)
	svc := drafts.NewService(db, nil)
	es := queue(t, svc, "a", "needs sign-in")
	srv.fail = func(*http.Request) int { return http.StatusUnauthorized }
	box := drafts.NewOutbox(db, httpPublisher{srv.srv.URL}, nil)
	var signedOut []string
	box.OnNeedsSignIn(func(id string) { signedOut = append(signedOut, id) })
	if res, _ := box.Flush(context.Background()); res.Failed != 1 {
		t.Fatalf("flush: %+v", res)
	}
	e, _ := db.Entry(es[0].ID)
	if e.State != drafts.Failed || e.Uncertain || !strings.Contains(e.Error, "sign-in required") {
		t.Errorf("failed entry: %+v", e)
	}
	if !slices.Equal(signedOut, []string{"a"}) {
		t.Errorf("accounts reported needing sign-in: %v", signedOut)
	}
	if err := box.Retry("nope"); !errors.Is(err, drafts.ErrNoEntry) {
		t.Errorf("retry unknown: %v", err)
	}
	srv.fail = nil
	if err := box.Retry(e.ID); err != nil {
		t.Fatal(err)
	}
	if err := box.Retry(e.ID); !errors.Is(err, drafts.ErrNotRetryable) {
		t.Errorf("retrying a queued entry: %v", err)
	}
	if res, _ := box.Flush(context.Background()); res.Sent != 1 {
		t.Errorf("after retry: %+v", res)
	}
}

func TestEntryFoundSendingIsLookedForNotSentAgain(t *testing.T) {
	db, srv := openDB(t), newPostServer(t)
	svc := drafts.NewService(db, nil)
	es := queue(t, svc, "a", "in flight at the crash")
	// The previous run posted it, then died before recording the result.
	if _, err := (httpPublisher{srv.srv.URL}).Publish(context.Background(), es[0]); err != nil {
		t.Fatal(err)
	}
	e := es[0]
	e.State = drafts.Sending
	if err := db.PutEntry(e); err != nil {
		t.Fatal(err)
	}
	box := drafts.NewOutbox(db, httpPublisher{srv.srv.URL}, nil)
	if res, _ := box.Flush(context.Background()); res.Sent != 1 {
		t.Fatalf("flush: %+v", res)
	}
	if n := len(srv.texts()); n != 1 {
		t.Errorf("server created %d posts, want 1", n)
	}
}

func TestScheduledEntryWaitsForItsTime(t *testing.T) {
	db, srv := openDB(t), newPostServer(t)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	svc := drafts.NewService(db, func() time.Time { return now })
	d, _ := svc.New([]string{"a"})
	d.SetText("fr", "Annonce programmée")
	d.ScheduledAt, d.Zone = now.Add(time.Hour), "Europe/Vienna"
	if _, err := svc.Submit(d, lengthChecker{max: 500}); err != nil {
		t.Fatal(err)
	}
	box := drafts.NewOutbox(db, httpPublisher{srv.srv.URL}, func() time.Time { return now })
	if res, _ := box.Flush(context.Background()); res.Sent != 0 || res.Waiting != 1 {
		t.Errorf("before its time: %+v", res)
	}
	now = now.Add(time.Hour)
	if res, _ := box.Flush(context.Background()); res.Sent != 1 {
		t.Errorf("at its time: %+v", res)
	}
}

func TestBackoffGrowsWithJitterAndIsCapped(t *testing.T) {
	for attempt := 1; attempt <= 12; attempt++ {
		base := min(30*time.Second<<min(attempt-1, 6), 30*time.Minute)
		for range 20 {
			d := drafts.Backoff(attempt)
			if d < base*8/10 || d > base*12/10 {
				t.Fatalf("attempt %d: %v outside ±20%% of %v", attempt, d, base)
			}
		}
	}
	seen := map[time.Duration]bool{}
	for range 20 {
		seen[drafts.Backoff(3)] = true
	}
	if len(seen) < 5 {
		t.Errorf("no jitter: %v", slices.Collect(func(yield func(time.Duration) bool) {
			for d := range seen {
				yield(d)
			}
		}))
	}
}

// forgetfulPublisher is a network whose idempotency keys expire: it can
// only tell what was published by looking.
type forgetfulPublisher struct {
	published map[string]string // text -> remote id
	sends     int
}

func (p *forgetfulPublisher) Publish(_ context.Context, e drafts.Entry) (feeds.Published, error) {
	p.sends++
	id := fmt.Sprint("r", p.sends)
	p.published[e.Text] = id
	return feeds.Published{RemoteID: id}, nil
}

func (p *forgetfulPublisher) Find(_ context.Context, e drafts.Entry) (feeds.Published, bool, error) {
	id, ok := p.published[e.Text]
	return feeds.Published{RemoteID: id}, ok, nil
}

func TestUncertainEntryIsLookedForBeforeResendingWhateverItsAge(t *testing.T) {
	for _, age := range []time.Duration{time.Second, 10 * time.Minute, 2 * time.Hour} {
		db := openDB(t)
		now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
		svc := drafts.NewService(db, func() time.Time { return now })
		es := queue(t, svc, "a", "went out before the crash", "never went out")
		pub := &forgetfulPublisher{published: map[string]string{"went out before the crash": "r0"}}
		for _, e := range es {
			// Both were in flight when Chancery was killed.
			e.State, e.FirstTry, e.Attempts = drafts.Sending, now.Add(-age), 1
			if err := db.PutEntry(e); err != nil {
				t.Fatal(err)
			}
		}
		box := drafts.NewOutbox(db, pub, func() time.Time { return now })
		if res, err := box.Flush(context.Background()); err != nil || res.Sent != 2 {
			t.Fatalf("%v: flush: %+v, %v", age, res, err)
		}
		if pub.sends != 1 {
			t.Errorf("%v: %d posts sent, want only the one that never went out", age, pub.sends)
		}
		first, _ := db.Entry(es[0].ID)
		if first.RemoteID != "r0" || first.State != drafts.Sent || first.Uncertain {
			t.Errorf("%v: the post found on the network: %+v", age, first)
		}
	}
}

func TestSentEntriesAreForgottenAfterAMonth(t *testing.T) {
	db, srv := openDB(t), newPostServer(t)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	svc := drafts.NewService(db, clock)
	queue(t, svc, "a", "old news")
	box := drafts.NewOutbox(db, httpPublisher{srv.srv.URL}, clock)
	if _, err := box.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	queue(t, svc, "a", "waiting")
	srv.srv.Close()
	now = now.Add(drafts.KeepSent + time.Hour)
	if _, err := box.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	es, _ := box.List()
	if len(es) != 1 || es[0].Text != "waiting" {
		t.Errorf("outbox after a month: %+v", es)
	}
}
