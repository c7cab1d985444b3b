package storage

import (
	"path/filepath"
	"slices"
	"testing"
)

// The approval rights are unknown until the server said, an empty answer
// is an answer, and the last one survives a restart.
func TestTeamApproverMissions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chancery.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m, known, err := db.ApproverMissions(); err != nil || known || m != nil {
		t.Fatalf("new profile: %q, known %v, %v", m, known, err)
	}
	if err := db.SetApproverMissions(nil); err != nil {
		t.Fatal(err)
	}
	if m, known, err := db.ApproverMissions(); err != nil || !known || len(m) != 0 {
		t.Fatalf("after an empty answer: %q, known %v, %v", m, known, err)
	}
	if err := db.SetApproverMissions([]string{"bern", "vienna"}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	m, known, err := db.ApproverMissions()
	if err != nil || !known || !slices.Equal(m, []string{"bern", "vienna"}) {
		t.Fatalf("after a restart: %q, known %v, %v", m, known, err)
	}
}
