package app

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
)

// AccountAdmin adds and moves accounts; secrets go to the keyring.
type AccountAdmin interface {
	AddAccount(ctx context.Context, acct accounts.Account, secret string, verify accounts.Verifier) (accounts.Account, error)
	AddAccountForSession(ctx context.Context, acct accounts.Account, secret string, verify accounts.Verifier) (accounts.Account, error)
	MoveAccount(id, mission string) error
	SignInAgain(ctx context.Context, id, secret string, verify accounts.Verifier) (accounts.Account, error)
}

// SignIns checks credentials with each network, and runs the browser
// sign-in of networks that have one.
type SignIns interface {
	// Verifier returns the credential check of network n, nil when it
	// needs none.
	Verifier(n accounts.Network) accounts.Verifier
	// BrowserSignIn authorises Chancery on server in the user's browser and
	// returns the secret to keep; it waits for the browser's redirect to a
	// loopback address until ctx ends.
	BrowserSignIn(ctx context.Context, n accounts.Network, server string, open func(*url.URL) error) (string, error)
	// CodeSignIn is the fallback: it returns the address where the user gets
	// a code, and a function that turns the pasted code into the secret.
	CodeSignIn(ctx context.Context, n accounts.Network, server string) (*url.URL, func(ctx context.Context, code string) (string, error), error)
}

// addAccountForm is the dialog that connects an account to a mission.
type addAccountForm struct {
	u        *ui
	mission  accounts.Mission
	again    *accounts.Account // set when signing an existing account in again
	dlg      dialog.Dialog
	network  *escSelect
	fields   *fyne.Container
	server   *escEntry
	handle   *escEntry
	secret   *escEntry
	code     *escEntry
	feeds    *escEntry
	message  *widget.Label
	offers   *fyne.Container // feed links a web page offered (addfeed.go)
	progress *widget.ProgressBarInfinite
	cancel   context.CancelFunc
	codeDone func(ctx context.Context, code string) (string, error)
	x        *xEntries // X's fields (xaccount.go)
}

var addableNetworks = []accounts.Network{accounts.Mastodon, accounts.Bluesky, accounts.RSS, accounts.X, accounts.Facebook}

// showAddAccount opens the dialog that adds an account to m, or, with
// again set, signs that account in again.
func (u *ui) showAddAccount(m accounts.Mission, again *accounts.Account) {
	loc := u.loc
	f := &addAccountForm{
		u: u, mission: m, again: again,
		message: widget.NewLabel(""), progress: widget.NewProgressBarInfinite(), fields: container.NewVBox(),
		offers: container.NewVBox(),
	}
	f.clearEntries()
	f.message.Wrapping = fyne.TextWrapWord
	f.progress.Hide()
	f.progress.Stop()
	var names []string
	for _, n := range addableNetworks {
		names = append(names, loc.T("network."+string(n)))
	}
	f.network = newEscSelect(u.window, names, func(string) { f.showFields() })
	body := container.NewVBox(
		widget.NewForm(widget.NewFormItem(loc.T("account.network"), f.network)),
		f.fields, f.progress, f.message, f.offers)
	title := loc.T("account.add_title", "Mission", m.Name(loc.Lang()))
	f.network.SetSelectedIndex(0)
	if again != nil {
		title = loc.T("account.sign_in_again_title", "Handle", again.Handle)
		f.network.SetSelectedIndex(max(slices.Index(addableNetworks, again.Network), 0))
		f.network.Disable()
		f.server.SetText(again.Server)
		f.handle.SetText(strings.TrimPrefix(again.Handle, "@"))
		f.feeds.SetText(strings.Join(again.Feeds, "\n"))
	}
	f.dlg = dialog.NewCustomWithoutButtons(title, body, u.window)
	f.dlg.Resize(fyne.NewSize(560, 0))
	f.dlg.SetOnClosed(func() { // Escape closes it as Cancel does
		if f.cancel != nil {
			f.cancel()
		}
	})
	u.showDialog(f.dlg)
}

func (f *addAccountForm) selected() accounts.Network {
	return addableNetworks[max(f.network.SelectedIndex(), 0)]
}

// clearEntries gives the form new, empty fields, so that nothing typed
// for one network (a handle, an app password, a server) is ever sent as
// another network's, and a code asked for one server is not used for
// another.
func (f *addAccountForm) clearEntries() {
	w := f.u.window
	f.server, f.handle, f.code = newEscEntry(w), newEscEntry(w), newEscEntry(w)
	f.secret, f.feeds = newEscPasswordEntry(w), newEscMultiLineEntry(w)
	f.codeDone = nil
}

// showFields shows what the chosen network needs, every field empty.
func (f *addAccountForm) showFields() {
	loc := f.u.loc
	if f.cancel != nil {
		f.cancel() // a sign-in started for the other network
	}
	f.clearEntries()
	f.fields.RemoveAll()
	f.message.SetText("")
	f.showOffers(nil)
	n := f.selected()
	item := widget.NewFormItem
	form := widget.NewForm()
	buttons := container.NewHBox()
	w := f.u.window
	cancel := newEscButton(w, loc.T("action.cancel"), nil, f.close)
	switch n {
	case accounts.Mastodon:
		f.server.SetPlaceHolder("mastodon.social")
		form.AppendItem(item(loc.T("account.server"), f.server))
		browser := newEscButton(w, loc.T("account.sign_in_browser"), nil, f.browserSignIn)
		browser.Importance = widget.HighImportance
		f.code.SetPlaceHolder(loc.T("account.code_hint"))
		getCode := newEscButton(w, loc.T("account.get_code"), nil, f.startCode)
		useCode := newEscButton(w, loc.T("account.use_code"), nil, f.finishCode)
		f.fields.Add(form)
		f.fields.Add(container.NewHBox(browser))
		f.fields.Add(widget.NewLabel(loc.T("account.code_fallback")))
		f.fields.Add(container.NewBorder(nil, nil, getCode, useCode, f.code))
	case accounts.Bluesky:
		f.handle.SetPlaceHolder("name.bsky.social")
		f.server.SetPlaceHolder("https://bsky.social")
		form.AppendItem(item(loc.T("account.handle"), f.handle))
		form.AppendItem(item(loc.T("account.app_password"), f.secret))
		form.AppendItem(item(loc.T("account.server_optional"), f.server))
		f.fields.Add(form)
		buttons.Add(f.addButton())
	case accounts.RSS:
		f.feeds.SetPlaceHolder("https://www.example.gc.ca/news.rss")
		f.feeds.SetMinRowsVisible(3)
		form.AppendItem(item(loc.T("account.feeds"), f.feeds))
		f.fields.Add(form)
		buttons.Add(f.addButton())
	case accounts.Facebook:
		f.facebookFields(form, buttons)
	case accounts.X:
		f.xFields(form, buttons)
	}
	f.fields.Add(container.NewBorder(nil, nil, nil, container.NewHBox(cancel, buttons)))
	f.fields.Refresh()
}

func (f *addAccountForm) addButton() *escButton {
	b := newEscButton(f.u.window, f.u.loc.T("account.add"), nil, func() { f.submit(f.secret.Text, false) })
	b.Importance = widget.HighImportance
	return b
}

// account is what the form says of the new account: only the fields the
// chosen network shows.
func (f *addAccountForm) account() accounts.Account {
	a := accounts.Account{Mission: f.mission.ID, Network: f.selected()}
	switch a.Network {
	case accounts.Mastodon:
		a.Server = strings.TrimSpace(f.server.Text)
	case accounts.Bluesky:
		a.Server, a.Handle = strings.TrimSpace(f.server.Text), strings.TrimSpace(f.handle.Text)
		if a.Server == "" {
			a.Server = "https://bsky.social"
		}
	case accounts.RSS:
		for _, line := range strings.Split(f.feeds.Text, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				a.Feeds = append(a.Feeds, line)
			}
		}
		if len(a.Feeds) > 0 {
			a.Server = a.Feeds[0]
		}
	case accounts.X, accounts.Facebook:
		a.Server, a.Handle = strings.TrimSpace(f.server.Text), strings.TrimSpace(f.handle.Text)
		if a.Server == "" {
			a.Server = f.server.PlaceHolder
		}
	}
	return a
}

// busy shows progress while something runs in the background; the dialog
// can be cancelled meanwhile.
func (f *addAccountForm) busy(on bool) {
	f.progress.Hidden = !on
	if on {
		f.progress.Start()
		f.message.SetText(f.u.loc.T("account.signing_in"))
	} else {
		f.progress.Stop()
	}
	f.progress.Refresh()
}

func (f *addAccountForm) close() {
	if f.cancel != nil {
		f.cancel()
	}
	f.dlg.Hide()
}

// run does work in the background with a cancellable context, then applies
// the result on the UI goroutine.
func (f *addAccountForm) run(work func(ctx context.Context) error, done func(err error)) {
	if f.cancel != nil {
		f.cancel()
	}
	ctx, cancel := context.WithCancel(f.u.ctx)
	f.cancel = cancel
	f.busy(true)
	go func() {
		err := work(ctx)
		uiDo(func() {
			f.busy(false)
			if ctx.Err() == nil || err == nil {
				done(err)
			}
		})
	}()
}

// submit verifies the credentials and saves the account, offering to keep
// the secret for this session only when the keyring is not available.
func (f *addAccountForm) submit(secret string, sessionOnly bool) {
	acct := f.account()
	verify := f.u.p.SignIns.Verifier(acct.Network)
	add := f.u.p.Admin.AddAccount
	if sessionOnly {
		add = f.u.p.Admin.AddAccountForSession
	}
	if f.again != nil {
		id := f.again.ID
		add = func(ctx context.Context, _ accounts.Account, secret string, verify accounts.Verifier) (accounts.Account, error) {
			return f.u.p.Admin.SignInAgain(ctx, id, secret, verify)
		}
	}
	var added accounts.Account
	f.run(func(ctx context.Context) (err error) {
		added, err = add(ctx, acct, secret, verify)
		return err
	}, func(err error) {
		switch {
		case err == nil:
			f.dlg.Hide()
			f.u.build()
			f.u.refresh([]accounts.Account{added})
		case errors.Is(err, accounts.ErrKeyringUnavailable) && !sessionOnly:
			f.offerSessionOnly(secret)
		default:
			f.message.SetText(f.u.loc.Error(err))
			f.offerFeeds(err)
		}
	})
}

// offerSessionOnly explains that the keyring is missing and offers to keep
// the secret in memory until Chancery closes.
func (f *addAccountForm) offerSessionOnly(secret string) {
	loc := f.u.loc
	text := widget.NewLabel(loc.T("error.keyring_unavailable") + "\n\n" + loc.T("account.session_only_offer"))
	text.Wrapping = fyne.TextWrapWord
	d := newConfirmDialog(loc.T("account.no_keyring_title"), loc.T("account.session_only"), loc.T("action.cancel"),
		text, func(ok bool) {
			if ok {
				f.submit(secret, true)
			}
		}, f.u.window)
	d.Resize(fyne.NewSize(520, 0))
	f.u.showDialog(d)
}

// signInThen gets a secret in the background (a browser sign-in, a pasted
// code), then checks it and saves the account.
func (f *addAccountForm) signInThen(get func(ctx context.Context) (string, error)) {
	var secret string
	f.run(func(ctx context.Context) (err error) {
		secret, err = get(ctx)
		return err
	}, func(err error) {
		if err != nil {
			f.message.SetText(f.u.loc.Error(err))
			return
		}
		f.submit(secret, false)
	})
}

func (f *addAccountForm) browserSignIn() {
	server, n := f.account().Server, f.selected()
	f.signInThen(func(ctx context.Context) (string, error) {
		return f.u.p.SignIns.BrowserSignIn(ctx, n, server, f.u.p.OpenURL)
	})
}

func (f *addAccountForm) startCode() {
	server, n := f.account().Server, f.selected()
	var page *url.URL
	var finish func(context.Context, string) (string, error)
	f.run(func(ctx context.Context) (err error) {
		page, finish, err = f.u.p.SignIns.CodeSignIn(ctx, n, server)
		return err
	}, func(err error) {
		if err != nil {
			f.message.SetText(f.u.loc.Error(err))
			return
		}
		f.codeDone = finish
		f.message.SetText(f.u.loc.T("account.code_opened"))
		if err := f.u.p.OpenURL(page); err != nil {
			f.message.SetText(f.u.loc.T("account.open_this", "URL", page.String()))
		}
	})
}

func (f *addAccountForm) finishCode() {
	if f.codeDone == nil {
		f.message.SetText(f.u.loc.T("account.get_code_first"))
		return
	}
	code, finish := strings.TrimSpace(f.code.Text), f.codeDone
	f.signInThen(func(ctx context.Context) (string, error) { return finish(ctx, code) })
}
