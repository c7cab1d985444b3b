package xtest

import (
	"net/http"
	"slices"
	"strings"
)

// Audience is the account's public_metrics beyond what the server holds.
type Audience struct {
	Followers, Following, Listed int
	Tweets                       int // posts published before those the server holds
}

// SetAudience sets the account's followers, following, listed count and
// earlier posts; its tweet_count adds the posts the server holds.
func (s *Server) SetAudience(a Audience) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.audience = a
}

// me answers GET /2/users/me with the user.fields asked for, as X does:
// public_metrics (followers_count, following_count, tweet_count,
// listed_count, like_count, media_count) only when asked.
func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := userJSON(UserID, s.users[UserID])
	if slices.Contains(strings.Split(r.URL.Query().Get("user.fields"), ","), "public_metrics") {
		tweets := s.audience.Tweets
		for _, p := range s.posts {
			if p.AuthorID == UserID {
				tweets++
			}
		}
		u["public_metrics"] = map[string]int{
			"followers_count": s.audience.Followers, "following_count": s.audience.Following,
			"tweet_count": tweets, "listed_count": s.audience.Listed, "like_count": 0, "media_count": 0,
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": u})
}
