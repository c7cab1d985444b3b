package drafts_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/drafts"
	"chancery/feeds"
	"chancery/feeds/facebook"
	"chancery/feeds/facebook/fbtest"
)

// fbSchedEnv is an outbox publishing to a Page of the fbtest Graph server
// with the real Facebook client, all on the server's clock.
type fbSchedEnv struct {
	t      *testing.T
	srv    *fbtest.Server
	svc    *drafts.Service
	outbox *drafts.Outbox
	pub    drafts.NetworkPublisher
}

func newFBSchedEnv(t *testing.T) *fbSchedEnv {
	t.Helper()
	srv := fbtest.New(time.Date(2026, 12, 6, 19, 0, 0, 0, time.UTC))
	t.Cleanup(srv.Close)
	db := openDB(t)
	secrets := accounts.NewMemorySecrets()
	acct := accounts.Account{ID: "vienna-facebook", Mission: "vienna", Network: accounts.Facebook, Server: srv.Base(), Handle: fbtest.PageID}
	_ = secrets.SetSecret(acct.ID, fbtest.PageToken)
	net := facebook.New(secrets, facebook.WithClock(srv.Now), facebook.WithTimeout(time.Minute))
	pub := drafts.NetworkPublisher{Accounts: oneAccount{acct}, Networks: feeds.Registry{accounts.Facebook: net}}
	return &fbSchedEnv{
		t: t, srv: srv, pub: pub,
		svc: drafts.NewService(db, srv.Now), outbox: drafts.NewOutbox(db, pub, srv.Now),
	}
}

// handOff schedules text an hour ahead and flushes, so that the Page
// holds it; it returns the entry as it then stands.
func (e *fbSchedEnv) handOff(text string) drafts.Entry {
	e.t.Helper()
	d, err := e.svc.New([]string{"vienna-facebook"})
	if err != nil {
		e.t.Fatal(err)
	}
	d.SetText("fr", text)
	d.ScheduledAt, d.Zone = e.srv.Now().Add(time.Hour), "Europe/Vienna"
	entries, err := e.svc.Submit(d, e.pub)
	if err != nil || len(entries) != 1 {
		e.t.Fatalf("submit: %v, %v", entries, err)
	}
	if res, err := e.outbox.Flush(context.Background()); err != nil || res.OnServer != 1 {
		e.t.Fatalf("hand-off: %+v, %v", res, err)
	}
	got := e.entry(entries[0].ID)
	if got.Where != drafts.WhereServer || got.ScheduledID == "" {
		e.t.Fatalf("after hand-off: %+v", got)
	}
	return got
}

func (e *fbSchedEnv) entry(id string) drafts.Entry {
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

// A scheduled post whose text was changed on Facebook (an admin's edit)
// before Facebook published it cannot be found by its text: the Page says
// it published it, under the id it had while scheduled, so the entry is
// sent, not failed (which would invite sending it again).
func TestFacebookScheduledPostEditedThereIsSentWhenPublished(t *testing.T) {
	e := newFBSchedEnv(t)
	en := e.handOff("La fête nationale sera célébrée le 26 octobre.")
	if !e.srv.EditMessage(en.ScheduledID, "La fête nationale sera célébrée le 26 octobre à 18 h.") {
		t.Fatal("no post to edit")
	}
	e.srv.Advance(2 * time.Hour)
	res, err := e.outbox.Flush(context.Background())
	if err != nil || res.Sent != 1 || res.Failed != 0 {
		t.Fatalf("flush after its time: %+v, %v", res, err)
	}
	got := e.entry(en.ID)
	if got.State != drafts.Sent || got.RemoteID != en.ScheduledID || got.URL == "" {
		t.Fatalf("after its time: %+v", got)
	}
}

// Editing an entry in the outbox after Facebook published it (and changed
// nothing a search by text could miss but its words) is refused as
// already published, and no second post follows.
func TestFacebookEditAfterPublicationDoesNotPublishAgain(t *testing.T) {
	e := newFBSchedEnv(t)
	en := e.handOff("Fermeture exceptionnelle le 11 novembre.")
	e.srv.EditMessage(en.ScheduledID, "Fermeture exceptionnelle le mardi 11 novembre.")
	e.srv.Advance(2 * time.Hour)
	err := e.outbox.Edit(context.Background(), en.ID, "Fermeture exceptionnelle les 10 et 11 novembre.")
	if !errors.Is(err, drafts.ErrAlreadyPublished) {
		t.Fatalf("edit after publication: %v, want already published", err)
	}
	if _, err := e.outbox.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := e.entry(en.ID)
	if posts := e.srv.Posts(); len(posts) != 1 || got.State != drafts.Sent || got.RemoteID != en.ScheduledID {
		t.Fatalf("the Page holds %d posts; entry %+v", len(posts), got)
	}
}
