package feeds

import (
	"fmt"
	"slices"
	"time"

	"chancery/accounts"
	"chancery/translations"
)

// CadenceTarget is how many posts a week a mission aims at.
type CadenceTarget struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

// DefaultTarget is three to four posts a week.
var DefaultTarget = CadenceTarget{Min: 3, Max: 4}

// ErrBadTarget reports a cadence target that is not 0 ≤ min ≤ max ≤ 100.
var ErrBadTarget = translations.NewProblem("reach.error_bad_target", "not a posts-per-week target")

// Check reports a target that makes no sense.
func (t CadenceTarget) Check() error {
	if t.Min < 0 || t.Max < t.Min || t.Max > 100 || t.Max == 0 {
		return fmt.Errorf("%d to %d a week: %w", t.Min, t.Max, ErrBadTarget)
	}
	return nil
}

// SentVariant is one language variant of an outbox post, sent.
type SentVariant struct {
	Draft   string
	Account string
	Lang    string
	At      time.Time
}

// StatsSource is what a Reach report reads. Implemented by storage.
type StatsSource interface {
	// Audience returns an account's figures kept since a time, oldest first.
	Audience(accountID string, since time.Time) ([]Audience, error)
	// PostSamples returns every sample of the own posts published since a
	// time: oldest post first, each post's samples oldest first.
	PostSamples(accountID string, since time.Time) ([]PostSample, error)
	SentVariants(accountIDs []string, since time.Time) ([]SentVariant, error)
	CadenceTarget(missionID string) (CadenceTarget, error)
}

// AudiencePoint is one account's audience at one time.
type AudiencePoint struct {
	Account string
	Audience
}

// PostPoint is one own post and its latest counts.
type PostPoint struct {
	Account   string
	PostID    string
	CreatedAt time.Time
	Lang      string
	Counts    Counts
	// History is every sample of the post's counts, oldest first (the
	// last one is Counts).
	History []CountsAt
}

// CountsAt are a post's counts as seen at one time.
type CountsAt struct {
	At     time.Time
	Counts Counts
}

// Engagement is the post's replies, reposts and likes together.
func (p PostPoint) Engagement() int { return p.Counts.Replies + p.Counts.Reposts + p.Counts.Likes }

// WeekPoint is the number of publications in one week (from Monday 00:00
// in the mission's time zone).
type WeekPoint struct {
	Start time.Time
	Posts int
}

// HourPoint is what posts published at one hour of the day (mission time)
// got, on average.
type HourPoint struct {
	Hour       int
	Posts      int
	Engagement int
}

// Average is the mean engagement of the hour's posts (0 without posts).
func (h HourPoint) Average() float64 {
	if h.Posts == 0 {
		return 0
	}
	return float64(h.Engagement) / float64(h.Posts)
}

// Bilingual counts the outbox posts sent in the period, and those sent in
// both English and French.
type Bilingual struct {
	Posts int
	Both  int
}

// Share is Both / Posts, 0 without posts.
func (b Bilingual) Share() float64 {
	if b.Posts == 0 {
		return 0
	}
	return float64(b.Both) / float64(b.Posts)
}

// Reach is every series of a mission's Reach view and of `chancery stats`.
type Reach struct {
	Mission   string
	Zone      string
	Since     time.Time
	Until     time.Time
	Target    CadenceTarget
	Audience  []AudiencePoint // oldest first, by account
	Posts     []PostPoint     // own original posts, oldest first
	Weeks     []WeekPoint     // oldest first
	Hours     [24]HourPoint
	Bilingual Bilingual
	// LastSeven is the number of publications in the seven days to Until;
	// Below is set when it is under Target.Min.
	LastSeven int
	Below     bool
}

// SameBurst is how close in time own posts are taken for one publication
// (the same post in several languages, or on several networks).
const SameBurst = 10 * time.Minute

// ComputeReach builds the Reach series of mission m over its accounts from
// since to until. Replies are not counted as posts.
func ComputeReach(src StatsSource, m accounts.Mission, accts []accounts.Account, since, until time.Time) (Reach, error) {
	r := Reach{Mission: m.ID, Zone: m.TimeZone, Since: since.UTC(), Until: until.UTC()}
	target, err := src.CadenceTarget(m.ID)
	if err != nil {
		return Reach{}, err
	}
	r.Target = target
	ids := make([]string, 0, len(accts))
	for _, a := range accts {
		ids = append(ids, a.ID)
		if err := r.addAccount(src, a.ID, since, until); err != nil {
			return Reach{}, err
		}
	}
	slices.SortStableFunc(r.Posts, func(a, b PostPoint) int { return a.CreatedAt.Compare(b.CreatedAt) })
	loc := m.Location()
	r.cadence(loc)
	r.hours(loc)
	sent, err := src.SentVariants(ids, since)
	if err != nil {
		return Reach{}, err
	}
	r.Bilingual = bilingual(sent, until)
	return r, nil
}

func (r *Reach) addAccount(src StatsSource, id string, since, until time.Time) error {
	figures, err := src.Audience(id, since)
	if err != nil {
		return err
	}
	for _, f := range figures {
		if !f.At.After(until) {
			f.At = f.At.UTC()
			r.Audience = append(r.Audience, AudiencePoint{Account: id, Audience: f})
		}
	}
	samples, err := src.PostSamples(id, since)
	if err != nil {
		return err
	}
	for _, s := range samples {
		if s.ReplyTo != "" || s.CreatedAt.After(until) || s.At.After(until) {
			continue
		}
		seen := CountsAt{At: s.At.UTC(), Counts: s.Counts}
		if n := len(r.Posts); n > 0 && r.Posts[n-1].Account == id && r.Posts[n-1].PostID == s.PostID {
			r.Posts[n-1].Counts, r.Posts[n-1].Lang = s.Counts, s.Lang
			r.Posts[n-1].History = append(r.Posts[n-1].History, seen)
			continue
		}
		r.Posts = append(r.Posts, PostPoint{
			Account: id, PostID: s.PostID, CreatedAt: s.CreatedAt.UTC(), Lang: s.Lang, Counts: s.Counts,
			History: []CountsAt{seen},
		})
	}
	return nil
}

// publications returns the time of each publication: posts closer than
// SameBurst to the one before count once.
func (r *Reach) publications() []time.Time {
	var out []time.Time
	for _, p := range r.Posts {
		if n := len(out); n > 0 && p.CreatedAt.Sub(out[n-1]) < SameBurst {
			continue
		}
		out = append(out, p.CreatedAt)
	}
	return out
}

// weekStart is the Monday 00:00 (in loc) of t's week.
func weekStart(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	back := (int(t.Weekday()) + 6) % 7
	d := t.AddDate(0, 0, -back)
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
}

func (r *Reach) cadence(loc *time.Location) {
	for w := weekStart(r.Since, loc); !w.After(r.Until); w = w.AddDate(0, 0, 7) {
		r.Weeks = append(r.Weeks, WeekPoint{Start: w})
	}
	weekFrom := r.Until.Add(-7 * 24 * time.Hour)
	for _, at := range r.publications() {
		if at.After(weekFrom) {
			r.LastSeven++
		}
		for i := len(r.Weeks) - 1; i >= 0; i-- {
			if !at.Before(r.Weeks[i].Start) {
				r.Weeks[i].Posts++
				break
			}
		}
	}
	r.Below = r.LastSeven < r.Target.Min
}

func (r *Reach) hours(loc *time.Location) {
	for h := range r.Hours {
		r.Hours[h].Hour = h
	}
	for _, p := range r.Posts {
		h := p.CreatedAt.In(loc).Hour()
		r.Hours[h].Posts++
		r.Hours[h].Engagement += p.Engagement()
	}
}

// bilingual groups sent variants by draft (one post, whatever accounts it
// went to): a post is bilingual when its English and French variants both
// went out.
func bilingual(sent []SentVariant, until time.Time) Bilingual {
	langs := map[string]map[string]bool{}
	for _, v := range sent {
		if v.At.After(until) {
			continue
		}
		k := v.Draft
		if langs[k] == nil {
			langs[k] = map[string]bool{}
		}
		langs[k][baseLang(v.Lang)] = true
	}
	var b Bilingual
	for _, l := range langs {
		b.Posts++
		if l["en"] && l["fr"] {
			b.Both++
		}
	}
	return b
}

func baseLang(tag string) string {
	for i, c := range tag {
		if c == '-' || c == '_' {
			return tag[:i]
		}
	}
	return tag
}
