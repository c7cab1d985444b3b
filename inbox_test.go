package main

import (
	"context"
	"testing"
	"time"

	"chancery/drafts"
	"chancery/feeds"
)

// A reply published from Chancery, through the outbox as wired here, takes
// the post it answers out of the needs-reply inbox, also after a restart.
func TestReplySentFromChanceryMarksItAnswered(t *testing.T) {
	dir := t.TempDir()
	db, svc, err := openProfile(dir)
	if err != nil {
		t.Fatal(err)
	}
	as, err := svc.workspace.MissionAccounts("vienna")
	if err != nil || len(as) == 0 {
		t.Fatalf("vienna accounts: %v %v", as, err)
	}
	a := as[0]
	mention := feeds.Post{
		ID: "m1", Account: a.ID, Network: a.Network, Author: "Anna", AuthorHandle: "@anna@example.org",
		Text: "@embassy how long does a visa take?", CreatedAt: time.Now().Add(-time.Hour), Notification: "mention",
	}
	if _, err := db.PutPosts(feeds.TimelineKey{Account: a.ID, Kind: feeds.Mentions}, []feeds.Post{mention}, time.Now()); err != nil {
		t.Fatal(err)
	}
	waiting := func() int {
		t.Helper()
		items, err := feeds.NeedsReply(db, db, svc.workspace)
		if err != nil {
			t.Fatal(err)
		}
		return len(items)
	}
	if n := waiting(); n != 1 {
		t.Fatalf("before the reply: %d waiting", n)
	}
	d, err := svc.drafts.New([]string{a.ID})
	if err != nil {
		t.Fatal(err)
	}
	d.ReplyTo, d.Variants = "m1", []drafts.Variant{{Lang: "en", Text: "About two weeks."}}
	if d, err = svc.drafts.Save(d); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.drafts.Submit(d, svc.publishing); err != nil {
		t.Fatal(err)
	}
	res, err := svc.outbox.Flush(context.Background())
	if err != nil || res.Sent != 1 {
		t.Fatalf("flush: %+v %v", res, err)
	}
	if n := waiting(); n != 0 {
		t.Fatalf("after the reply: %d waiting", n)
	}
	db.Close()
	db, svc, err = openProfile(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n := waiting(); n != 0 {
		t.Fatalf("after a restart: %d waiting", n)
	}
}
