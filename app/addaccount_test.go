package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
)

// addDialog opens the add-account dialog of the first column and chooses
// the network.
func addDialog(t *testing.T, u *ui, network string) fyne.CanvasObject {
	t.Helper()
	test.Tap(u.columns[0].toggle) // unfold the column's accounts
	add := findButton(u.columns[0].root, "Add account")
	if add == nil {
		t.Fatal("no Add account button in the column")
	}
	test.Tap(add)
	overlay := u.window.Canvas().Overlays().Top()
	if overlay == nil || !contains(overlay, "Add an account to Vienna") {
		t.Fatal("no add-account dialog")
	}
	sel := findSelects(overlay)[0]
	sel.SetSelected(network)
	return overlay
}

func entriesIn(o fyne.CanvasObject) []*widget.Entry {
	var out []*widget.Entry
	for _, obj := range visible(o) {
		if e, ok := obj.(*widget.Entry); ok {
			out = append(out, e)
		}
	}
	return out
}

func TestAddBlueskyAccountChecksThenSaves(t *testing.T) {
	f := newFixture(t)
	u := f.start(t)
	overlay := addDialog(t, u, "Bluesky")
	fields := entriesIn(overlay) // handle, app password, server
	if len(fields) != 3 {
		t.Fatalf("%d fields for Bluesky", len(fields))
	}
	test.Type(fields[0], "press.bsky.social")
	test.Type(fields[1], "wrong")
	test.Tap(findButton(overlay, "Add account"))
	eventually(t, "refusal", func() bool { return contains(overlay, "Sign in again to continue.") })
	if as, _ := f.store.Accounts(); len(as) != 5 {
		t.Fatalf("a refused account was saved: %d accounts", len(as))
	}
	fields[1].SetText("right")
	test.Tap(findButton(overlay, "Add account"))
	eventually(t, "account added", func() bool { return len(u.columns[0].accts) == 2 })
	a := u.columns[0].accts[1]
	if a.Network != accounts.Bluesky || a.Handle != "@press@bluesky" || a.Server != "https://bsky.social" {
		t.Errorf("added %+v", a)
	}
	if s, _ := f.keyring.Secret(a.ID); s != "session:right" {
		t.Errorf("keyring holds %q", s)
	}
	if !u.columns[0].accountsC.Visible() {
		test.Tap(u.columns[0].toggle) // the new column's account list starts folded
	}
	if !contains(u.columns[0].root, "Bluesky · @press@bluesky") {
		t.Errorf("column shows %q", texts(u.columns[0].root))
	}
}

func TestNoKeyringOffersThisSessionOnly(t *testing.T) {
	f := newFixture(t)
	f.keyring.down = true
	u := f.start(t)
	overlay := addDialog(t, u, "Mastodon")
	test.Type(entriesIn(overlay)[0], "social.example")
	test.Tap(findButton(overlay, "Sign in with the browser"))
	var offer fyne.CanvasObject
	eventually(t, "session-only offer", func() bool {
		offer = u.window.Canvas().Overlays().Top()
		return offer != overlay && contains(offer, "The system keyring is not available")
	})
	test.Tap(findButton(offer, "Keep for this session only"))
	eventually(t, "account added for this session", func() bool { return len(u.columns[0].accts) == 2 })
	if len(f.keyring.secrets) != 0 {
		t.Error("a secret reached the unavailable keyring")
	}
	if len(f.opened) != 1 || f.opened[0] != "https://social.example/oauth/authorize" {
		t.Errorf("browser opened %q", f.opened)
	}
}

func TestSignInAgainKeepsTheAccount(t *testing.T) {
	f := newFixture(t)
	ws := f.params.Workspace.(*accounts.Workspace)
	a, err := ws.AddAccount(t.Context(), accounts.Account{Mission: "vienna", Network: accounts.Bluesky, Server: "https://bsky.social", Handle: "press"}, "right", f.signIns.Verifier(accounts.Bluesky))
	if err != nil {
		t.Fatal(err)
	}
	_ = ws.SetState(a.ID, accounts.StateNeedsSignIn)
	u := f.start(t)
	again := findButton(u.columns[0].root, "Sign in again")
	if again == nil {
		t.Fatalf("no Sign in again button: %q", texts(u.columns[0].root))
	}
	test.Tap(again)
	overlay := u.window.Canvas().Overlays().Top()
	if !contains(overlay, "Sign in again: @press@bluesky") {
		t.Fatalf("dialog shows %q", texts(overlay))
	}
	fields := entriesIn(overlay)
	fields[1].SetText("right")
	test.Tap(findButton(overlay, "Add account"))
	eventually(t, "signed in again", func() bool {
		got, _ := ws.Account(a.ID)
		return got.State == accounts.StateOK
	})
	if as, _ := ws.Accounts(); len(as) != 6 {
		t.Errorf("%d accounts after signing in again, want the same 6", len(as))
	}
}

func TestMastodonPastedCodeSignIn(t *testing.T) {
	f := newFixture(t)
	u := f.start(t)
	overlay := addDialog(t, u, "Mastodon")
	fields := entriesIn(overlay) // server, code
	test.Type(fields[0], "social.example")
	test.Tap(findButton(overlay, "Use the code"))
	if !contains(overlay, "Get a code first.") {
		t.Errorf("using a code before getting one: %q", texts(overlay))
	}
	test.Tap(findButton(overlay, "Get a code"))
	eventually(t, "code page opened", func() bool { return len(f.opened) == 1 })
	if f.opened[0] != "https://code.example/" {
		t.Errorf("opened %q", f.opened)
	}
	test.Type(fields[1], "right")
	test.Tap(findButton(overlay, "Use the code"))
	eventually(t, "account added", func() bool { return len(u.columns[0].accts) == 2 })
	if s, _ := f.keyring.Secret(u.columns[0].accts[1].ID); s != "session:right" {
		t.Errorf("kept %q", s)
	}
}

func TestAccountRowShowsAvatarAndState(t *testing.T) {
	f := newFixture(t)
	f.params.Images = fakeImages{png: pngBytes(t)}
	if err := f.store.PutAccount(accounts.Account{
		ID: "v-m", Mission: "vienna", Network: accounts.Mastodon, Server: "https://m.example",
		Handle: "@amb@m.example", AvatarURL: "https://m.example/a.png", State: accounts.StateError,
	}); err != nil {
		t.Fatal(err)
	}
	u := f.start(t)
	col := u.columns[0]
	if !contains(col.root, "Mastodon · @amb@m.example · error") {
		t.Errorf("column shows %q", texts(col.root))
	}
	eventually(t, "avatar", func() bool {
		for _, o := range visible(col.accountsC) {
			if img, ok := o.(*canvas.Image); ok && img.Image != nil {
				return true
			}
		}
		return false
	})
}
