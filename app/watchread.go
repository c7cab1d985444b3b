package app

import (
	"time"

	"chancery/feeds"
)

// watchTimelines reads the cache, and under watch keys (see watchKind) only
// the posts of the plain timeline that match the mission's watch.
type watchTimelines struct {
	Timelines
	w *watches
}

// watchBatch is how many posts are read at a time while filtering, and
// watchScanMax how many at most for one page.
const (
	watchBatch   = 200
	watchScanMax = 20000
)

func (t watchTimelines) Posts(key feeds.TimelineKey, limit int) ([]feeds.Post, error) {
	plain, m, ok := t.split(key)
	if !ok {
		return t.Timelines.Posts(key, limit)
	}
	first := true
	return t.older(plain, m, limit, func(before time.Time, id string) ([]feeds.Post, error) {
		if first {
			first = false
			return t.Timelines.Posts(plain, watchBatch)
		}
		return t.Timelines.PostsBefore(plain, before, id, watchBatch)
	})
}

func (t watchTimelines) PostsBefore(key feeds.TimelineKey, before time.Time, beforeID string, limit int) ([]feeds.Post, error) {
	plain, m, ok := t.split(key)
	if !ok {
		return t.Timelines.PostsBefore(key, before, beforeID, limit)
	}
	cursor, cursorID := before, beforeID
	first := true
	return t.older(plain, m, limit, func(b time.Time, id string) ([]feeds.Post, error) {
		if first {
			first = false
			b, id = cursor, cursorID
		}
		return t.Timelines.PostsBefore(plain, b, id, watchBatch)
	})
}

func (t watchTimelines) PostsAfter(key feeds.TimelineKey, after time.Time, afterID string, limit int) ([]feeds.Post, error) {
	plain, mission, ok := t.split(key)
	if !ok {
		return t.Timelines.PostsAfter(key, after, afterID, limit)
	}
	m := t.w.matcher(mission)
	var out []feeds.Post
	for scanned := 0; len(out) < limit && scanned < watchScanMax; {
		batch, err := t.Timelines.PostsAfter(plain, after, afterID, watchBatch)
		if err != nil {
			return nil, err
		}
		scanned += len(batch)
		out = appendMatching(out, batch, m, limit)
		if len(batch) < watchBatch {
			break
		}
		last := batch[len(batch)-1]
		after, afterID = last.CreatedAt, last.ID
	}
	return out, nil
}

func (t watchTimelines) LastRefreshed(key feeds.TimelineKey) (time.Time, error) {
	plain, _, _ := t.split(key)
	return t.Timelines.LastRefreshed(plain)
}

// split returns the plain key under a watch key and its mission.
func (t watchTimelines) split(key feeds.TimelineKey) (feeds.TimelineKey, string, bool) {
	kind, mission, ok := unwatch(key.Kind)
	return feeds.TimelineKey{Account: key.Account, Kind: kind}, mission, ok
}

// older reads newest first through read, from the newest post on and then
// before the last one read, keeping those that match.
func (t watchTimelines) older(plain feeds.TimelineKey, mission string, limit int, read func(time.Time, string) ([]feeds.Post, error)) ([]feeds.Post, error) {
	m := t.w.matcher(mission)
	var out []feeds.Post
	var before time.Time
	var beforeID string
	for scanned := 0; len(out) < limit && scanned < watchScanMax; {
		batch, err := read(before, beforeID)
		if err != nil {
			return nil, err
		}
		scanned += len(batch)
		out = appendMatching(out, batch, m, limit)
		if len(batch) < watchBatch {
			break
		}
		last := batch[len(batch)-1]
		before, beforeID = last.CreatedAt, last.ID
	}
	return out, nil
}

// appendMatching appends the posts of batch that match, up to limit.
func appendMatching(out, batch []feeds.Post, m interface{ Match(string) []string }, limit int) []feeds.Post {
	for _, p := range batch {
		if len(out) == limit {
			break
		}
		switch p.Notification {
		case "like", "repost", "follow":
			continue
		}
		if len(m.Match(p.ContentWarning+"\n"+p.Text)) > 0 {
			out = append(out, p)
		}
	}
	return out
}
