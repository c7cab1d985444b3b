package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/team"
)

// teamConnectForm is the dialog over a Review window that sets up the
// profile's team server, as chancery team connect does: the address
// without its password, the password (kept in the keyring by the
// service), and an optional client certificate.
type teamConnectForm struct {
	p        *reviewPanel
	dlg      *dialog.CustomDialog
	dsn      *escEntry
	secret   *escEntry
	cert     fileChoice // the client certificate, optional
	key      fileChoice // its private key, read as the secret when chosen
	submit   *enterButton
	message  *widget.Label
	progress *widget.ProgressBarInfinite
	busy     bool
}

// newConnectButton is the row the Review window shows while no team
// server is set up: its button opens the form.
func (p *reviewPanel) newConnectButton() *fyne.Container {
	b := newEnterButton(p.win, p.u.loc.T("teamconnect.open"), theme.LoginIcon(), func() { p.showTeamConnect() })
	b.Importance = widget.HighImportance
	row := container.NewHBox(b)
	row.Hide()
	return row
}

// showTeamConnect opens the form over the Review window.
func (p *reviewPanel) showTeamConnect() *teamConnectForm {
	loc, w := p.u.loc, p.win
	f := &teamConnectForm{p: p, dsn: newEscEntry(w), secret: newEscPasswordEntry(w)}
	f.dsn.SetPlaceHolder("postgres://login@team.example.org:5432/chancery?sslmode=verify-full")
	f.dsn.OnSubmitted = func(string) { f.connect() }
	f.secret.OnSubmitted = func(string) { f.connect() }
	form := widget.NewForm(
		widget.NewFormItem(loc.T("teamconnect.dsn"), f.dsn),
		widget.NewFormItem(loc.T("teamconnect.password"), f.secret),
		widget.NewFormItem(loc.T("teamconnect.cert"), f.cert.build(f)),
		widget.NewFormItem(loc.T("teamconnect.key"), f.key.build(f)),
	)
	hint := widget.NewLabel(loc.T("teamconnect.hint"))
	hint.Wrapping, hint.Importance = fyne.TextWrapWord, widget.LowImportance
	f.message = widget.NewLabel("")
	f.message.Wrapping, f.message.Importance = fyne.TextWrapWord, widget.DangerImportance
	f.message.Hide()
	f.progress = widget.NewProgressBarInfinite()
	f.progress.Stop()
	f.progress.Hide()
	f.submit = newEnterButton(w, loc.T("teamconnect.connect"), nil, f.connect)
	f.submit.Importance = widget.HighImportance
	f.dlg = dialog.NewCustomWithoutButtons(loc.T("teamconnect.title"), container.NewVBox(hint, form, f.progress, f.message), w)
	f.dlg.SetButtons([]fyne.CanvasObject{newEscButton(w, loc.T("action.cancel"), nil, f.dlg.Hide), f.submit})
	f.dlg.Resize(fyne.NewSize(620, 0))
	p.showDialog(f.dlg)
	w.Canvas().Focus(f.dsn)
	return f
}

// connect checks the address and runs the service's Connect off the UI
// goroutine; the form shows the progress, then closes and reloads the
// Review window, or says why it failed.
func (f *teamConnectForm) connect() {
	if f.busy {
		return
	}
	loc := f.p.u.loc
	dsn := strings.TrimSpace(f.dsn.Text)
	switch {
	case dsn == "":
		f.fail(loc.T("teamconnect.dsn_missing"))
		return
	case team.HasPassword(dsn):
		f.fail(loc.T("teamconnect.password_in_dsn"))
		return
	}
	f.setBusy(true)
	u, secret, cert, key := f.p.u, f.secret.Text, f.cert.path, f.key.path
	svc, ctx := u.p.Review, u.ctx
	go func() {
		var err error
		if key != "" {
			secret, err = readKey(key)
		}
		if err == nil {
			_, err = svc.Connect(ctx, dsn, secret, cert)
		}
		uiDo(func() { f.connected(err) })
	}()
}

// connected applies the outcome of Connect, on the UI goroutine.
func (f *teamConnectForm) connected(err error) {
	f.setBusy(false)
	if err != nil {
		f.fail(f.p.u.loc.T("teamconnect.failed", "Reason", f.p.u.loc.Error(err)))
		return
	}
	f.secret.SetText("")
	f.dlg.Hide()
	f.p.load()
	f.p.u.syncReview()
}

func (f *teamConnectForm) fail(msg string) {
	f.message.SetText(msg)
	f.message.Show()
}

func (f *teamConnectForm) setBusy(on bool) {
	f.busy = on
	if on {
		f.message.Hide()
		f.submit.Disable()
		f.progress.Show()
		f.progress.Start()
		return
	}
	f.submit.Enable()
	f.progress.Stop()
	f.progress.Hide()
}
