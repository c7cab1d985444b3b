package app

import (
	"cmp"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/drafts"
)

// draftsView is the Drafts dialog: the drafts, most recently edited first,
// each naming its accounts by mission and handle with its edit time; each
// opens in the composer as it was left or can be deleted, with a way to
// undo the deletion while the dialog is open. It reads and writes the
// database off the UI goroutine.
type draftsView struct {
	u      *ui
	dlg    dialog.Dialog
	rows   *fyne.Container
	undo   *fyne.Container // "Draft deleted — Undo"
	accts  []accounts.Account
	listed []drafts.Draft
}

// showDrafts reads the drafts in the background, then shows them.
func (u *ui) showDrafts() {
	v := &draftsView{u: u, rows: container.NewVBox(), undo: container.NewHBox()}
	v.undo.Hide()
	v.load(func() {
		content := container.NewBorder(v.undo, nil, nil, nil, container.NewVScroll(v.rows))
		v.dlg = newMessageDialog(u.loc.T("drafts.title"), u.loc.T("action.close"), content, u.window)
		v.dlg.Resize(fyne.NewSize(720, 440))
		u.showDialog(v.dlg)
	})
}

// load reads the drafts and accounts, shows them, then calls then.
func (v *draftsView) load(then func()) {
	go func() {
		list, err := v.u.p.Drafts.List()
		accts, accErr := v.u.p.Workspace.Accounts()
		uiDo(func() {
			if err = cmp.Or(err, accErr); err != nil {
				v.u.showFailure("dialog.failed_read_drafts", err)
				return
			}
			v.accts = accts
			v.fill(list)
			if then != nil {
				then()
			}
		})
	}()
}

func (v *draftsView) fill(list []drafts.Draft) {
	loc := v.u.loc
	v.listed = list
	v.rows.RemoveAll()
	for _, dr := range list {
		summary := widget.NewLabel(v.summary(dr))
		summary.Truncation = fyne.TextTruncateEllipsis
		open := newEscButton(v.u.window, loc.T("drafts.open"), nil, func() { v.dlg.Hide(); v.u.openComposer(dr) })
		actions := container.NewHBox(open)
		if _, editing := v.u.composers[dr.ID]; !editing { // an open draft is deleted by closing it empty
			del := newEscButton(v.u.window, loc.T("drafts.delete"), theme.DeleteIcon(), func() { v.delete(dr) })
			actions.Add(del)
		}
		v.rows.Add(container.NewBorder(nil, nil, nil, actions, summary))
	}
	if len(list) == 0 {
		v.rows.Add(widget.NewLabel(loc.T("drafts.none")))
	}
	v.rows.Refresh()
}

// delete removes d, then offers to undo it.
func (v *draftsView) delete(d drafts.Draft) {
	v.fill(slices.DeleteFunc(slices.Clone(v.listed), func(o drafts.Draft) bool { return o.ID == d.ID }))
	go func() {
		err := v.u.p.Drafts.Delete(d.ID)
		uiDo(func() {
			if err != nil {
				v.u.showFailure("dialog.failed_delete_draft", err)
				v.load(nil)
				return
			}
			v.offerUndo(d)
		})
	}()
}

func (v *draftsView) offerUndo(d drafts.Draft) {
	loc := v.u.loc
	v.undo.RemoveAll()
	v.undo.Add(widget.NewLabel(loc.T("drafts.deleted")))
	v.undo.Add(newEscButton(v.u.window, loc.T("drafts.undo"), theme.ContentUndoIcon(), func() {
		v.undo.Hide()
		go func() {
			err := v.u.p.Drafts.Restore(d)
			uiDo(func() {
				if err != nil {
					v.u.showFailure("dialog.failed_restore_draft", err)
				}
				v.load(nil)
			})
		}()
	}))
	v.undo.Show()
}

// summary is "text — Vienna · @handle, Beijing · @handle — edited 5 min ago (11:55)".
func (v *draftsView) summary(d drafts.Draft) string {
	loc := v.u.loc
	text := ""
	for _, variant := range d.Variants {
		if t := strings.Join(strings.Fields(variant.Text), " "); t != "" {
			text = t
			break
		}
	}
	if text == "" {
		text = loc.T("drafts.empty")
	}
	targets := make([]string, 0, len(d.Targets))
	for _, id := range d.Targets {
		targets = append(targets, v.targetName(id))
	}
	if len(targets) == 0 {
		targets = append(targets, loc.T("drafts.no_accounts"))
	}
	edited := d.UpdatedAt.Local()
	at := edited.Format("15:04")
	if now := v.u.now().Local(); edited.Format(dayLayout) != now.Format(dayLayout) {
		at = edited.Format(dayLayout + " 15:04")
	}
	return loc.T("drafts.row", "Text", text, "Targets", loc.List(targets),
		"When", relativeTime(loc, v.u.now(), d.UpdatedAt), "Time", at)
}

// targetName is "Vienna · @handle" for an account id.
func (v *draftsView) targetName(id string) string {
	i := slices.IndexFunc(v.accts, func(a accounts.Account) bool { return a.ID == id })
	if i < 0 {
		return id // removed since
	}
	a := v.accts[i]
	for _, m := range v.u.missions {
		if m.ID == a.Mission {
			return m.Name(v.u.loc.Lang()) + " · " + cmp.Or(a.Handle, a.ID)
		}
	}
	return cmp.Or(a.Handle, a.ID)
}
