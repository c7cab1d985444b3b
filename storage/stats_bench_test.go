package storage

import (
	"fmt"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// seedReach fills db with a year of Reach figures for n accounts of one
// mission: an audience figure every six hours and 2,000 own posts, each
// seen three times with growing counts.
func seedReach(b *testing.B, db *DB, n int, end time.Time) []accounts.Account {
	b.Helper()
	var accts []accounts.Account
	for a := range n {
		id := fmt.Sprintf("acct-%d", a)
		accts = append(accts, accounts.Account{ID: id, Mission: "vienna"})
		var figures []feeds.Audience
		for i := range 365 * 4 {
			figures = append(figures, feeds.Audience{At: end.Add(-time.Duration(i) * 6 * time.Hour), Followers: 5000 - i})
		}
		if err := db.PutAudience(id, figures); err != nil {
			b.Fatal(err)
		}
		var samples []feeds.PostSample
		for p := range 2000 {
			created := end.Add(-time.Duration(p) * 4 * time.Hour)
			for s := range 3 {
				samples = append(samples, feeds.PostSample{
					Account: id, PostID: fmt.Sprintf("p%d", p), CreatedAt: created,
					At: created.Add(time.Duration(s+1) * time.Hour), Counts: feeds.Counts{Likes: s * 10, Reposts: s},
				})
			}
		}
		if err := db.PutPostSamples(samples); err != nil {
			b.Fatal(err)
		}
	}
	return accts
}

// BenchmarkComputeReach reads 26 weeks of Reach for a mission of three
// accounts that each have a year of figures: what the Reach view and
// `chancery stats` do off the UI goroutine.
func BenchmarkComputeReach(b *testing.B) {
	db := openTest(b, Options{})
	end := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	accts := seedReach(b, db, 3, end)
	m := accounts.DefaultMissions()[0]
	for b.Loop() {
		r, err := feeds.ComputeReach(db, m, accts, end.AddDate(0, 0, -7*26), end)
		if err != nil || len(r.Posts) == 0 {
			b.Fatal(err)
		}
	}
}

// BenchmarkPutPostSamples keeps the counts of 40 own posts seen at one
// refresh, half of them changed, in a profile with a year of figures.
func BenchmarkPutPostSamples(b *testing.B) {
	db := openTest(b, Options{})
	end := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	seedReach(b, db, 1, end)
	at := end
	for b.Loop() {
		at = at.Add(5 * time.Minute)
		var samples []feeds.PostSample
		for p := range 40 {
			likes := 100
			if p%2 == 0 {
				likes = int(at.Unix()) % 1000
			}
			samples = append(samples, feeds.PostSample{
				Account: "acct-0", PostID: fmt.Sprintf("p%d", p), CreatedAt: end.Add(-time.Duration(p) * 4 * time.Hour),
				At: at, Counts: feeds.Counts{Likes: likes},
			})
		}
		if err := db.PutPostSamples(samples); err != nil {
			b.Fatal(err)
		}
	}
}
