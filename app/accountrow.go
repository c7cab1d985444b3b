package app

import (
	"bytes"
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
)

// avatarSize is the side of an account's picture in a column header.
const avatarSize = 20

// accountRow shows an account in its column: picture, network, handle and
// state, "Sign in again" when it needs it, and its menu.
func (c *column) accountRow(a accounts.Account) fyne.CanvasObject {
	loc := c.ui.loc
	label := widget.NewLabel("")
	label.Truncation = fyne.TextTruncateEllipsis
	c.showHealth(label, a)
	if c.rowLabels == nil {
		c.rowLabels = map[string]*widget.Label{}
	}
	c.rowLabels[a.ID] = label
	more := widget.NewButtonWithIcon("", theme.MoreHorizontalIcon(), nil)
	more.Importance = widget.LowImportance
	more.OnTapped = func() { c.accountMenu(a, more) }
	right := fyne.CanvasObject(more)
	if a.State == accounts.StateNeedsSignIn {
		again := widget.NewButton(loc.T("account.sign_in_again"), func() { c.ui.showAddAccount(c.mission, &a) })
		again.Importance = widget.WarningImportance
		right = container.NewHBox(again, more)
	}
	return c.withBudget(a, container.NewBorder(nil, nil, c.avatar(a), right, label))
}

// accountLabel names an account in its row: network and handle.
func (c *column) accountLabel(a accounts.Account) string {
	loc := c.ui.loc
	if a.IsDemo() {
		return loc.T("account.demo_label", "Handle", a.Handle)
	}
	return loc.T("account.label", "Network", loc.T("network."+string(a.Network)), "Handle", a.Handle)
}

// avatar shows the account's picture once loaded (from the offline cache
// first), a generic icon until then or if there is none.
func (c *column) avatar(a accounts.Account) fyne.CanvasObject {
	pic := canvas.NewImageFromResource(theme.AccountIcon())
	pic.FillMode = canvas.ImageFillContain
	pic.SetMinSize(fyne.NewSquareSize(avatarSize))
	if a.AvatarURL == "" || c.ui.p.Images == nil {
		return pic
	}
	go func() {
		data, err := c.ui.p.Images.Image(c.ctx, a.AvatarURL)
		if err != nil {
			return // the icon stays; the avatar is not worth a message
		}
		img, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		uiDo(func() {
			pic.Resource, pic.Image = nil, img
			pic.Refresh()
		})
	}()
	return pic
}
