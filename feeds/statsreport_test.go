package feeds_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// memSource is an in-memory feeds.StatsSource.
type memSource struct {
	audience map[string][]feeds.Audience
	samples  map[string][]feeds.PostSample
	sent     []feeds.SentVariant
	target   feeds.CadenceTarget
}

func (m memSource) Audience(id string, since time.Time) ([]feeds.Audience, error) {
	var out []feeds.Audience
	for _, a := range m.audience[id] {
		if !a.At.Before(since) {
			out = append(out, a)
		}
	}
	return out, nil
}

func (m memSource) PostSamples(id string, since time.Time) ([]feeds.PostSample, error) {
	var out []feeds.PostSample
	for _, s := range m.samples[id] {
		if !s.CreatedAt.Before(since) {
			out = append(out, s)
		}
	}
	return out, nil
}

func (m memSource) SentVariants(ids []string, since time.Time) ([]feeds.SentVariant, error) {
	var out []feeds.SentVariant
	for _, v := range m.sent {
		if slices.Contains(ids, v.Account) && !v.At.Before(since) {
			out = append(out, v)
		}
	}
	return out, nil
}

func (m memSource) CadenceTarget(string) (feeds.CadenceTarget, error) { return m.target, nil }

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func sample(acct, id, at, replyTo string, c feeds.Counts) feeds.PostSample {
	return feeds.PostSample{Account: acct, PostID: id, CreatedAt: utc(at), ReplyTo: replyTo, At: utc(at).Add(time.Hour), Counts: c}
}

func reachFixture() (memSource, accounts.Mission, []accounts.Account) {
	m := accounts.DefaultMissions()[0] // Vienna, UTC+1 in winter
	accts := []accounts.Account{{ID: "masto", Mission: m.ID}, {ID: "bsky", Mission: m.ID}}
	src := memSource{
		target: feeds.DefaultTarget,
		audience: map[string][]feeds.Audience{
			"masto": {{At: utc("2026-11-20T00:00:00Z"), Followers: 100}, {At: utc("2026-12-01T00:00:00Z"), Followers: 120}},
			"bsky":  {{At: utc("2026-12-01T00:00:00Z"), Followers: 40}},
		},
		samples: map[string][]feeds.PostSample{
			"masto": {
				sample("masto", "p3", "2026-11-20T10:00:00Z", "", feeds.Counts{Likes: 1}),
				sample("masto", "p2", "2026-11-28T17:00:00Z", "", feeds.Counts{Replies: 1, Reposts: 3, Likes: 2}),
				sample("masto", "r1", "2026-11-30T12:00:00Z", "x", feeds.Counts{Likes: 50}),
				{Account: "masto", PostID: "p1", CreatedAt: utc("2026-12-01T08:00:00Z"), At: utc("2026-12-01T08:30:00Z"), Counts: feeds.Counts{Likes: 3}},
				sample("masto", "p1", "2026-12-01T08:00:00Z", "", feeds.Counts{Likes: 10}),
			},
			"bsky": {sample("bsky", "p1fr", "2026-12-01T08:05:00Z", "", feeds.Counts{Likes: 4})},
		},
		sent: []feeds.SentVariant{
			{Draft: "d1", Account: "masto", Lang: "en", At: utc("2026-12-01T08:00:00Z")},
			{Draft: "d1", Account: "masto", Lang: "fr", At: utc("2026-12-01T08:00:00Z")},
			{Draft: "d2", Account: "masto", Lang: "en", At: utc("2026-11-28T17:00:00Z")},
			{Draft: "d3", Account: "masto", Lang: "fr-CA", At: utc("2026-11-28T17:00:00Z")},
			{Draft: "d3", Account: "bsky", Lang: "en", At: utc("2026-11-28T17:00:00Z")},
			{Draft: "d4", Account: "elsewhere", Lang: "en", At: utc("2026-11-28T17:00:00Z")},
		},
	}
	return src, m, accts
}

func TestComputeReach(t *testing.T) {
	src, m, accts := reachFixture()
	until := utc("2026-12-02T12:00:00Z")
	r, err := feeds.ComputeReach(src, m, accts, until.AddDate(0, 0, -21), until)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Audience) != 3 || r.Audience[2].Account != "bsky" {
		t.Errorf("audience %+v", r.Audience)
	}
	var ids []string
	for _, p := range r.Posts {
		ids = append(ids, p.PostID)
	}
	if !slices.Equal(ids, []string{"p3", "p2", "p1", "p1fr"}) {
		t.Errorf("posts %v, want originals oldest first", ids)
	}
	if p1 := r.Posts[2]; p1.Counts.Likes != 10 || len(p1.History) != 2 || p1.History[0].Counts.Likes != 3 || !p1.History[1].At.Equal(utc("2026-12-01T09:00:00Z")) {
		t.Errorf("p1's counts over time: %+v", p1)
	}
	var weeks []int
	for _, w := range r.Weeks {
		weeks = append(weeks, w.Posts)
		if w.Start.In(m.Location()).Weekday() != time.Monday || w.Start.In(m.Location()).Hour() != 0 {
			t.Errorf("week starts %s", w.Start.In(m.Location()))
		}
	}
	if !slices.Equal(weeks, []int{0, 1, 1, 1}) {
		t.Errorf("publications per week %v, want [0 1 1 1] (p1 in two languages counts once)", weeks)
	}
	if r.LastSeven != 2 || !r.Below {
		t.Errorf("last seven days %d, below %v; want 2, below 3", r.LastSeven, r.Below)
	}
	if h := r.Hours[9]; h.Posts != 2 || h.Engagement != 14 || h.Average() != 7 {
		t.Errorf("09:00 Vienna: %+v", h)
	}
	if r.Hours[18].Engagement != 6 || r.Hours[11].Posts != 1 || r.Hours[8].Posts != 0 {
		t.Errorf("hours are not in the mission's time zone: %+v", r.Hours)
	}
	if r.Bilingual != (feeds.Bilingual{Posts: 3, Both: 2}) || r.Bilingual.Share() < 0.66 {
		t.Errorf("bilingual %+v", r.Bilingual)
	}
	src.target = feeds.CadenceTarget{Min: 1, Max: 2}
	if r, _ = feeds.ComputeReach(src, m, accts, until.AddDate(0, 0, -21), until); r.Below {
		t.Error("below a target of 1 to 2 with 2 publications")
	}
}

func TestReachCSVHoldsEverySeries(t *testing.T) {
	src, m, accts := reachFixture()
	until := utc("2026-12-02T12:00:00Z")
	r, err := feeds.ComputeReach(src, m, accts, until.AddDate(0, 0, -21), until)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := feeds.WriteCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], feeds.CSVHeader) {
		t.Errorf("header %v", rows[0])
	}
	count := map[string]int{}
	for _, row := range rows[1:] {
		count[row[1]]++
	}
	want := map[string]int{
		"followers": 3, "likes": 4, "seen_likes": 5, "week_posts": 4, "hour_engagement": 24,
		"target_min": 1, "bilingual_both": 1, "last_seven_days": 1,
	}
	for series, n := range want {
		if count[series] != n {
			t.Errorf("%d rows of %s, want %d", count[series], series, n)
		}
	}
	wantRow := []string{"vienna", "likes", "masto", "2026-12-01T08:00:00Z", "p1", "10"}
	if !slices.ContainsFunc(rows, func(row []string) bool { return slices.Equal(row, wantRow) }) {
		t.Errorf("no row %v", wantRow)
	}
}

func TestCadenceTargetCheck(t *testing.T) {
	for _, c := range []struct {
		t  feeds.CadenceTarget
		ok bool
	}{
		{feeds.DefaultTarget, true},
		{feeds.CadenceTarget{Min: 0, Max: 1}, true},
		{feeds.CadenceTarget{Min: 4, Max: 3}, false},
		{feeds.CadenceTarget{Min: -1, Max: 3}, false},
		{feeds.CadenceTarget{Min: 0, Max: 0}, false},
		{feeds.CadenceTarget{Min: 1, Max: 101}, false},
	} {
		if err := c.t.Check(); (err == nil) != c.ok {
			t.Errorf("%+v: %v", c.t, err)
		}
	}
}

func TestReachSummary(t *testing.T) {
	src, m, accts := reachFixture()
	until := utc("2026-12-02T12:00:00Z")
	r, err := feeds.ComputeReach(src, m, accts, until.AddDate(0, 0, -21), until)
	if err != nil {
		t.Fatal(err)
	}
	s := r.Summary()
	want := feeds.ReachSummary{Followers: 160, Gained: 20, Accounts: 2, Posts: 4, Publications: 3, Engagement: 21, BestHour: 9}
	if s != want {
		t.Errorf("summary %+v, want %+v", s, want)
	}
	if s.AveragePerPost() != 5.25 {
		t.Errorf("average %v", s.AveragePerPost())
	}
	if empty := (feeds.Reach{}).Summary(); empty.BestHour != -1 || empty.AveragePerPost() != 0 {
		t.Errorf("empty summary %+v", empty)
	}
}
