package app

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"chancery/feeds"
)

// oldestFirst returns a timeline's posts in the cache's key order.
func (s *memStore) oldestFirst(k feeds.TimelineKey) []feeds.Post {
	ps := slices.Clone(s.posts[k])
	slices.SortFunc(ps, func(a, b feeds.Post) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), strings.Compare(a.ID, b.ID))
	})
	return ps
}

// markCmp compares p with the mark (t, id); an empty id stands for the
// instant t itself, before every post at t.
func markCmp(p feeds.Post, t time.Time, id string) int {
	if c := p.CreatedAt.Compare(t); c != 0 || id == "" {
		if c == 0 {
			return 1
		}
		return c
	}
	return strings.Compare(p.ID, id)
}

func (s *memStore) PostsBefore(k feeds.TimelineKey, before time.Time, beforeID string, limit int) ([]feeds.Post, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []feeds.Post
	ps := s.oldestFirst(k)
	for i := len(ps) - 1; i >= 0 && (limit <= 0 || len(out) < limit); i-- {
		if markCmp(ps[i], before, beforeID) < 0 {
			out = append(out, ps[i])
		}
	}
	return out, nil
}

func (s *memStore) PostsAfter(k feeds.TimelineKey, after time.Time, afterID string, limit int) ([]feeds.Post, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []feeds.Post
	for _, p := range s.oldestFirst(k) {
		if limit > 0 && len(out) == limit {
			break
		}
		if c := markCmp(p, after, afterID); c > 0 || (c == 0 && afterID == "") {
			out = append(out, p)
		}
	}
	return out, nil
}
