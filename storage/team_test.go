package storage

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"chancery/drafts"
	"chancery/team"
)

func TestTeamQueuePullAndCursor(t *testing.T) {
	db := openTest(t, Options{})
	if _, err := db.TeamConfig(); !errors.Is(err, team.ErrNotConnected) {
		t.Fatalf("config of a new profile: %v", err)
	}
	if c, err := db.Cursor(); err != nil || c != 0 {
		t.Fatalf("cursor %d, %v", c, err)
	}
	for _, id := range []string{"e1", "e2", "e3"} {
		if err := db.QueueEvent(team.Queued{Event: team.Event{ID: id, Post: "p", Kind: team.KindSubmit}, Queued: t0}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.RefuseEvent("e3", "team.refused.own_post", "CHA03: no"); err != nil {
		t.Fatal(err)
	}
	pulled := []team.Event{{ID: "other", Seq: 7}, {ID: "e1", Seq: 9, Actor: "alice"}}
	if err := db.SavePulled(pulled, 9); err != nil {
		t.Fatal(err)
	}
	q, err := db.QueuedEvents()
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, e := range q {
		ids = append(ids, e.ID+":"+e.Refused)
	}
	if !slices.Equal(ids, []string{"e2:", "e3:team.refused.own_post"}) {
		t.Fatalf("queue after pull: %v", ids)
	}
	log, err := db.PulledEvents()
	if err != nil || len(log) != 2 || log[0].Seq != 7 || log[1].Actor != "alice" {
		t.Fatalf("log %+v, %v", log, err)
	}
	if c, err := db.Cursor(); err != nil || c != 9 {
		t.Fatalf("cursor %d, %v", c, err)
	}
	for _, id := range []string{"e2", "e3"} { // e2 still waits: kept
		if err := db.DropRefused(id); err != nil {
			t.Fatal(err)
		}
	}
	if q, err := db.QueuedEvents(); err != nil || len(q) != 1 || q[0].ID != "e2" {
		t.Fatalf("queue after dropping: %+v, %v", q, err)
	}
}

// What a profile saves of the team server survives a restart, and a
// mission's review setting is its own.
func TestTeamConfigAndReviewSettingPersist(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chancery.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := team.Config{DSN: "postgres://alice@db.example.org/team?sslmode=verify-full", Login: "alice", Device: "d1"}
	if err := db.PutTeamConfig(cfg); err != nil {
		t.Fatal(err)
	}
	if err := db.SetRequiresReview("vienna", true); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	db = openAt(t, path)
	got, err := db.TeamConfig()
	if err != nil || got != cfg {
		t.Fatalf("config %+v, %v", got, err)
	}
	for mission, want := range map[string]bool{"vienna": true, "beijing": false} {
		if on, err := db.RequiresReview(mission); err != nil || on != want {
			t.Fatalf("%s requires review: %v, %v", mission, on, err)
		}
	}
}

func openAt(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// An entry enqueued again under its derived id keeps its state: a sent
// entry is never queued a second time.
func TestEnqueueDerivedSkipsKnownEntries(t *testing.T) {
	db := openTest(t, Options{})
	if err := db.PutDraft(drafts.Draft{ID: "post", Targets: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	entries := []drafts.Entry{
		{ID: "rv1", DraftID: "post", Account: "a", Lang: "en", Text: "Hello", State: drafts.Queued},
		{ID: "rv2", DraftID: "post", Account: "a", Lang: "fr", Text: "Bonjour", State: drafts.Queued},
	}
	if n, err := db.EnqueueDerived("post", entries); err != nil || n != 2 {
		t.Fatalf("first enqueue: %d, %v", n, err)
	}
	if _, err := db.Draft("post"); !errors.Is(err, drafts.ErrNoDraft) {
		t.Fatalf("draft after enqueue: %v", err)
	}
	sent := entries[0]
	sent.State, sent.RemoteID = drafts.Sent, "109"
	if err := db.PutEntry(sent); err != nil {
		t.Fatal(err)
	}
	if n, err := db.EnqueueDerived("post", entries); err != nil || n != 0 {
		t.Fatalf("second enqueue: %d, %v", n, err)
	}
	got, err := db.Entry("rv1")
	if err != nil || got.State != drafts.Sent || got.RemoteID != "109" {
		t.Fatalf("sent entry after a second enqueue: %+v, %v", got, err)
	}
	all, err := db.Entries()
	if err != nil || len(all) != 2 {
		t.Fatalf("%d entries, %v", len(all), err)
	}
}
