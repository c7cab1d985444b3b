package storage

import (
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"chancery/drafts"
	"chancery/feeds"
)

var statsT0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func TestAudienceKeepsChangesAndSurvivesReopen(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(filepath.Join(dir, "chancery.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		after     time.Duration
		followers int
		kept      bool
	}{
		{0, 100, true},
		{5 * time.Minute, 100, false},  // unchanged, too soon
		{10 * time.Minute, 101, false}, // changed, but within 15 minutes of the last kept
		{20 * time.Minute, 102, true},  // changed
		{time.Hour, 102, false},        // unchanged, within 6 hours
		{7 * time.Hour, 102, true},     // unchanged, but 6 hours passed
	}
	for _, s := range steps {
		if err := db.PutAudience("a1", []feeds.Audience{{At: statsT0.Add(s.after), Followers: s.followers}}); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	db, err = Open(filepath.Join(dir, "chancery.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.Audience("a1", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var want []time.Time
	for _, s := range steps {
		if s.kept {
			want = append(want, statsT0.Add(s.after))
		}
	}
	if len(got) != len(want) {
		t.Fatalf("kept %d figures, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if !got[i].At.Equal(want[i]) {
			t.Errorf("figure %d at %s, want %s", i, got[i].At, want[i])
		}
	}
	since, err := db.Audience("a1", statsT0.Add(time.Minute))
	if err != nil || len(since) != len(want)-1 {
		t.Errorf("since one minute later: %d figures (%v), want %d", len(since), err, len(want)-1)
	}
	if other, err := db.Audience("nobody", time.Time{}); err != nil || len(other) != 0 {
		t.Errorf("unknown account: %v, %v", other, err)
	}
}

func TestAudienceHistoryIsNotWrittenTwice(t *testing.T) {
	db := openTest(t, Options{})
	week := []feeds.Audience{{At: statsT0, Followers: 10}, {At: statsT0.Add(24 * time.Hour), Followers: 12}}
	for range 3 {
		if err := db.PutAudience("d", week); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.Audience("d", time.Time{})
	if err != nil || len(got) != 2 || got[1].Followers != 12 {
		t.Fatalf("got %+v, %v", got, err)
	}
}

func TestPostSamplesOnlyWhenChangedAndCapped(t *testing.T) {
	db := openTest(t, Options{})
	created := statsT0.Add(-time.Hour)
	put := func(at time.Time, likes int, id string) {
		t.Helper()
		s := feeds.PostSample{Account: "a1", PostID: id, CreatedAt: created, At: at, Counts: feeds.Counts{Likes: likes}}
		if err := db.PutPostSamples([]feeds.PostSample{s}); err != nil {
			t.Fatal(err)
		}
	}
	put(statsT0, 1, "p1")
	put(statsT0.Add(time.Minute), 1, "p1") // unchanged: not kept
	put(statsT0, 5, "p10")                 // an id that starts like p1's
	for i := range samplesPerPost + 10 {
		put(statsT0.Add(time.Duration(i+2)*time.Minute), 2+i, "p1")
	}
	var n int
	_ = db.view(func(tx *bolt.Tx) error {
		b, _ := statsBucket(tx, statsPosts, "a1", false)
		n = b.Stats().KeyN
		return nil
	})
	if n != samplesPerPost+1 {
		t.Errorf("%d samples kept, want %d for p1 and 1 for p10", n, samplesPerPost)
	}
	got, err := db.PostSamples("a1", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != samplesPerPost+1 {
		t.Fatalf("%d samples, want %d", len(got), samplesPerPost+1)
	}
	latest := map[string]int{}
	for i, s := range got {
		if i > 0 && got[i-1].PostID == s.PostID && !got[i-1].At.Before(s.At) {
			t.Errorf("samples of %s out of order: %s then %s", s.PostID, got[i-1].At, s.At)
		}
		latest[s.PostID] = s.Counts.Likes
	}
	if latest["p1"] != samplesPerPost+11 || latest["p10"] != 5 {
		t.Errorf("latest likes %v", latest)
	}
	if later, err := db.PostSamples("a1", statsT0); err != nil || len(later) != 0 {
		t.Errorf("posts published since %s: %v, %v", statsT0, later, err)
	}
}

func TestCadenceTargetDefaultAndSet(t *testing.T) {
	db := openTest(t, Options{})
	got, err := db.CadenceTarget("vienna")
	if err != nil || got != feeds.DefaultTarget {
		t.Fatalf("default %+v, %v", got, err)
	}
	if err := db.SetCadenceTarget("vienna", feeds.CadenceTarget{Min: 5, Max: 7}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetCadenceTarget("vienna", feeds.CadenceTarget{Min: 5, Max: 2}); err == nil {
		t.Error("min above max accepted")
	}
	got, err = db.CadenceTarget("vienna")
	if err != nil || got != (feeds.CadenceTarget{Min: 5, Max: 7}) {
		t.Errorf("stored %+v, %v", got, err)
	}
	if other, _ := db.CadenceTarget("beijing"); other != feeds.DefaultTarget {
		t.Errorf("another mission's target %+v", other)
	}
}

func TestSentVariantsReadsSentEntriesOfTheAccounts(t *testing.T) {
	db := openTest(t, Options{})
	entries := []drafts.Entry{
		{ID: "e1", DraftID: "d1", Account: "a1", Lang: "en", State: drafts.Sent, UpdatedAt: statsT0},
		{ID: "e2", DraftID: "d1", Account: "a1", Lang: "fr", State: drafts.Sent, UpdatedAt: statsT0},
		{ID: "e3", DraftID: "d2", Account: "a1", Lang: "en", State: drafts.Failed, UpdatedAt: statsT0},
		{ID: "e4", DraftID: "d3", Account: "other", Lang: "en", State: drafts.Sent, UpdatedAt: statsT0},
		{ID: "e5", DraftID: "d4", Account: "a1", Lang: "en", State: drafts.Sent, UpdatedAt: statsT0.Add(-48 * time.Hour)},
	}
	for _, e := range entries {
		if err := db.PutEntry(e); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.SentVariants([]string{"a1"}, statsT0.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Draft != "d1" || got[1].Lang != "fr" {
		t.Errorf("got %+v", got)
	}
}

func TestAudienceOlderThanTwoYearsIsDropped(t *testing.T) {
	db := openTest(t, Options{})
	old := feeds.Audience{At: statsT0, Followers: 1}
	if err := db.PutAudience("a1", []feeds.Audience{old}); err != nil {
		t.Fatal(err)
	}
	later := feeds.Audience{At: statsT0.AddDate(3, 0, 0), Followers: 2}
	if err := db.PutAudience("a1", []feeds.Audience{later}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Audience("a1", time.Time{})
	if err != nil || len(got) != 1 || got[0].Followers != 2 {
		t.Errorf("kept %+v, %v; want only the figure of three years later", got, err)
	}
}
