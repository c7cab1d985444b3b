package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"

	"chancery/accounts"
	"chancery/feeds"
)

// The main window's keys. Fyne gives a key to the focused widget only, and
// to the canvas when nothing has the focus; a shortcut to the main menu
// first, then to the focused widget if it takes shortcuts, then to the
// canvas. So the window-wide shortcuts are menu items as well as canvas
// shortcuts, the post list handles its own keys, and the canvas takes
// F5 and Escape.

var (
	draftsShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyD, Modifier: fyne.KeyModifierShortcutDefault}
	outboxShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault}
)

// addKeys binds the window-wide keys.
func (u *ui) addKeys() {
	c := u.window.Canvas()
	c.AddShortcut(refreshShortcut, func(fyne.Shortcut) { u.refreshAll() })
	c.AddShortcut(settingsShortcut, func(fyne.Shortcut) { u.showSettings() })
	c.AddShortcut(newPostShortcut, func(fyne.Shortcut) { u.newPost() })
	c.AddShortcut(draftsShortcut, func(fyne.Shortcut) { u.showDrafts() })
	c.AddShortcut(outboxShortcut, func(fyne.Shortcut) { u.showOutbox() })
	c.AddShortcut(inboxShortcut, func(fyne.Shortcut) { u.showInbox() })
	c.AddShortcut(searchShortcut, func(fyne.Shortcut) { u.showSearch() })
	c.AddShortcut(reviewShortcut, func(fyne.Shortcut) { u.showReview("") })
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		switch k.Name {
		case fyne.KeyF5:
			u.refreshAll()
		case fyne.KeyEscape:
			u.closeTopDialog()
		}
	})
}

// showDialog shows d over the main window so that no key pressed in it
// reaches what is behind: the window's focus is taken away while d is
// open, and given back once the events of the key that closed it have
// gone by (Space on a dialog's button closes it on the key press; the
// space character of the same key comes after). Escape closes it.
func (u *ui) showDialog(d dialog.Dialog) {
	cv := u.window.Canvas()
	before := cv.Focused()
	cv.Unfocus()
	u.dialogs = append(u.dialogs, d)
	d.SetOnClosed(func() {
		for i, o := range u.dialogs {
			if o == d {
				u.dialogs = append(u.dialogs[:i:i], u.dialogs[i+1:]...)
				break
			}
		}
		go uiDo(func() { // queued behind the events being handled
			if before != nil && len(u.dialogs) == 0 && cv.Focused() == nil {
				cv.Focus(before)
			}
		})
	})
	d.Show()
}

// closeTopDialog closes the dialog on top of the main window, as its
// Cancel or Close button would; a pop-up shown some other way is hidden.
// The main window itself is never closed by Escape.
func (u *ui) closeTopDialog() {
	top := u.window.Canvas().Overlays().Top()
	if top == nil {
		return
	}
	if n := len(u.dialogs); n > 0 {
		u.dialogs[n-1].Dismiss()
		return
	}
	top.Hide()
	u.window.Canvas().Overlays().Remove(top)
}

// postKey acts on the post under the keyboard in a column: r replies, b
// reposts (or withdraws the repost), l likes (or unlikes), o opens it in
// the browser. Keys for what the post's network cannot do are ignored.
func (c *column) postKey(r rune) {
	i := c.list.focus
	if i < 0 || i >= len(c.posts) {
		return
	}
	p := c.posts[i].Post
	acct, _ := c.ui.accountOf(p.Account)
	var caps feeds.Capabilities
	if acct.ID != "" && c.ui.p.Actions != nil {
		caps = c.ui.p.Actions.Capabilities(acct)
	}
	switch r {
	case 'r':
		if caps.Reply {
			c.ui.replyTo(p, acct)
		}
	case 'b':
		if caps.Boost {
			c.ui.togglePost(p, acct, feeds.Repost)
		}
	case 'l':
		if caps.Like {
			c.ui.togglePost(p, acct, feeds.Like)
		}
	case 'o':
		if link, ok := safeLink(p.URL); ok {
			c.ui.openURL(link)
		}
	}
}

// actionFailure names the like or repost (or its undoing) that failed.
func actionFailure(action feeds.Action, undo bool) string {
	switch {
	case action == feeds.Repost && undo:
		return "dialog.failed_unrepost"
	case action == feeds.Repost:
		return "dialog.failed_repost"
	case undo:
		return "dialog.failed_unlike"
	}
	return "dialog.failed_like"
}

// accountOf finds an account shown in one of the columns.
func (u *ui) accountOf(id string) (accounts.Account, bool) {
	for _, c := range u.columns {
		for _, a := range c.accts {
			if a.ID == id {
				return a, true
			}
		}
	}
	return accounts.Account{}, false
}

// togglePost reposts or likes p (or withdraws it), shows the result at
// once and puts it back with a message if the server refuses.
func (u *ui) togglePost(p feeds.Post, a accounts.Account, action feeds.Action) {
	done, count := &p.Liked, &p.Counts.Likes
	if action == feeds.Repost {
		done, count = &p.Reposted, &p.Counts.Reposts
	}
	undo := *done
	before := p
	*done = !undo
	if undo {
		*count = max(*count-1, 0)
	} else {
		*count++
	}
	u.updatePost(p)
	go func() {
		err := u.p.Actions.Act(u.ctx, a, p.ID, action, undo)
		uiDo(func() {
			if err != nil {
				u.updatePost(before)
				u.showFailure(actionFailure(action, undo), err)
			}
		})
	}()
}
