package feeds

import (
	"fmt"
	"math"
	"time"

	"chancery/translations"
)

// ReachTexts say in words what each Reach chart shows: the accessible
// summary beside each chart, and the text of `chancery stats`.
type ReachTexts struct {
	Followers  string
	Engagement []string
	Cadence    []string
	Hours      string
	Bilingual  string
}

// Lines returns every text, in the order of the charts.
func (t ReachTexts) Lines() []string {
	out := []string{t.Followers}
	out = append(out, t.Engagement...)
	out = append(out, t.Cadence...)
	return append(out, t.Hours, t.Bilingual)
}

// ReachText words r in loc's language; dates and hours are the mission's.
func ReachText(loc *translations.Localizer, r Reach) ReachTexts {
	zone := time.UTC
	if z, err := time.LoadLocation(r.Zone); err == nil {
		zone = z
	}
	s := r.Summary()
	var t ReachTexts
	t.Followers = loc.T("reach.followers_none")
	if s.Accounts > 0 {
		t.Followers = loc.N("reach.followers", s.Accounts, "Followers", loc.Integer(s.Followers), "Gained", signed(loc, s.Gained))
	}
	t.Engagement = []string{loc.T("reach.engagement_none")}
	t.Hours = loc.T("reach.engagement_none")
	if s.Posts > 0 {
		t.Engagement = []string{loc.N("reach.engagement", s.Posts, "Average", loc.Number(s.AveragePerPost(), 1))}
		top := r.Posts[0]
		for _, p := range r.Posts {
			if p.Engagement() > top.Engagement() {
				top = p
			}
		}
		t.Engagement = append(t.Engagement, loc.N("reach.top_post", top.Engagement(), "Date", top.CreatedAt.In(zone).Format("2006-01-02 15:04")))
		best := r.Hours[s.BestHour]
		t.Hours = loc.T("reach.best_hour", "Hour", fmt.Sprintf("%02d:00", best.Hour), "Average", loc.Number(best.Average(), 1))
	}
	t.Cadence = []string{loc.N("reach.cadence", r.LastSeven, "Min", r.Target.Min, "Max", r.Target.Max)}
	if r.Below {
		t.Cadence = append(t.Cadence, loc.T("reach.below"))
	} else {
		t.Cadence = append(t.Cadence, loc.T("reach.on_target"))
	}
	for _, w := range r.Weeks {
		t.Cadence = append(t.Cadence, loc.N("reach.week", w.Posts, "Date", w.Start.In(zone).Format(time.DateOnly)))
	}
	t.Bilingual = loc.T("reach.bilingual_none")
	if b := r.Bilingual; b.Posts > 0 {
		t.Bilingual = loc.N("reach.bilingual", b.Posts, "Both", loc.Integer(b.Both), "Percent", loc.Integer(int(math.Round(b.Share()*100))))
	}
	return t
}

// signed writes n with its sign: +12, −3, 0.
func signed(loc *translations.Localizer, n int) string {
	switch {
	case n > 0:
		return "+" + loc.Integer(n)
	case n < 0:
		return "−" + loc.Integer(-n)
	}
	return "0"
}
