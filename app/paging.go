package app

import (
	"errors"
	"sync"
	"time"

	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/feeds"
)

// spanPrefetch is how close to an end of the span the reader may come
// before the next page is read.
const spanPrefetch = 40

// pending is the span work asked for while other work runs. A column runs
// one piece at a time, so each starts from the span the last one left.
type pending struct {
	reset     bool                      // read the newest page again
	older     bool                      // read the next older page
	newer     bool                      // read the next newer page
	refreshed map[feeds.TimelineKey]int // timelines refreshed -> posts added
}

// spanWork is what a piece of span work brings back to the UI goroutine.
type spanWork struct {
	gen       int // the column's generation it started in
	span      span
	err       error
	reset     bool      // the span starts again at the newest posts
	fresh     int       // new posts above the reader
	refreshed time.Time // for a reset: the newest refresh of the timelines
}

// reload reads the newest posts of the column's timelines again.
func (c *column) reload() {
	c.gen++ // work running on the old span is dropped
	c.want = pending{reset: true}
	c.schedule()
}

// merge asks for a refreshed timeline to be merged into the span.
func (c *column) merge(key feeds.TimelineKey, added int) {
	if c.want.refreshed == nil {
		c.want.refreshed = map[feeds.TimelineKey]int{}
	}
	c.want.refreshed[key] += added
	c.schedule()
}

// nearEdge asks for the next page when row id is near an end of the span.
func (c *column) nearEdge(id int) {
	switch {
	case id >= len(c.posts)-spanPrefetch && !c.end && !c.want.older:
		c.want.older = true
		c.schedule()
	case id < spanPrefetch && !c.top && !c.want.newer:
		c.want.newer = true
		c.schedule()
	}
}

// schedule starts the next piece of span work, unless one is running.
func (c *column) schedule() {
	if c.busy || c.ctx.Err() != nil {
		return
	}
	work := c.nextWork()
	if work == nil {
		return
	}
	c.busy = true
	s, reader, gen := c.span, c.readerIndex(), c.gen
	go func() {
		w := work(s, reader)
		w.gen = gen
		uiDo(func() { c.apply(w) })
	}()
}

// nextWork takes the most urgent piece of pending work: a reset, then
// refreshed timelines, then the page the reader is nearer to.
func (c *column) nextWork() func(span, int) spanWork {
	r, keys := c.ui.p.Timelines, c.keys()
	switch {
	case c.want.reset:
		c.want = pending{}
		return func(span, int) spanWork { return readNewest(r, keys) }
	case len(c.want.refreshed) > 0:
		for key, added := range c.want.refreshed {
			delete(c.want.refreshed, key)
			return func(s span, reader int) spanWork {
				next, fresh, _, err := merged(r, key, s, added, reader)
				if !s.top {
					fresh = added // they arrived above the span
				}
				return spanWork{span: next, err: err, fresh: fresh}
			}
		}
	case c.want.newer && (!c.want.older || c.readerIndex() < len(c.posts)/2):
		c.want.newer = false
		return func(s span, _ int) spanWork {
			next, _, err := newerPage(r, keys, s)
			return spanWork{span: next, err: err}
		}
	case c.want.older:
		c.want.older = false
		return func(s span, _ int) spanWork {
			next, _, err := olderPage(r, keys, s)
			return spanWork{span: next, err: err}
		}
	}
	return nil
}

// readNewest reads the first page and when the timelines were refreshed.
func readNewest(r Timelines, keys []feeds.TimelineKey) spanWork {
	s, err := firstPage(r, keys)
	w := spanWork{span: s, err: err, reset: true}
	for _, k := range keys {
		at, err := r.LastRefreshed(k)
		if err != nil {
			w.err = errors.Join(w.err, err)
		}
		if at.After(w.refreshed) {
			w.refreshed = at
		}
	}
	return w
}

// apply swaps in the span a piece of work made, keeping the post the
// reader looks at (and the keyboard's place) where they were.
func (c *column) apply(w spanWork) {
	c.busy = false
	if !c.loaded {
		c.loaded = true
		c.ui.columnLoaded()
	}
	if c.ctx.Err() != nil {
		return
	}
	if w.gen == c.gen {
		trace.timed("column-apply", func() { c.applySpan(w) })
		if !c.paintNoted && len(c.posts) == 0 {
			c.paintNoted = true // nothing cached to paint
			c.ui.start.columnPainted()
		}
	}
	c.schedule()
}

func (c *column) applySpan(w spanWork) {
	if w.err != nil {
		c.failures[""] = w.err
		c.showProblems()
		return
	}
	if _, ok := c.failures[""]; ok {
		delete(c.failures, "")
		c.showProblems()
	}
	// A refresh that changed nothing the span holds (its new posts are
	// above it) leaves the list alone: refreshing a Fyne list re-creates
	// its rows.
	changed := w.reset || !sameRows(c.posts, w.span.posts)
	if w.reset {
		if w.refreshed.After(c.refreshed) {
			c.refreshed = w.refreshed
		}
		c.span, c.newCount = w.span, 0
		c.list.focus = 0
		c.list.sizeScroller()
		c.list.ScrollToTop()
	} else {
		top, within := c.topPost()
		c.keepPlace(w.span, top, within)
		c.newCount += w.fresh
	}
	c.showNewCount()
	if empty := len(c.posts) == 0 && len(c.accts) > 0; empty != c.empty.Visible() {
		c.empty.Hidden = !empty
		c.empty.Refresh()
	}
	c.showStatus()
	if changed {
		c.list.refreshRows()
	}
	if len(c.posts) > 0 && !c.paintNoted {
		c.notePaint()
	}
}

// sameRows reports whether a and b show the same rows.
func sameRows(a, b []entry) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		p, q := &a[i], &b[i]
		if p.ID != q.ID || p.Account != q.Account || p.text != q.text || p.quote != q.quote || p.Author != q.Author ||
			!p.CreatedAt.Equal(q.CreatedAt) || p.Counts != q.Counts || p.ContentWarning != q.ContentWarning ||
			len(p.Media) != len(q.Media) || p.Lang != q.Lang {
			return false
		}
	}
	return true
}

// keepPlace swaps in s so that the post at index top of the old span stays
// at the top of the view, scrolled in by within.
func (c *column) keepPlace(s span, top int, within float32) {
	old := c.posts
	c.span = s
	c.list.sizeScroller()
	if top < 0 || top >= len(old) {
		return
	}
	at := place(c.posts, &old[top].Post)
	if focusAt := c.list.focus; focusAt < len(old) {
		c.list.shiftFocus(place(c.posts, &old[focusAt].Post) - focusAt)
	}
	c.list.ScrollToOffset(float32(at)*c.stride + within)
}

// topPost returns the index of the post at the top of the view and how far
// the view has scrolled into it, or -1 when there are no posts.
func (c *column) topPost() (int, float32) {
	if len(c.posts) == 0 {
		return -1, 0
	}
	offset := c.list.GetScrollOffset()
	i := min(int(offset/c.stride), len(c.posts)-1)
	return i, offset - float32(i)*c.stride
}

// readerIndex is the index of the post at the top of the view, or 0.
func (c *column) readerIndex() int { return max(0, func() int { i, _ := c.topPost(); return i }()) }

// keys are the timelines the column shows.
func (c *column) keys() []feeds.TimelineKey {
	var keys []feeds.TimelineKey
	for _, t := range c.targets() {
		keys = append(keys, feeds.TimelineKey{Account: t.Account.ID, Kind: t.Kind})
	}
	return keys
}

// notePaint tells the start (and, with CHANCERY_TRACE=1, the trace) when
// the first posts are painted.
func (c *column) notePaint() {
	c.paintNoted = true
	id, n := c.mission.ID, len(c.posts)
	c.probe.arm(func() {
		trace.event("first-cached-post-painted", "column", id, "posts", n)
		c.ui.start.columnPainted()
	})
}

// showNewCount shows how many posts arrived above the view.
func (c *column) showNewCount() {
	c.newButton.SetText(c.ui.loc.N("column.new_posts", c.newCount))
	if hide := c.newCount == 0; hide != c.newButton.Hidden {
		if hide {
			c.newButton.Hide()
		} else {
			c.newButton.Show()
		}
		c.root.Refresh() // the header's height changed: lay the column out again
	}
}

// newPostsButton goes up to the new posts.
func (c *column) newPostsButton() *widget.Button {
	b := widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() {
		c.newCount = 0
		c.showNewCount()
		c.list.focus = 0
		if !c.top {
			c.reload() // the newest posts are not in the span
			return
		}
		c.list.ScrollToTop()
	})
	b.Importance = widget.HighImportance
	b.Hide()
	return b
}

// olderButton fetches older posts from each network that can page back,
// into the cache, and shows them.
func (c *column) olderButton() *widget.Button {
	var b *widget.Button
	b = widget.NewButtonWithIcon(c.ui.loc.T("column.load_older"), theme.MoveDownIcon(), func() { c.loadOlder(b) })
	b.Importance = widget.LowImportance
	return b
}

func (c *column) loadOlder(b *widget.Button) {
	loc := c.ui.loc
	targets := c.targets()
	cursors := c.cursors
	b.Disable()
	b.SetText(loc.T("post.loading"))
	go func() {
		next := map[string]string{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		var errs []error
		for _, t := range targets {
			key := t.Account.ID + "/" + string(t.Kind)
			cursor, started := cursors[key]
			if started && cursor == "" {
				continue // that timeline has no older posts
			}
			wg.Go(func() {
				more, _, err := c.ui.p.Refresher.FetchOlder(c.ctx, t.Account, t.Kind, cursor)
				mu.Lock()
				defer mu.Unlock()
				if err != nil && !errors.Is(err, feeds.ErrUnsupported) {
					errs = append(errs, err)
					return
				}
				next[key] = more
			})
		}
		wg.Wait()
		uiDo(func() {
			for k, v := range next {
				c.cursors[k] = v
			}
			b.Enable()
			b.SetText(loc.T("column.load_older"))
			if len(errs) > 0 {
				c.failures[""] = errs[0]
				c.showProblems()
			}
			c.end = false // the cache may hold older posts now
			c.want.older = true
			c.schedule()
		})
	}()
}
