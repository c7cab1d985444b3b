package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/feeds"
)

// watchMenuItems are the Missions menu's "Watch of …" items.
func (u *ui) watchMenuItems() []*fyne.MenuItem {
	if u.watches == nil {
		return nil
	}
	items := []*fyne.MenuItem{fyne.NewMenuItemSeparator()}
	for _, m := range u.missions {
		items = append(items, fyne.NewMenuItem(u.loc.T("watch.menu", "Mission", m.Name(u.loc.Lang())), func() { u.editWatch(m) }))
	}
	return items
}

// editWatch reads the mission's watch in the background, then shows it
// for editing.
func (u *ui) editWatch(m accounts.Mission) {
	w := u.watches
	go func() {
		watch, err := w.alerter.WatchOf(m)
		uiDo(func() {
			if err != nil {
				u.showError(err)
				return
			}
			u.showWatchDialog(m, watch)
		})
	}()
}

// showWatchDialog lets the user edit a mission's words and quiet hours.
func (u *ui) showWatchDialog(m accounts.Mission, watch feeds.Watch) dialog.Dialog {
	loc, name := u.loc, m.Name(u.loc.Lang())
	words := widget.NewMultiLineEntry()
	words.SetText(strings.Join(watch.Words, "\n"))
	words.SetMinRowsVisible(6)
	from, to := widget.NewEntry(), widget.NewEntry()
	from.SetPlaceHolder("22:00")
	to.SetPlaceHolder("07:00")
	from.SetText(watch.QuietFrom)
	to.SetText(watch.QuietTo)
	for _, e := range []*widget.Entry{from, to} {
		e.Validator = func(s string) error { _, err := feeds.ParseClock(s); return err }
	}
	hint := widget.NewLabel(loc.T("watch.words_hint"))
	hint.Wrapping = fyne.TextWrapWord
	quietHint := widget.NewLabel(loc.T("watch.quiet_hint", "Mission", name, "Zone", m.TimeZone))
	quietHint.Wrapping = fyne.TextWrapWord
	items := []*widget.FormItem{
		widget.NewFormItem(loc.T("watch.words"), words),
		widget.NewFormItem("", hint),
		widget.NewFormItem(loc.T("watch.quiet_from"), from),
		widget.NewFormItem(loc.T("watch.quiet_to"), to),
		widget.NewFormItem("", quietHint),
	}
	d := dialog.NewForm(loc.T("watch.title", "Mission", name), loc.T("action.save"), loc.T("action.cancel"), items,
		func(ok bool) {
			if !ok {
				return
			}
			watch.Words = feeds.CleanWords(strings.Split(words.Text, "\n"))
			watch.QuietFrom, watch.QuietTo = strings.TrimSpace(from.Text), strings.TrimSpace(to.Text)
			u.saveWatch(m, watch)
		}, u.window)
	d.Resize(fyne.NewSize(520, 0))
	u.showDialog(d)
	return d
}

// saveWatch stores a watch off the UI goroutine, then shows the columns of
// its mission that show the Watch view again.
func (u *ui) saveWatch(m accounts.Mission, watch feeds.Watch) {
	w := u.watches
	go func() {
		err := w.store.SetWatch(m.ID, watch)
		w.forget(m.ID)
		uiDo(func() {
			if err != nil {
				u.showError(err)
				return
			}
			for _, c := range u.columns {
				if c.mission.ID == m.ID && c.view == watchView {
					c.reload()
				}
			}
		})
	}()
}
