package drafts_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/drafts"
	"chancery/feeds"
)

// scripted is a publisher whose answers the test sets per text: publishErr
// fails a publish, findErr fails a check; published records what the
// network holds, found or not by Find.
type scripted struct {
	mu         sync.Mutex
	publishErr map[string]error
	findErr    map[string]error
	published  map[string]int // text → copies on the network
	sends      []string
	finds      int
}

func newScripted() *scripted {
	return &scripted{publishErr: map[string]error{}, findErr: map[string]error{}, published: map[string]int{}}
}

func (p *scripted) Publish(_ context.Context, e drafts.Entry) (feeds.Published, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sends = append(p.sends, e.Text)
	if err := p.publishErr[e.Text]; err != nil {
		if errors.Is(err, feeds.ErrOutcomeUnknown) {
			p.published[e.Text]++ // the server acted; its answer was lost
		}
		return feeds.Published{}, err
	}
	p.published[e.Text]++
	return feeds.Published{RemoteID: "id-" + e.Text, URL: "https://net.example/" + e.Text}, nil
}

// checking is a scripted publisher that can also look for an entry.
type checking struct{ *scripted }

func (p checking) Find(_ context.Context, e drafts.Entry) (feeds.Published, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finds++
	if err := p.findErr[e.Text]; err != nil {
		return feeds.Published{}, false, err
	}
	if p.published[e.Text] > 0 {
		return feeds.Published{RemoteID: "id-" + e.Text, URL: "https://net.example/" + e.Text}, true, nil
	}
	return feeds.Published{}, false, nil
}

func lost() error {
	return fmt.Errorf("POST /api/v1/statuses: read body: %w: connection reset", feeds.ErrOutcomeUnknown)
}

func TestPublishFailuresAreClassified(t *testing.T) {
	cases := []struct {
		name       string
		err        error
		state      drafts.State
		uncertain  bool
		waits      bool // NotBefore set in the future
		holds      bool // the account's next entry waits
		signedOut  bool
		offlineRes bool
	}{
		{"answer lost", lost(), drafts.Queued, true, true, true, false, false},
		{"server error", fmt.Errorf("http 502: %w", feeds.ErrServer), drafts.Queued, true, true, true, false, false},
		{"unreadable 2xx answer", fmt.Errorf("decode: %w", feeds.ErrBadResponse), drafts.Queued, true, true, true, false, false},
		{"cancelled", fmt.Errorf("post: %w", context.Canceled), drafts.Queued, true, false, true, false, false},
		{"offline", fmt.Errorf("dial: %w", feeds.ErrOffline), drafts.Queued, false, false, true, false, true},
		{"rate limited", &feeds.RetryAfterError{Err: feeds.ErrRateLimited, After: time.Minute}, drafts.Queued, false, true, true, false, false},
		{"unauthorized", fmt.Errorf("http 401: %w", feeds.ErrUnauthorized), drafts.Failed, false, false, false, true, false},
		{"refused", &feeds.StatusError{Status: 422, Message: "Validation failed"}, drafts.Failed, false, false, false, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := openDB(t)
			now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
			svc := drafts.NewService(db, func() time.Time { return now })
			es := queue(t, svc, "a", "first", "second")
			pub := newScripted()
			pub.publishErr["first"] = c.err
			box := drafts.NewOutbox(db, checking{pub}, func() time.Time { return now })
			var signedOut []string
			box.OnNeedsSignIn(func(id string) { signedOut = append(signedOut, id) })
			res, err := box.Flush(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			e, _ := db.Entry(es[0].ID)
			if e.State != c.state || e.Uncertain != c.uncertain || e.NotBefore.After(now) != c.waits {
				t.Errorf("entry: %s, uncertain %v, not before %v", e.State, e.Uncertain, e.NotBefore)
			}
			next, _ := db.Entry(es[1].ID)
			if held := next.Attempts == 0; held != c.holds {
				t.Errorf("next entry held: %v, want %v", held, c.holds)
			}
			if (len(signedOut) == 1) != c.signedOut || res.Offline != c.offlineRes {
				t.Errorf("signed out %v, result %+v", signedOut, res)
			}
		})
	}
}

func TestLostAnswerIsCheckedNotSentAgain(t *testing.T) {
	db := openDB(t)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	svc := drafts.NewService(db, func() time.Time { return now })
	es := queue(t, svc, "a", "lost answer", "after it")
	pub := newScripted()
	pub.publishErr["lost answer"] = lost()
	box := drafts.NewOutbox(db, checking{pub}, func() time.Time { return now })
	if res, _ := box.Flush(context.Background()); res.Sent != 0 || res.Waiting != 2 {
		t.Fatalf("first flush: %+v", res)
	}
	if res, _ := box.Flush(context.Background()); res.Sent != 0 || pub.finds != 0 {
		t.Fatalf("checked before its back-off: %+v, %d checks", res, pub.finds)
	}
	delete(pub.publishErr, "lost answer")
	now = now.Add(time.Hour)
	if res, _ := box.Flush(context.Background()); res.Sent != 2 {
		t.Fatalf("after the back-off: %+v", res)
	}
	if got := strings.Join(pub.sends, ","); got != "lost answer,after it" || pub.published["lost answer"] != 1 {
		t.Errorf("sends %q, copies %v", got, pub.published)
	}
	e, _ := db.Entry(es[0].ID)
	if e.State != drafts.Sent || e.Uncertain || e.RemoteID != "id-lost answer" || e.URL != "https://net.example/lost answer" {
		t.Errorf("found entry: %+v", e)
	}
}

func TestFailedCheckKeepsTheEntryUncertainAndItsAccountHeld(t *testing.T) {
	for _, checkErr := range []error{lost(), fmt.Errorf("dial: %w", feeds.ErrOffline)} {
		db := openDB(t)
		now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
		svc := drafts.NewService(db, func() time.Time { return now })
		es := queue(t, svc, "a", "unknown", "behind it")
		queue(t, svc, "b", "other account")
		pub := newScripted()
		pub.publishErr["unknown"] = lost()
		pub.findErr["unknown"] = checkErr
		box := drafts.NewOutbox(db, checking{pub}, func() time.Time { return now })
		for range 3 {
			now = now.Add(2 * time.Hour)
			if _, err := box.Flush(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		e, _ := db.Entry(es[0].ID)
		behind, _ := db.Entry(es[1].ID)
		if e.State != drafts.Queued || !e.Uncertain || behind.Attempts != 0 || pub.finds != 2 {
			t.Errorf("%v: entry %s uncertain %v, %d checks, the next one tried %d times",
				checkErr, e.State, e.Uncertain, pub.finds, behind.Attempts)
		}
		if got := strings.Join(pub.sends, ","); got != "unknown,other account" {
			t.Errorf("%v: sent %q", checkErr, got)
		}
	}
}

func TestUncertainEntryThatCannotBeCheckedWaitsForTheUser(t *testing.T) {
	db := openDB(t)
	svc := drafts.NewService(db, nil)
	es := queue(t, svc, "a", "no way to check", "later post")
	pub := newScripted()
	pub.publishErr["no way to check"] = lost()
	box := drafts.NewOutbox(db, pub, nil) // no Find
	for range 3 {
		if _, err := box.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		e, _ := db.Entry(es[0].ID)
		e.NotBefore = time.Time{} // past any back-off
		if err := db.PutEntry(e); err != nil {
			t.Fatal(err)
		}
	}
	e, _ := db.Entry(es[0].ID)
	if e.State != drafts.Failed || !e.Uncertain || e.Error != drafts.ErrUncheckable.Error() {
		t.Fatalf("entry: %+v", e)
	}
	if pub.published["no way to check"] != 1 || len(pub.sends) != 2 {
		t.Fatalf("sent blindly: %v, %v", pub.sends, pub.published)
	}
	delete(pub.publishErr, "no way to check")
	if err := box.Retry(e.ID); err != nil { // the user looked, and it is not there
		t.Fatal(err)
	}
	if res, _ := box.Flush(context.Background()); res.Sent != 1 {
		t.Fatalf("after Retry: %+v", res)
	}
	if e, _ := db.Entry(es[0].ID); e.State != drafts.Sent || e.Uncertain {
		t.Errorf("retried entry: %+v", e)
	}
}

func TestScheduledEntryNeverHoldsAnImmediateOne(t *testing.T) {
	db := openDB(t)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	svc := drafts.NewService(db, func() time.Time { return now })
	d, _ := svc.New([]string{"a"})
	d.SetText("fr", "plus tard")
	d.ScheduledAt, d.Zone = now.Add(3*time.Hour), "Europe/Vienna"
	if _, err := svc.Submit(d, lengthChecker{max: 500}); err != nil {
		t.Fatal(err)
	}
	queue(t, svc, "a", "now")
	pub := newScripted()
	box := drafts.NewOutbox(db, checking{pub}, func() time.Time { return now })
	if res, _ := box.Flush(context.Background()); res.Sent != 1 || res.Waiting != 1 {
		t.Fatalf("flush: %+v", res)
	}
	if got := strings.Join(pub.sends, ","); got != "now" {
		t.Errorf("sent %q before the scheduled time", got)
	}
	now = now.Add(3 * time.Hour)
	if res, _ := box.Flush(context.Background()); res.Sent != 1 {
		t.Errorf("at its time: %+v", res)
	}
}
