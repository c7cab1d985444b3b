package cli

import (
	"time"

	"chancery/feeds"
)

// reachJSONOut is one mission's Reach for stats --json: the same series as
// the Reach view's charts and stats --csv.
type reachJSONOut struct {
	Mission      string              `json:"mission"`
	TimeZone     string              `json:"time_zone"`
	Since        time.Time           `json:"since"`
	Until        time.Time           `json:"until"`
	Target       feeds.CadenceTarget `json:"target"`
	LastSeven    int                 `json:"last_seven_days"`
	BelowTarget  bool                `json:"below_target"`
	Audience     []audienceJSON      `json:"audience"`
	Posts        []reachPostJSON     `json:"posts"`
	Weeks        []weekJSON          `json:"weeks"`
	Hours        []hourJSON          `json:"hours"`
	Bilingual    bilingualJSON       `json:"bilingual"`
	Publications int                 `json:"publications"`
}

type audienceJSON struct {
	Account   string    `json:"account"`
	At        time.Time `json:"at"`
	Followers int       `json:"followers"`
	Following int       `json:"following"`
	Posts     int       `json:"posts"`
}

type reachPostJSON struct {
	Account   string       `json:"account"`
	ID        string       `json:"id"`
	CreatedAt time.Time    `json:"created_at"`
	Lang      string       `json:"lang"`
	Counts    feeds.Counts `json:"counts"`
	History   []seenJSON   `json:"history"`
}

// seenJSON is a post's counts as seen at one refresh.
type seenJSON struct {
	At     time.Time    `json:"at"`
	Counts feeds.Counts `json:"counts"`
}

type weekJSON struct {
	Start time.Time `json:"start"`
	Posts int       `json:"posts"`
}

type hourJSON struct {
	Hour       int     `json:"hour"`
	Posts      int     `json:"posts"`
	Engagement int     `json:"engagement"`
	Average    float64 `json:"average"`
}

type bilingualJSON struct {
	Posts int     `json:"posts"`
	Both  int     `json:"both"`
	Share float64 `json:"share"`
}

func reachJSON(reports []feeds.Reach) []reachJSONOut {
	out := make([]reachJSONOut, 0, len(reports))
	for _, r := range reports {
		j := reachJSONOut{
			Mission: r.Mission, TimeZone: r.Zone, Since: r.Since, Until: r.Until, Target: r.Target,
			LastSeven: r.LastSeven, BelowTarget: r.Below, Publications: r.Summary().Publications,
			Audience: []audienceJSON{}, Posts: []reachPostJSON{}, Weeks: []weekJSON{},
			Bilingual: bilingualJSON{Posts: r.Bilingual.Posts, Both: r.Bilingual.Both, Share: r.Bilingual.Share()},
		}
		for _, a := range r.Audience {
			j.Audience = append(j.Audience, audienceJSON{a.Account, a.At, a.Followers, a.Following, a.Posts})
		}
		for _, p := range r.Posts {
			post := reachPostJSON{p.Account, p.PostID, p.CreatedAt, p.Lang, p.Counts, []seenJSON{}}
			for _, h := range p.History {
				post.History = append(post.History, seenJSON{h.At, h.Counts})
			}
			j.Posts = append(j.Posts, post)
		}
		for _, w := range r.Weeks {
			j.Weeks = append(j.Weeks, weekJSON{w.Start, w.Posts})
		}
		for _, h := range r.Hours {
			j.Hours = append(j.Hours, hourJSON{h.Hour, h.Posts, h.Engagement, h.Average()})
		}
		out = append(out, j)
	}
	return out
}
