package feeds

// ReachSummary is what the Reach view's text and `chancery stats` say of a
// report, beside its series.
type ReachSummary struct {
	// Followers is the sum of each account's latest followers; Gained is
	// that minus the sum of each account's first followers of the period.
	Followers, Gained int
	// Accounts is the number of accounts with audience figures.
	Accounts int
	// Posts are the own original posts of the period, Publications the
	// same once posts published together are counted once.
	Posts, Publications int
	Engagement          int
	// BestHour is the hour of the day (mission time) whose posts got the
	// most engagement on average; -1 without posts.
	BestHour int
}

// AveragePerPost is the mean engagement of a post, 0 without posts.
func (s ReachSummary) AveragePerPost() float64 {
	if s.Posts == 0 {
		return 0
	}
	return float64(s.Engagement) / float64(s.Posts)
}

// Summary sums up r.
func (r Reach) Summary() ReachSummary {
	s := ReachSummary{BestHour: -1, Posts: len(r.Posts), Publications: len(r.publications())}
	first, last := map[string]int{}, map[string]int{}
	for _, a := range r.Audience {
		if _, ok := first[a.Account]; !ok {
			first[a.Account] = a.Followers
		}
		last[a.Account] = a.Followers
	}
	for id, n := range last {
		s.Followers += n
		s.Gained += n - first[id]
	}
	s.Accounts = len(last)
	for _, p := range r.Posts {
		s.Engagement += p.Engagement()
	}
	for _, h := range r.Hours {
		if h.Posts > 0 && (s.BestHour < 0 || h.Average() > r.Hours[s.BestHour].Average()) {
			s.BestHour = h.Hour
		}
	}
	return s
}
