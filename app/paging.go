package app

import (
	"errors"
	"sync"

	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/feeds"
)

// columnPageSize is how many more posts per timeline "load older" reads.
const columnPageSize = 100

// replacePosts shows a new list of posts without moving what the user is
// reading: the post at the top of the view stays there, and the posts that
// arrived above it are counted on the "new posts" button.
func (c *column) replacePosts(posts []feeds.Post) {
	old := c.posts
	anchor, within := c.topPost()
	c.posts = posts
	c.layoutHeights()
	if len(old) == 0 {
		return
	}
	seen := make(map[string]bool, len(old))
	for _, p := range old {
		seen[p.Account+"/"+p.ID] = true
	}
	fresh := 0
	for _, p := range posts {
		if !seen[p.Account+"/"+p.ID] && p.CreatedAt.After(old[0].CreatedAt) {
			fresh++
		}
	}
	c.newCount += fresh
	c.showNewCount()
	if anchor < 0 {
		return
	}
	key := old[anchor].Account + "/" + old[anchor].ID
	for j, p := range posts {
		if p.Account+"/"+p.ID == key {
			c.list.ScrollToOffset(c.itemTop(j) + within)
			return
		}
	}
}

// topPost returns the index of the post at the top of the view and how far
// the view has scrolled into it, or -1 when nothing is laid out yet.
func (c *column) topPost() (int, float32) {
	if len(c.heights) != len(c.posts) || len(c.posts) == 0 {
		return -1, 0
	}
	offset := c.list.GetScrollOffset()
	for i := range c.posts {
		if next := c.itemTop(i + 1); next > offset {
			return i, offset - c.itemTop(i)
		}
	}
	return len(c.posts) - 1, 0
}

// itemTop is where item i starts in the list: the items above it and the
// separators between them.
func (c *column) itemTop(i int) float32 {
	pad := c.list.Theme().Size(theme.SizeNamePadding)
	var y float32
	for j := 0; j < i && j < len(c.heights); j++ {
		y += c.heights[j] + pad
	}
	return y
}

// showNewCount shows how many posts arrived above the view.
func (c *column) showNewCount() {
	c.newButton.Hidden = c.newCount == 0
	c.newButton.SetText(c.ui.loc.N("column.new_posts", c.newCount))
}

// newPostsButton scrolls up to the new posts.
func (c *column) newPostsButton() *widget.Button {
	b := widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() {
		c.list.ScrollToTop()
		c.newCount = 0
		c.showNewCount()
	})
	b.Importance = widget.HighImportance
	b.Hide()
	return b
}

// olderButton loads older posts: from the cache first, then from each
// network that can page back.
func (c *column) olderButton() *widget.Button {
	var b *widget.Button
	b = widget.NewButtonWithIcon(c.ui.loc.T("column.load_older"), theme.MoveDownIcon(), func() { c.loadOlder(b) })
	b.Importance = widget.LowImportance
	return b
}

func (c *column) loadOlder(b *widget.Button) {
	loc := c.ui.loc
	c.limit += columnPageSize
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
			c.reload()
		})
	}()
}
