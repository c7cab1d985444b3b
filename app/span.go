package app

import (
	"slices"
	"time"

	"chancery/feeds"
)

// A column holds a span of its merged timeline, never all of it: the
// newest posts at first, then pages read by cursor as the reader scrolls,
// with posts far from the reader dropped. All of it runs off the UI
// goroutine; the UI goroutine only swaps in the result.
const (
	spanPage = 100 // posts read per page, across the column's timelines
	spanMax  = 400 // posts a column holds at most
)

// pageReader reads cached timelines by cursor.
type pageReader interface {
	Posts(key feeds.TimelineKey, limit int) ([]feeds.Post, error)
	PostsBefore(key feeds.TimelineKey, before time.Time, beforeID string, limit int) ([]feeds.Post, error)
	PostsAfter(key feeds.TimelineKey, after time.Time, afterID string, limit int) ([]feeds.Post, error)
}

// span is a run of consecutive posts of a column's merged timeline,
// newest first.
type span struct {
	posts []entry
	top   bool // holds the newest cached post of every timeline
	end   bool // holds the oldest cached post of every timeline
}

// newer reports whether a comes before b in a column: newer first, then
// by id and account, the order of the cache's keys.
func newer(a, b *feeds.Post) bool {
	if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
		return c > 0
	}
	if a.ID != b.ID {
		return a.ID > b.ID
	}
	return a.Account > b.Account
}

// place is where p belongs in posts: the index of the first post that is
// not newer than p (p itself, if it is there).
func place(posts []entry, p *feeds.Post) int {
	i, _ := slices.BinarySearchFunc(posts, p, func(e entry, p *feeds.Post) int {
		switch {
		case newer(&e.Post, p):
			return -1
		case newer(p, &e.Post):
			return 1
		}
		return 0
	})
	return i
}

// entries prepares the posts read from timeline key for rows.
func entries(key feeds.TimelineKey, posts []feeds.Post) []entry {
	out := make([]entry, len(posts))
	for i, p := range posts {
		p.Account = key.Account // the column tells timelines apart by it
		out[i] = newEntry(p)
	}
	return out
}

// sortEntries sorts newest first.
func sortEntries(es []entry) {
	slices.SortFunc(es, func(a, b entry) int {
		switch {
		case newer(&a.Post, &b.Post):
			return -1
		case newer(&b.Post, &a.Post):
			return 1
		}
		return 0
	})
}

// edgeOf returns the oldest (or, with newest set, the newest) post of
// account in posts, or the span's own edge when it has none of it.
func edgeOf(posts []entry, account string, newest bool) feeds.Post {
	if newest {
		for i := range posts {
			if posts[i].Post.Account == account {
				return posts[i].Post
			}
		}
		return posts[0].Post
	}
	for i := len(posts) - 1; i >= 0; i-- {
		if posts[i].Post.Account == account {
			return posts[i].Post
		}
	}
	return posts[len(posts)-1].Post
}

// firstPage reads the newest page of the merged timelines.
func firstPage(r pageReader, keys []feeds.TimelineKey) (span, error) {
	var all []entry
	full := false
	for _, k := range keys {
		ps, err := r.Posts(k, spanPage)
		if err != nil {
			return span{}, err
		}
		full = full || len(ps) == spanPage
		all = append(all, entries(k, ps)...)
	}
	sortEntries(all)
	page := all[:min(len(all), spanPage)]
	return span{posts: slices.Clip(page), top: true, end: !full && len(all) <= spanPage}, nil
}

// olderPage appends the next older page to s. Beyond spanMax, the newest
// posts are dropped; it returns how many.
func olderPage(r pageReader, keys []feeds.TimelineKey, s span) (span, int, error) {
	if len(s.posts) == 0 {
		next, err := firstPage(r, keys)
		return next, 0, err
	}
	var all []entry
	full := false
	for _, k := range keys {
		mark := edgeOf(s.posts, k.Account, false)
		ps, err := r.PostsBefore(k, mark.CreatedAt, mark.ID, spanPage)
		if err != nil {
			return s, 0, err
		}
		full = full || len(ps) == spanPage
		all = append(all, entries(k, ps)...)
	}
	sortEntries(all)
	page := all[:min(len(all), spanPage)]
	next := span{posts: append(slices.Clone(s.posts), page...), top: s.top, end: !full && len(all) <= spanPage}
	drop := max(len(next.posts)-spanMax, 0)
	if drop > 0 {
		next.posts, next.top = slices.Clone(next.posts[drop:]), false
	}
	return next, drop, nil
}

// newerPage puts the next newer page in front of s; it returns how many
// posts it added there. Beyond spanMax, the oldest posts are dropped.
func newerPage(r pageReader, keys []feeds.TimelineKey, s span) (span, int, error) {
	if len(s.posts) == 0 || s.top {
		return s, 0, nil
	}
	var all []entry
	full := false
	for _, k := range keys {
		mark := edgeOf(s.posts, k.Account, true)
		ps, err := r.PostsAfter(k, mark.CreatedAt, mark.ID, spanPage)
		if err != nil {
			return s, 0, err
		}
		full = full || len(ps) == spanPage
		all = append(all, entries(k, ps)...)
	}
	sortEntries(all)
	// The page is the posts nearest to the span: the oldest of those read.
	page := all[max(len(all)-spanPage, 0):]
	next := span{posts: append(slices.Clone(page), s.posts...), top: !full && len(all) <= spanPage, end: s.end}
	if len(next.posts) > spanMax {
		next.posts, next.end = slices.Clone(next.posts[:spanMax]), false
	}
	return next, len(page), nil
}

// merged is s after a refresh of key: the key's posts within the span's
// range are read again and merged with the others' posts, so that new
// posts appear, edited ones change and deleted ones go. It returns how
// many posts are new and newer than the span's newest post. added is how
// many posts the refresh brought. reader is the
// index of the post the reader looks at: beyond spanMax, posts are dropped
// at the end farther from it, and dropped tells how many went from the top.
func merged(r pageReader, key feeds.TimelineKey, s span, added, reader int) (next span, fresh, dropped int, err error) {
	// Enough to cover the key's posts in the span and those that arrived;
	// if there are more, the span is cut short below.
	limit := added + spanPage/4
	for _, e := range s.posts {
		if e.Account == key.Account {
			limit++
		}
	}
	var ps []feeds.Post
	if s.top || len(s.posts) == 0 {
		ps, err = r.Posts(key, limit)
	} else {
		first := s.posts[0].Post
		ps, err = r.PostsBefore(key, first.CreatedAt.Add(time.Nanosecond), "", limit)
		ps = slices.DeleteFunc(ps, func(p feeds.Post) bool { return newer(&p, &first) })
	}
	if err != nil {
		return s, 0, 0, err
	}
	for i := range ps {
		ps[i].Account = key.Account
	}
	next = span{top: s.top, end: s.end}
	var bottom *feeds.Post
	if len(s.posts) > 0 && !s.end {
		bottom = &s.posts[len(s.posts)-1].Post
	}
	if len(ps) == limit && (bottom == nil || !newer(bottom, &ps[len(ps)-1])) {
		// Too many to merge: the span now ends with the last one read.
		bottom, next.end = &ps[len(ps)-1], false
	}
	known := map[string]bool{}
	var keep []entry
	for _, e := range s.posts {
		if e.Post.Account == key.Account {
			known[e.Post.ID] = true
		} else if bottom == nil || !newer(bottom, &e.Post) {
			keep = append(keep, e)
		}
	}
	for _, p := range ps {
		if bottom != nil && newer(bottom, &p) {
			break
		}
		if !known[p.ID] && len(s.posts) > 0 && newer(&p, &s.posts[0].Post) {
			fresh++
		}
		keep = append(keep, newEntry(p))
	}
	sortEntries(keep)
	next.posts = keep
	next, dropped = trim(next, reader)
	return next, fresh, dropped, nil
}

// trim keeps at most spanMax posts, dropping those farther from the
// reader's index; it returns how many went from the top.
func trim(s span, reader int) (span, int) {
	excess := len(s.posts) - spanMax
	if excess <= 0 {
		return s, 0
	}
	if reader > len(s.posts)/2 {
		s.posts, s.top = s.posts[excess:], false
		return s, excess
	}
	s.posts, s.end = s.posts[:spanMax], false
	return s, 0
}
