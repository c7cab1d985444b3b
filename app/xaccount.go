package app

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/feeds"
)

// ClientSignIns is implemented by sign-ins that can run the browser
// sign-in of a network whose accounts use the mission's own OAuth client
// (X): the client id and, if the app has one, its secret come from the
// user.
type ClientSignIns interface {
	ClientSignIn(ctx context.Context, n accounts.Network, server, clientID, clientSecret string, open func(*url.URL) error) (string, error)
}

// xEntries are the fields of X's sign-in: the developer app's client id
// and optional client secret.
type xEntries struct {
	clientID, clientSecret *escEntry
}

// xFields shows X's fields: the API server (X's by default), the client
// id and secret of the mission's developer app, and the browser sign-in.
func (f *addAccountForm) xFields(form *widget.Form, buttons *fyne.Container) {
	loc, w := f.u.loc, f.u.window
	f.x = &xEntries{clientID: newEscEntry(w), clientSecret: newEscPasswordEntry(w)}
	f.server.SetPlaceHolder("https://api.x.com")
	form.AppendItem(widget.NewFormItem(loc.T("x.account.client_id"), f.x.clientID))
	form.AppendItem(widget.NewFormItem(loc.T("x.account.client_secret"), f.x.clientSecret))
	form.AppendItem(widget.NewFormItem(loc.T("account.server_optional"), f.server))
	f.fields.Add(form)
	note := widget.NewLabel(loc.T("x.account.app_note"))
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.LowImportance
	f.fields.Add(note)
	b := newEscButton(w, loc.T("account.sign_in_browser"), nil, f.xBrowserSignIn)
	b.Importance = widget.HighImportance
	buttons.Add(b)
}

// xBrowserSignIn opens X's authorization page for the mission's app and,
// once the browser came back with the code, checks and saves the account.
func (f *addAccountForm) xBrowserSignIn() {
	loc := f.u.loc
	c, ok := f.u.p.SignIns.(ClientSignIns)
	if !ok {
		f.message.SetText(loc.Error(fmt.Errorf("x: %w", feeds.ErrUnsupported)))
		return
	}
	server := strings.TrimSpace(f.server.Text)
	if server == "" {
		server = f.server.PlaceHolder
	}
	id, secret := strings.TrimSpace(f.x.clientID.Text), strings.TrimSpace(f.x.clientSecret.Text)
	if id == "" {
		f.message.SetText(loc.T("x.error.no_client_id"))
		return
	}
	f.signInThen(func(ctx context.Context) (string, error) {
		return c.ClientSignIn(ctx, accounts.X, server, id, secret, f.u.p.OpenURL)
	})
}
