package app

import (
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/translations"
)

// showFailure is the one place the GUI turns an error into a message box:
// failed is the message that names what could not be done
// ("dialog.failed_publish": "Could not publish"), the text says why.
func (u *ui) showFailure(failed string, err error) {
	u.message(u.loc.T(failed), u.loc.Error(err))
}

// showError is showFailure for a caller that cannot say what failed.
func (u *ui) showError(err error) { u.showFailure("dialog.error_title", err) }

func (u *ui) message(title, text string) { u.messageIn(u.window, title, text) }

// messageIn shows a message box over w.
func (u *ui) messageIn(w fyne.Window, title, text string) {
	label := widget.NewLabel(text)
	label.Wrapping = fyne.TextWrapWord
	d := newMessageDialog(title, u.loc.T("action.close"), label, w)
	d.Resize(fyne.NewSize(420, 0))
	if w == u.window {
		u.showDialog(d)
		return
	}
	d.Show()
}

// confirmRemoveAccount asks before removing an account and its cached posts.
func (u *ui) confirmRemoveAccount(a accounts.Account) {
	loc := u.loc
	text := widget.NewLabel(loc.T("account.remove_confirm", "Handle", a.Handle))
	text.Wrapping = fyne.TextWrapWord
	d := newConfirmDialog(loc.T("account.remove_title"), loc.T("account.remove"), loc.T("action.cancel"), text,
		func(ok bool) {
			if !ok {
				return
			}
			go func() { // a database write: off the UI goroutine
				err := u.p.Workspace.RemoveAccount(a.ID)
				uiDo(func() {
					if err != nil {
						u.showFailure("dialog.failed_remove_account", err)
						return
					}
					u.build()
				})
			}()
		}, u.window)
	d.Resize(fyne.NewSize(420, 0))
	u.showDialog(d)
}

// refreshChoices are the auto-refresh intervals offered, in minutes.
var refreshChoices = []int{0, 2, 5, 15, 30, 60}

// retentionChoices are the numbers of posts a timeline may keep.
var retentionChoices = []int{200, 500, 1000, 2000, 5000}

// nearestIndex returns the index of the choice closest to n.
func nearestIndex(choices []int, n int) int {
	best := 0
	for i, c := range choices {
		if abs(c-n) < abs(choices[best]-n) {
			best = i
		}
	}
	return best
}

func abs(n int) int { return max(n, -n) }

// databaseRow shows the database's size and a button that compacts it in
// the background.
func (u *ui) databaseRow() fyne.CanvasObject {
	loc := u.loc
	size := widget.NewLabel("")
	show := func(n int64, err error) {
		if err != nil {
			size.SetText(loc.Error(err))
			return
		}
		size.SetText(loc.T("settings.database_size", "Size", loc.Megabytes(n)))
	}
	go func() { // the file's size: off the UI goroutine
		n, err := u.p.Maintenance.Size()
		uiDo(func() { show(n, err) })
	}()
	progress := widget.NewProgressBarInfinite()
	progress.Hide()
	var compact *escButton
	compact = newEscButton(u.window, loc.T("settings.compact"), nil, func() {
		compact.Disable()
		progress.Show()
		go func() {
			before, after, err := u.p.Maintenance.Compact()
			uiDo(func() {
				progress.Hide()
				compact.Enable()
				if err != nil {
					size.SetText(loc.Error(err))
					return
				}
				size.SetText(loc.T("settings.compacted", "Before", loc.Megabytes(before), "After", loc.Megabytes(after)))
			})
		}()
	})
	return container.NewVBox(container.NewBorder(nil, nil, nil, compact, size), progress)
}

// showSettings lets the user choose the interface language and how often
// Chancery refreshes by itself.
func (u *ui) showSettings() {
	loc := u.loc
	names := []string{loc.T("settings.language_system")}
	tags := []string{""}
	for _, t := range translations.Supported() {
		names = append(names, loc.T("language."+t))
		tags = append(tags, t)
	}
	language := newEscSelect(u.window, names, nil)
	language.SetSelectedIndex(max(slices.Index(tags, u.settings.Language), 0))
	var intervals []string
	for _, m := range refreshChoices {
		if m == 0 {
			intervals = append(intervals, loc.T("settings.refresh_off"))
		} else {
			intervals = append(intervals, loc.N("settings.refresh_every", m))
		}
	}
	interval := newEscSelect(u.window, intervals, nil)
	interval.SetSelectedIndex(max(slices.Index(refreshChoices, u.settings.RefreshMinutes), 0))
	var keeps []string
	for _, n := range retentionChoices {
		keeps = append(keeps, loc.N("settings.keep_posts", n))
	}
	keep := newEscSelect(u.window, keeps, nil)
	keep.SetSelectedIndex(nearestIndex(retentionChoices, u.p.Maintenance.Retention()))
	form := widget.NewForm(
		widget.NewFormItem(loc.T("settings.language"), language),
		widget.NewFormItem(loc.T("settings.refresh"), interval),
		widget.NewFormItem(loc.T("settings.retention"), keep),
		widget.NewFormItem(loc.T("settings.database"), u.databaseRow()),
		widget.NewFormItem(loc.T("settings.timer"), u.timerRow()),
	)
	d := newConfirmDialog(loc.T("settings.title"), loc.T("action.save"), loc.T("action.cancel"), form,
		func(ok bool) {
			if !ok {
				return
			}
			keepN := retentionChoices[keep.SelectedIndex()]
			go func() { // a database write: off the UI goroutine
				if err := u.p.Maintenance.SetRetention(keepN); err != nil {
					uiDo(func() { u.showFailure("dialog.failed_save_settings", err) })
				}
			}()
			u.applySettings(tags[language.SelectedIndex()], refreshChoices[interval.SelectedIndex()])
		}, u.window)
	d.Resize(fyne.NewSize(460, 0))
	u.showDialog(d)
}

func (u *ui) applySettings(language string, refreshMinutes int) {
	u.settings.RefreshMinutes = refreshMinutes
	u.interval.Store(int64(time.Duration(refreshMinutes) * time.Minute))
	select {
	case u.kick <- struct{}{}:
	default:
	}
	if language != u.settings.Language {
		u.settings.Language = language
		u.loc = translations.New(u.language())
		followLanguage(u.loc.Lang())
		u.build()
	}
	u.saveSettings()
}
