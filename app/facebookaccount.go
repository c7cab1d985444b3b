package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// facebookServer is the Graph API's versioned address, used when the
// server field is left empty.
const facebookServer = "https://graph.facebook.com/v21.0"

// facebookFields shows what a Facebook Page needs: its id (or username),
// an access token (a long-lived user token of someone who manages the
// Page, exchanged at sign-in for the Page's own token, the only one kept),
// and, optionally, the Graph API's address.
func (f *addAccountForm) facebookFields(form *widget.Form, buttons *fyne.Container) {
	loc := f.u.loc
	f.server.SetPlaceHolder(facebookServer)
	f.handle.SetPlaceHolder("104857600000001")
	form.AppendItem(widget.NewFormItem(loc.T("account.handle_facebook"), f.handle))
	form.AppendItem(widget.NewFormItem(loc.T("facebook.account.token"), f.secret))
	form.AppendItem(widget.NewFormItem(loc.T("account.server_optional"), f.server))
	f.fields.Add(form)
	note := widget.NewLabel(loc.T("facebook.account.token_hint"))
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.LowImportance
	f.fields.Add(note)
	buttons.Add(f.addButton())
}
