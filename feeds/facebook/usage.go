package facebook

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"chancery/feeds"
)

// usage is one rate-limit figure of Graph's usage headers: percentages of
// the budget used, and, for business use cases, the minutes until calls
// are accepted again.
type usage struct {
	CallCount    float64 `json:"call_count"`
	TotalTime    float64 `json:"total_time"`
	TotalCPUTime float64 `json:"total_cputime"`
	RegainMins   float64 `json:"estimated_time_to_regain_access"`
}

// exhausted reports whether a budget is spent.
func (u usage) exhausted() bool {
	return u.CallCount >= 100 || u.TotalTime >= 100 || u.TotalCPUTime >= 100 || u.RegainMins > 0
}

// usageWait reads X-App-Usage, X-Page-Usage and X-Business-Use-Case-Usage
// and returns how long to make no call: the longest
// estimated_time_to_regain_access, else rateLimitPause when a budget is
// spent, else 0.
func usageWait(h http.Header) time.Duration {
	if h == nil {
		return 0
	}
	var all []usage
	for _, name := range []string{"X-App-Usage", "X-Page-Usage"} {
		var u usage
		if v := h.Get(name); v != "" && json.Unmarshal([]byte(v), &u) == nil {
			all = append(all, u)
		}
	}
	var buc map[string][]usage
	if v := h.Get("X-Business-Use-Case-Usage"); v != "" && json.Unmarshal([]byte(v), &buc) == nil {
		for _, list := range buc {
			all = append(all, list...)
		}
	}
	var wait time.Duration
	spent := false
	for _, u := range all {
		if u.RegainMins > 0 && u.RegainMins < 24*60 {
			wait = max(wait, time.Duration(u.RegainMins*float64(time.Minute)))
		}
		spent = spent || u.exhausted()
	}
	if wait == 0 && spent {
		wait = rateLimitPause
	}
	return wait
}

// gate refuses to send while the Page's budget is known to be spent,
// instead of spending a call on a sure refusal.
func (n *Network) gate(key string) error {
	return n.holds.Gate("facebook", key, n.now())
}

// observe notes a spent budget: from the usage headers (wait), or from a
// rate-limit error.
func (n *Network) observe(key string, now time.Time, wait time.Duration, err error) {
	var ra *feeds.RetryAfterError
	if errors.Is(err, feeds.ErrRateLimited) && errors.As(err, &ra) {
		wait = max(wait, ra.After)
		if wait <= 0 {
			wait = rateLimitPause
		}
	}
	if wait <= 0 {
		return
	}
	n.holds.Hold(key, now.Add(wait))
}
