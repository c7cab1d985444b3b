package app

import (
	"context"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/feeds"
)

// PostDeleter deletes an account's own posts: on the network, then from
// the cache (and so from search).
type PostDeleter interface {
	// CanDelete reports whether a's network can delete posts.
	CanDelete(a accounts.Account) bool
	// Delete deletes a's own post postID; a post already gone is no error.
	Delete(ctx context.Context, a accounts.Account, postID string) error
}

// canDelete reports whether the post shown is the account's own, on a
// network that can delete it.
func (v *postView) canDelete() bool {
	return v.acct.ID != "" && v.u.p.Deleter != nil && feeds.IsOwn(v.post, v.acct) && v.u.p.Deleter.CanDelete(v.acct)
}

// deleteButton asks before deleting the post.
func (v *postView) deleteButton() *escButton {
	var b *escButton
	b = newEscButton(v.u.window, v.u.loc.T("delete.ui.button"), nil, func() { v.confirmDelete(b) })
	b.Importance = widget.DangerImportance
	return b
}

// confirmDelete names the account the post will be deleted from, and
// deletes it once confirmed.
func (v *postView) confirmDelete(b *escButton) {
	loc := v.u.loc
	text := widget.NewLabel(loc.T("delete.ui.confirm", "Account", deleteAccountName(v.acct), "Network", loc.T("network."+string(v.acct.Network))))
	text.Wrapping = fyne.TextWrapWord
	d := newConfirmDialog(loc.T("delete.ui.title"), loc.T("delete.ui.confirm_button"), loc.T("action.cancel"), text,
		func(ok bool) {
			if ok {
				v.runDelete(b)
			}
		}, v.u.window)
	d.Resize(fyne.NewSize(420, 0))
	v.u.showDialog(d)
}

// runDelete deletes the post off the UI goroutine; on success the dialog
// closes and the columns drop the post, else the reason is shown.
func (v *postView) runDelete(b *escButton) {
	loc, acct, p := v.u.loc, v.acct, v.post
	b.Disable()
	v.message.SetText(loc.T("delete.ui.deleting"))
	go func() {
		err := v.u.p.Deleter.Delete(v.u.ctx, acct, p.ID)
		uiDo(func() {
			if err != nil {
				b.Enable()
				v.message.SetText(loc.T("delete.ui.failed", "Reason", loc.Error(err)))
				return
			}
			v.dlg.Hide()
			v.u.dropPost(p)
		})
	}()
}

// deleteAccountName names an account in the question: its handle, and
// its id when the handle is missing.
func deleteAccountName(a accounts.Account) string {
	if a.Handle == "" {
		return a.ID
	}
	return a.Handle
}

// dropPost removes a deleted post from the columns that show it.
func (u *ui) dropPost(p feeds.Post) {
	for _, c := range u.columns {
		c.dropPost(p)
	}
}

// dropPost removes p from the column's span, keeping the reader's place.
// The span holds a bounded number of posts, whatever the cache holds.
func (c *column) dropPost(p feeds.Post) {
	i := place(c.posts, &p)
	if i >= len(c.posts) || c.posts[i].ID != p.ID || c.posts[i].Account != p.Account {
		return
	}
	top, within := c.topPost()
	s := c.span
	s.posts = slices.Delete(slices.Clone(c.posts), i, i+1) // a running read may hold the old slice
	c.keepPlace(s, top, within)
	if len(c.posts) == 0 && len(c.accts) > 0 {
		c.empty.Show()
	}
	c.list.refreshRows()
}
