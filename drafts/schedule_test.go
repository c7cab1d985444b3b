package drafts_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/drafts"
	"chancery/feeds"
	"chancery/feeds/mastodon"
	"chancery/feeds/mastodon/mastodontest"
)

// schedEnv is an outbox publishing with the real Mastodon client to a
// mastodontest server, our clock and the server's moved together.
type schedEnv struct {
	t      *testing.T
	srv    *mastodontest.Server
	svc    *drafts.Service
	outbox *drafts.Outbox
	pub    drafts.NetworkPublisher

	mu  sync.Mutex
	now time.Time
}

func newSchedEnv(t *testing.T) *schedEnv {
	t.Helper()
	start := time.Date(2026, 12, 6, 19, 0, 0, 0, time.UTC)
	env := &schedEnv{t: t, srv: mastodontest.New(start), now: start}
	t.Cleanup(env.srv.Close)
	db := openDB(t)
	secrets := accounts.NewMemorySecrets()
	_ = secrets.SetSecret("vienna-social", mastodontest.Token)
	acct := accounts.Account{ID: "vienna-social", Mission: "vienna", Network: accounts.Mastodon, Server: env.srv.URL}
	net := mastodon.New(secrets, db, mastodon.WithHTTPClient(env.srv.Client()), mastodon.WithTimeout(time.Minute))
	pub := drafts.NetworkPublisher{Accounts: oneAccount{acct}, Networks: feeds.Registry{accounts.Mastodon: net}}
	env.pub = pub
	env.svc = drafts.NewService(db, env.clock)
	env.outbox = drafts.NewOutbox(db, pub, env.clock)
	return env
}

func (e *schedEnv) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *schedEnv) advance(d time.Duration) {
	e.mu.Lock()
	e.now = e.now.Add(d)
	e.mu.Unlock()
	e.srv.Advance(d)
}

// schedule queues text for at and returns its entry.
func (e *schedEnv) schedule(text string, at time.Time) drafts.Entry {
	e.t.Helper()
	d, err := e.svc.New([]string{"vienna-social"})
	if err != nil {
		e.t.Fatal(err)
	}
	d.SetText("en", text)
	d.ScheduledAt, d.Zone = at, "Europe/Vienna"
	entries, err := e.svc.Submit(d, e.pub)
	if err != nil || len(entries) != 1 {
		e.t.Fatalf("submit: %v, %v", entries, err)
	}
	return entries[0]
}

func (e *schedEnv) flush() drafts.FlushResult {
	e.t.Helper()
	res, err := e.outbox.Flush(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return res
}

func (e *schedEnv) entry(id string) drafts.Entry {
	e.t.Helper()
	list, err := e.outbox.List()
	if err != nil {
		e.t.Fatal(err)
	}
	for _, en := range list {
		if en.ID == id {
			return en
		}
	}
	e.t.Fatalf("no entry %s", id)
	return drafts.Entry{}
}

func TestScheduledEntryIsHandedToTheServerAndFollowed(t *testing.T) {
	e := newSchedEnv(t)
	at := e.clock().Add(6 * time.Minute)
	en := e.schedule("Consular hours on Monday: 9:00 to 12:00.", at)
	res := e.flush()
	if res.OnServer != 1 || res.Sent != 0 || res.Waiting != 0 {
		t.Fatalf("first flush: %+v", res)
	}
	got := e.entry(en.ID)
	if got.Where != drafts.WhereServer || got.ScheduledID == "" || got.State != drafts.Queued || got.HandingOff {
		t.Fatalf("after hand-off: %+v", got)
	}
	held := e.srv.ScheduledStatuses()
	if len(held) != 1 || held[0].ID != got.ScheduledID || !held[0].At.Equal(at) || len(e.srv.Statuses()) != 0 {
		t.Fatalf("server holds %+v and %d statuses", held, len(e.srv.Statuses()))
	}
	// Flushes before its time leave it alone and ask the server nothing.
	before := e.srv.Count("POST /api/v1/statuses")
	if res := e.flush(); res.OnServer != 1 || e.srv.Count("POST /api/v1/statuses") != before {
		t.Fatalf("second flush: %+v, %d posts", res, e.srv.Count("POST /api/v1/statuses"))
	}
	// The server publishes it at its time; a later flush finds it.
	e.advance(7 * time.Minute)
	if len(e.srv.Statuses()) != 1 {
		t.Fatalf("server published %d statuses", len(e.srv.Statuses()))
	}
	if res := e.flush(); res.Sent != 1 {
		t.Fatalf("flush after its time: %+v", res)
	}
	got = e.entry(en.ID)
	st := e.srv.Statuses()[0]
	if got.State != drafts.Sent || got.RemoteID != st.ID || got.URL != mastodontest.StatusURL(st.ID) {
		t.Fatalf("after its time: %+v, server status %+v", got, st)
	}
}

func TestScheduledTooSoonOrRefusedWaitsHere(t *testing.T) {
	e := newSchedEnv(t)
	soon := e.schedule("In three minutes.", e.clock().Add(3*time.Minute))
	e.srv.RefuseScheduling(true)
	refused := e.schedule("Tomorrow.", e.clock().Add(24*time.Hour))
	res := e.flush()
	if res.OnServer != 0 || res.Waiting != 2 {
		t.Fatalf("flush: %+v", res)
	}
	if got := e.entry(soon.ID); got.Where == drafts.WhereServer || got.HandOffs != 0 {
		t.Errorf("an entry three minutes ahead was handed to the server: %+v", got)
	}
	got := e.entry(refused.ID)
	if got.Where != drafts.WhereLocal || got.LocalReason == "" || got.HandingOff {
		t.Errorf("refused entry: %+v", got)
	}
	// It is not handed again, and goes out from here at its time.
	e.srv.RefuseScheduling(false)
	e.flush()
	if e.srv.Count("POST /api/v1/statuses") != 1 {
		t.Errorf("%d posts, want only the refused hand-off", e.srv.Count("POST /api/v1/statuses"))
	}
	e.advance(25 * time.Hour)
	if res := e.flush(); res.Sent != 2 || len(e.srv.Statuses()) != 2 {
		t.Errorf("at their time: %+v, %d statuses", res, len(e.srv.Statuses()))
	}
}

// A hand-off whose answer is lost is looked for among the server's
// scheduled statuses before it is handed again, even on a server that
// ignores Idempotency-Key.
func TestLostHandOffIsNotScheduledTwice(t *testing.T) {
	e := newSchedEnv(t)
	e.srv.IgnoreKeys(true)
	e.srv.DropAnswers("POST /api/v1/statuses", 1)
	en := e.schedule("Visa appointments open on Monday.", e.clock().Add(2*time.Hour))
	if res := e.flush(); res.Waiting != 1 {
		t.Fatalf("flush with the answer lost: %+v", res)
	}
	if got := e.entry(en.ID); !got.HandingOff || got.Where == drafts.WhereServer {
		t.Fatalf("after a lost answer: %+v", got)
	}
	if res := e.flush(); res.OnServer != 1 {
		t.Fatalf("next flush: %+v", res)
	}
	held := e.srv.ScheduledStatuses()
	got := e.entry(en.ID)
	if len(held) != 1 || got.ScheduledID != held[0].ID || got.HandingOff || e.srv.Count("POST /api/v1/statuses") != 1 {
		t.Fatalf("server holds %+v after %d posts; entry %+v", held, e.srv.Count("POST /api/v1/statuses"), got)
	}
}

func TestEditRescheduleSendNowCancelOnTheServer(t *testing.T) {
	e := newSchedEnv(t)
	ctx := context.Background()
	a := e.schedule("First text.", e.clock().Add(3*time.Hour))
	b := e.schedule("To cancel.", e.clock().Add(4*time.Hour))
	c := e.schedule("To send now.", e.clock().Add(5*time.Hour))
	if res := e.flush(); res.OnServer != 3 {
		t.Fatalf("flush: %+v", res)
	}
	// Edit: deleted on the server, handed again with the new text.
	if err := e.outbox.Edit(ctx, a.ID, "Second text."); err != nil {
		t.Fatal(err)
	}
	if got := e.entry(a.ID); got.Where == drafts.WhereServer || got.Text != "Second text." {
		t.Fatalf("after edit: %+v", got)
	}
	e.flush()
	// Reschedule: moved on the server.
	later := e.clock().Add(10 * time.Hour)
	if err := e.outbox.Reschedule(ctx, a.ID, later, "Europe/Vienna"); err != nil {
		t.Fatal(err)
	}
	got := e.entry(a.ID)
	if got.Where != drafts.WhereServer || !got.ScheduledAt.Equal(later) {
		t.Fatalf("after reschedule: %+v", got)
	}
	if err := e.outbox.Reschedule(ctx, a.ID, e.clock().Add(-time.Minute), ""); !errors.Is(err, drafts.ErrPastTime) {
		t.Errorf("reschedule into the past: %v", err)
	}
	// Cancel: deleted on the server and from the outbox.
	if err := e.outbox.Cancel(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	// Send now: taken back from the server, published by the next flush.
	if err := e.outbox.SendNow(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if res := e.flush(); res.Sent != 1 {
		t.Fatalf("flush after send now: %+v", res)
	}
	held := e.srv.ScheduledStatuses()
	if len(held) != 1 || held[0].Text != "Second text." || !held[0].At.Equal(later) || held[0].ID != e.entry(a.ID).ScheduledID {
		t.Errorf("server holds %+v", held)
	}
	if st := e.srv.Statuses(); len(st) != 1 || st[0].Text != "To send now." || e.entry(c.ID).State != drafts.Sent {
		t.Errorf("server published %+v", st)
	}
	if list, _ := e.outbox.List(); len(list) != 2 {
		t.Errorf("outbox holds %d entries after a cancel, want 2", len(list))
	}
	// A change after the server published it marks it sent instead.
	e.advance(11 * time.Hour)
	if err := e.outbox.Edit(ctx, a.ID, "Too late."); !errors.Is(err, drafts.ErrAlreadyPublished) {
		t.Errorf("edit after publication: %v", err)
	}
	if got := e.entry(a.ID); got.State != drafts.Sent || got.Text != "Second text." || got.URL == "" {
		t.Errorf("entry after a late edit: %+v", got)
	}
}
