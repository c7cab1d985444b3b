package storage

import (
	"fmt"
	"math"
	"os"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"chancery/feeds"
)

// reachSim plays an own timeline refreshed every `every` for `days`: a
// post published every `cadence`, each refresh seeing the newest 40 posts
// with counts that grow quickly at first and slowly after (likes as the
// log of the post's age, settling after three days), the way engagement
// goes. Each day's refreshes are kept in one call.
type reachSim struct {
	start          time.Time
	days           int
	every, cadence time.Duration
}

func (s reachSim) counts(age time.Duration) feeds.Counts {
	age = min(age, 72*time.Hour)
	x := math.Log1p(age.Minutes() / 5)
	return feeds.Counts{Likes: int(40 * x), Reposts: int(6 * x), Replies: int(3 * x)}
}

func (s reachSim) run(tb testing.TB, db *DB, account string) (posts int) {
	tb.Helper()
	for day := range s.days {
		var batch []feeds.PostSample
		dayStart := s.start.Add(time.Duration(day) * 24 * time.Hour)
		for at := dayStart; at.Before(dayStart.Add(24 * time.Hour)); at = at.Add(s.every) {
			newest := int(at.Sub(s.start) / s.cadence)
			posts = newest + 1
			for p := newest; p >= 0 && p > newest-40; p-- {
				created := s.start.Add(time.Duration(p) * s.cadence)
				batch = append(batch, feeds.PostSample{
					Account: account, PostID: fmt.Sprintf("%d", 100000+p), CreatedAt: created,
					At: at, Counts: s.counts(at.Sub(created)),
				})
			}
		}
		if err := db.PutPostSamples(batch); err != nil {
			tb.Fatal(err)
		}
	}
	return posts
}

// samplesSize is how many samples the account's bucket holds, the most
// of one post, and the bytes of its keys and values.
func samplesSize(tb testing.TB, db *DB, account string) (keys, most, bytes int) {
	tb.Helper()
	per := map[string]int{}
	err := db.view(func(tx *bolt.Tx) error {
		b, err := statsBucket(tx, statsPosts, account, false)
		if err != nil || b == nil {
			return err
		}
		return b.ForEach(func(k, v []byte) error {
			keys++
			bytes += len(k) + len(v)
			per[string(k[:len(k)-timeKeyLen])]++
			return nil
		})
	})
	if err != nil {
		tb.Fatal(err)
	}
	for _, n := range per {
		most = max(most, n)
	}
	return keys, most, bytes
}

// A post refreshed every few minutes while its counts climb keeps at most
// samplesPerPost samples, always its first and its latest, spread over
// its whole history rather than its last few refreshes.
func TestPostSamplesThinOutKeepingFirstAndLatest(t *testing.T) {
	db := openTest(t, Options{})
	created := statsT0
	var batch []feeds.PostSample
	const refreshes = 600
	for i := range refreshes {
		batch = append(batch, feeds.PostSample{
			Account: "a1", PostID: "p1", CreatedAt: created,
			At: created.Add(time.Duration(i+1) * 5 * time.Minute), Counts: feeds.Counts{Likes: i + 1},
		})
	}
	if err := db.PutPostSamples(batch); err != nil {
		t.Fatal(err)
	}
	got, err := db.PostSamples("a1", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != samplesPerPost {
		t.Fatalf("%d samples kept, want %d", len(got), samplesPerPost)
	}
	if got[0].Counts.Likes != 1 || got[len(got)-1].Counts.Likes != refreshes {
		t.Errorf("first and latest kept: likes %d and %d, want 1 and %d", got[0].Counts.Likes, got[len(got)-1].Counts.Likes, refreshes)
	}
	span := got[len(got)-1].At.Sub(got[0].At)
	even := span / (samplesPerPost - 1)
	for i := 1; i < len(got); i++ {
		if gap := got[i].At.Sub(got[i-1].At); gap > 3*even {
			t.Errorf("samples %d and %d are %s apart; evenly spread they would be %s", i-1, i, gap, even)
		}
	}
}

// The samples of posts published more than two years before the newest
// sample go, like old audience figures.
func TestPostSamplesOlderThanTwoYearsAreDropped(t *testing.T) {
	db := openTest(t, Options{})
	old := feeds.PostSample{Account: "a1", PostID: "old", CreatedAt: statsT0, At: statsT0, Counts: feeds.Counts{Likes: 1}}
	later := statsT0.AddDate(3, 0, 0)
	recent := feeds.PostSample{Account: "a1", PostID: "new", CreatedAt: later, At: later, Counts: feeds.Counts{Likes: 2}}
	for _, s := range []feeds.PostSample{old, recent} {
		if err := db.PutPostSamples([]feeds.PostSample{s}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.PostSamples("a1", time.Time{})
	if err != nil || len(got) != 1 || got[0].PostID != "new" {
		t.Errorf("kept %+v, %v; want only the post of three years later", got, err)
	}
}

// A week of an own timeline refreshed every 5 minutes, a post every four
// hours: no post holds more than samplesPerPost samples, and the bucket
// holds far fewer than one sample per post and refresh.
func TestPostSamplesGrowthIsBounded(t *testing.T) {
	db := openTest(t, Options{})
	sim := reachSim{start: statsT0, days: 7, every: 5 * time.Minute, cadence: 4 * time.Hour}
	posts := sim.run(t, db, "a1")
	keys, most, size := samplesSize(t, db, "a1")
	t.Logf("%d posts, %d samples (%d bytes), at most %d for one post", posts, keys, size, most)
	if most > samplesPerPost {
		t.Errorf("a post holds %d samples, at most %d", most, samplesPerPost)
	}
	if keys > posts*samplesPerPost {
		t.Errorf("%d samples for %d posts, at most %d", keys, posts, posts*samplesPerPost)
	}
	if keys == 0 {
		t.Error("no sample kept")
	}
}

// BenchmarkReachGrowth plays 90 days of one account's own timeline
// refreshed every 5 minutes with a post every hour (2,160 posts, the
// size of a full timeline: far above the three or four a week a mission
// aims at, so an upper bound), and reports what its Reach history
// weighs: bytes and samples for the account, the database file, and MB
// for 15 accounts at that rate.
func BenchmarkReachGrowth(b *testing.B) {
	sim := reachSim{start: statsT0, days: 90, every: 5 * time.Minute, cadence: time.Hour}
	for b.Loop() {
		db := openTest(b, Options{})
		posts := sim.run(b, db, "a1")
		keys, most, size := samplesSize(b, db, "a1")
		b.ReportMetric(float64(posts), "posts")
		b.ReportMetric(float64(keys), "samples/account")
		b.ReportMetric(float64(most), "max-samples/post")
		b.ReportMetric(float64(size), "bytes/account")
		b.ReportMetric(float64(size)*15/1e6, "MB/15-accounts")
		if fi, err := os.Stat(db.Path()); err == nil {
			b.ReportMetric(float64(fi.Size())/1e6, "file-MB/account")
		}
	}
}

// A sample keeps only its counts, language and reply beside its key, and
// reads back whole; one written whole by an earlier build reads the same.
func TestPostSampleValueIsCompactAndOldOnesRead(t *testing.T) {
	db := openTest(t, Options{})
	created := statsT0.Add(-time.Hour)
	old := feeds.PostSample{Account: "a1", PostID: "p1", CreatedAt: created, Lang: "fr", At: statsT0, Counts: feeds.Counts{Likes: 3}}
	err := db.update(func(tx *bolt.Tx) error {
		b, err := statsBucket(tx, statsPosts, "a1", true)
		if err != nil {
			return err
		}
		tk := timeKey(old.At)
		return putJSON(b, append(samplePrefix(created, "p1"), tk[:]...), old)
	})
	if err != nil {
		t.Fatal(err)
	}
	next := old
	next.At, next.Counts.Likes, next.ReplyTo = statsT0.Add(time.Minute), 4, "p0"
	if err := db.PutPostSamples([]feeds.PostSample{next}); err != nil {
		t.Fatal(err)
	}
	got, err := db.PostSamples("a1", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got[0].At.Equal(old.At) || !got[1].At.Equal(next.At) {
		t.Fatalf("read %+v", got)
	}
	for i, want := range []feeds.PostSample{old, next} {
		g := got[i]
		if g.Account != want.Account || g.PostID != want.PostID || !g.CreatedAt.Equal(want.CreatedAt) ||
			g.Lang != want.Lang || g.ReplyTo != want.ReplyTo || g.Counts != want.Counts {
			t.Errorf("sample %d read as %+v, want %+v", i, g, want)
		}
	}
	_, _, size := samplesSize(t, db, "a1")
	_ = db.view(func(tx *bolt.Tx) error {
		b, _ := statsBucket(tx, statsPosts, "a1", false)
		k, v := b.Cursor().First()
		_, nv := b.Cursor().Last()
		if len(nv)*2 > len(b.Get(k)) || len(v) == 0 {
			t.Errorf("new sample value is %d bytes (%s), the whole sample %d", len(nv), nv, len(v))
		}
		return nil
	})
	t.Logf("%d bytes for two samples", size)
}

// Audience figures of an account whose followers change at every refresh
// are kept every 15 minutes for 90 days, then one a day: four months of
// them weigh about what 90 days do.
func TestAudienceThinsToOneADayAfterNinetyDays(t *testing.T) {
	db := openTest(t, Options{})
	const days = 120
	var figures []feeds.Audience
	for i := range days * 24 * 4 {
		figures = append(figures, feeds.Audience{At: statsT0.Add(time.Duration(i) * 15 * time.Minute), Followers: 1000 + i})
		if len(figures) == 96 || i == days*24*4-1 { // a day's refreshes at a time
			if err := db.PutAudience("a1", figures); err != nil {
				t.Fatal(err)
			}
			figures = figures[:0]
		}
	}
	got, err := db.Audience("a1", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	newest := got[len(got)-1].At
	perDay := map[int64]int{}
	dense := 0
	for _, f := range got {
		switch age := newest.Sub(f.At); {
		case age < audienceDense:
			dense++
		case age >= audienceDense+audienceThinning:
			perDay[f.At.Truncate(24*time.Hour).Unix()]++
		}
	}
	if want := int(audienceDense / (15 * time.Minute)); dense < want-1 || dense > want {
		t.Errorf("%d figures in the last 90 days, want every one (%d)", dense, want)
	}
	for day, n := range perDay {
		if n != 1 {
			t.Errorf("%d figures on %s, want 1", n, time.Unix(day, 0).UTC().Format(time.DateOnly))
		}
	}
	if len(perDay) < days-100 {
		t.Errorf("only %d thinned days kept", len(perDay))
	}
	t.Logf("%d figures for %d days", len(got), days)
}
