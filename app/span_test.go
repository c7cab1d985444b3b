package app

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"chancery/feeds"
)

// spanStore holds timelines a, b and c: n posts each, a minute apart and
// interleaved, with a and b sharing every tenth instant.
func spanStore(t *testing.T, n int) (*memStore, []feeds.TimelineKey, []string) {
	t.Helper()
	s := newMemStore()
	var keys []feeds.TimelineKey
	var all []entry
	for j, acct := range []string{"a", "b", "c"} {
		k := feeds.TimelineKey{Account: acct, Kind: feeds.Home}
		keys = append(keys, k)
		var ps []feeds.Post
		for i := range n {
			at := testNow.Add(-time.Duration(3*i+j) * time.Minute)
			if acct == "b" && i%10 == 0 {
				at = at.Add(time.Minute) // the same instant as a's post
			}
			ps = append(ps, feeds.Post{ID: fmt.Sprintf("%s%04d", acct, i), Account: acct, CreatedAt: at})
		}
		if _, err := s.PutPosts(k, ps, testNow); err != nil {
			t.Fatal(err)
		}
		all = append(all, entries(k, ps)...)
	}
	sortEntries(all)
	want := make([]string, len(all))
	for i, e := range all {
		want[i] = e.ID
	}
	return s, keys, want
}

func spanIDs(s span) []string {
	out := make([]string, len(s.posts))
	for i, e := range s.posts {
		out[i] = e.ID
	}
	return out
}

// isRun reports whether got is a run of consecutive items of want.
func isRun(got, want []string) bool {
	if len(got) == 0 {
		return true
	}
	i := slices.Index(want, got[0])
	return i >= 0 && i+len(got) <= len(want) && slices.Equal(want[i:i+len(got)], got)
}

func TestSpanPagesDownAndUpThroughEveryPost(t *testing.T) {
	store, keys, want := spanStore(t, 700)
	s, err := firstPage(store, keys)
	if err != nil || !slices.Equal(spanIDs(s), want[:spanPage]) || !s.top || s.end {
		t.Fatalf("first page: %v, top=%v end=%v, %v", spanIDs(s)[:3], s.top, s.end, err)
	}
	var seen []string
	seen = append(seen, spanIDs(s)...)
	for !s.end {
		before := len(s.posts)
		next, dropped, err := olderPage(store, keys, s)
		if err != nil {
			t.Fatal(err)
		}
		if !isRun(spanIDs(next), want) || len(next.posts) > spanMax {
			t.Fatalf("older page: %d posts, not a run of the timeline", len(next.posts))
		}
		seen = append(seen, spanIDs(next)[before-dropped:]...)
		s = next
	}
	if !slices.Equal(seen, want) {
		t.Fatalf("paging down showed %d posts, the timeline has %d", len(seen), len(want))
	}
	for !s.top {
		next, added, err := newerPage(store, keys, s)
		if err != nil {
			t.Fatal(err)
		}
		if added == 0 || !isRun(spanIDs(next), want) || len(next.posts) > spanMax {
			t.Fatalf("newer page: %d added, %d posts", added, len(next.posts))
		}
		s = next
	}
	if s.posts[0].ID != want[0] {
		t.Errorf("back at the top: %s", s.posts[0].ID)
	}
}

func TestMergedTakesInWhatARefreshChanged(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *memStore, k feeds.TimelineKey) int // returns posts added
		down   int                                        // pages scrolled down first
		fresh  int                                        // -1: not checked
		check  func(s span) string
	}{
		{"new posts on top", func(s *memStore, k feeds.TimelineKey) int {
			s.PutPosts(k, []feeds.Post{{ID: "new1", CreatedAt: testNow.Add(time.Minute)}, {ID: "new2", CreatedAt: testNow.Add(2 * time.Minute)}}, testNow)
			return 2
		}, 0, 2, func(s span) string {
			if s.posts[0].ID != "new2" || s.posts[1].ID != "new1" {
				return "new posts not on top"
			}
			return ""
		}},
		{"edited post", func(s *memStore, k feeds.TimelineKey) int {
			p := s.posts[k][5]
			p.Text = "edited"
			s.PutPosts(k, []feeds.Post{p}, testNow)
			return 0
		}, 0, 0, func(s span) string {
			if !slices.ContainsFunc(s.posts, func(e entry) bool { return e.text == "edited" }) {
				return "edit not shown"
			}
			return ""
		}},
		{"deleted post", func(s *memStore, k feeds.TimelineKey) int {
			s.posts[k] = slices.Delete(s.posts[k], 3, 4)
			return 0
		}, 0, 0, func(s span) string {
			if len(s.posts) != spanPage-1 {
				return fmt.Sprintf("%d posts after a deletion", len(s.posts))
			}
			return ""
		}},
		{"more than the span holds", func(s *memStore, k feeds.TimelineKey) int {
			var ps []feeds.Post
			for i := range 2 * spanMax {
				ps = append(ps, feeds.Post{ID: fmt.Sprint("burst", i), CreatedAt: testNow.Add(time.Duration(i+1) * time.Second)})
			}
			s.PutPosts(k, ps, testNow)
			return len(ps)
		}, 0, 2 * spanMax, func(s span) string {
			if len(s.posts) > spanMax || !strings.HasPrefix(s.posts[0].ID, "burst") {
				return fmt.Sprintf("%d posts, first %s", len(s.posts), s.posts[0].ID)
			}
			return ""
		}},
		{"more than the refresh said", func(s *memStore, k feeds.TimelineKey) int {
			var ps []feeds.Post
			for i := range spanMax {
				ps = append(ps, feeds.Post{ID: fmt.Sprint("burst", i), CreatedAt: testNow.Add(time.Duration(i+1) * time.Second)})
			}
			s.PutPosts(k, ps, testNow)
			return 10
		}, 0, -1, func(s span) string {
			if s.end || s.posts[0].ID != fmt.Sprint("burst", spanMax-1) {
				return fmt.Sprintf("%d posts, first %s, end %v", len(s.posts), s.posts[0].ID, s.end)
			}
			return ""
		}},
		{"new posts above a span further down", func(s *memStore, k feeds.TimelineKey) int {
			s.PutPosts(k, []feeds.Post{{ID: "new1", CreatedAt: testNow.Add(time.Minute)}}, testNow)
			return 1
		}, 5, 0, func(s span) string {
			if s.top || s.posts[0].ID == "new1" {
				return "a span further down took in posts above it"
			}
			return ""
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			store, keys, _ := spanStore(t, 700)
			s, _ := firstPage(store, keys)
			for range tc.down {
				s, _, _ = olderPage(store, keys, s)
			}
			added := tc.change(store, keys[1])
			all := []feeds.TimelineKey{keys[0], keys[1], keys[2]}
			next, fresh, _, err := merged(store, keys[1], s, added, 0)
			if err != nil {
				t.Fatal(err)
			}
			if fresh != tc.fresh && tc.fresh >= 0 {
				t.Errorf("%d fresh, want %d", fresh, tc.fresh)
			}
			if msg := tc.check(next); msg != "" {
				t.Error(msg)
			}
			// Whatever changed, the span is a run of the merged timeline.
			var want []entry
			for _, k := range all {
				ps, _ := store.Posts(k, 1<<20)
				want = append(want, entries(k, ps)...)
			}
			sortEntries(want)
			ids := make([]string, len(want))
			for i, e := range want {
				ids[i] = e.ID
			}
			if !isRun(spanIDs(next), ids) {
				t.Errorf("the span is no longer a run of the timeline: %v…", spanIDs(next)[:5])
			}
		})
	}
}
