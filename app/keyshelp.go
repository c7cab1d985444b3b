package app

import (
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// menuItem is a menu item with its keyboard shortcut.
func menuItem(label string, action func(), s fyne.Shortcut) *fyne.MenuItem {
	item := fyne.NewMenuItem(label, action)
	item.Shortcut = s
	return item
}

// shortcutKey writes the shortcut modifier plus key as the keyboard shows
// them: "Ctrl+D" (German keyboards: "Strg+D"), "⌘D" on macOS.
func (u *ui) shortcutKey(key string) string {
	if runtime.GOOS == "darwin" {
		return "⌘" + key
	}
	return u.loc.T("keys.ctrl") + "+" + key
}

// shortcutLines are the keys of the window and what each does, in the
// interface language.
func (u *ui) shortcutLines() [][2]string {
	t := u.loc.T
	return [][2]string{
		{u.shortcutKey("N"), t("shortcuts.new_post")},
		{u.shortcutKey("D"), t("shortcuts.drafts")},
		{u.shortcutKey("O"), t("shortcuts.outbox")},
		{u.shortcutKey("I"), t("inbox.menu")},
		{u.shortcutKey("F"), t("search.menu")},
		{u.shortcutKey("E"), t("reviewui.menu")},
		{u.shortcutKey("R") + " · F5", t("shortcuts.refresh")},
		{u.shortcutKey(","), t("shortcuts.settings")},
		{t("keys.tab"), t("shortcuts.tab")},
		{"↓ · j", t("shortcuts.next")},
		{"↑ · k", t("shortcuts.previous")},
		{t("keys.enter"), t("shortcuts.open")},
		{"r", t("shortcuts.reply")},
		{"b", t("shortcuts.repost")},
		{"l", t("shortcuts.like")},
		{"o", t("shortcuts.browser")},
		{u.shortcutKey(t("keys.enter")), t("shortcuts.publish")},
		{t("keys.escape"), t("shortcuts.close")},
	}
}

// showShortcuts lists the keyboard shortcuts (Help menu).
func (u *ui) showShortcuts() {
	grid := container.NewGridWithColumns(2)
	for _, l := range u.shortcutLines() {
		key := widget.NewLabelWithStyle(l[0], fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		grid.Add(key)
		grid.Add(widget.NewLabel(l[1]))
	}
	d := newMessageDialog(u.loc.T("shortcuts.title"), u.loc.T("action.close"), container.NewVScroll(grid), u.window)
	d.Resize(fyne.NewSize(560, 560))
	u.showDialog(d)
}
