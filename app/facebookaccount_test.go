package app

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"chancery/accounts"
	"chancery/feeds/facebook"
	"chancery/feeds/facebook/fbtest"
)

// facebookSignIns checks Facebook accounts with the real client.
type facebookSignIns struct{ *fakeSignIns }

func (s facebookSignIns) Verifier(n accounts.Network) accounts.Verifier {
	if n == accounts.Facebook {
		return facebook.New(nil).SignIn
	}
	return s.fakeSignIns.Verifier(n)
}

// A Facebook Page is added with its id and a user token: the dialog shows
// the Page's fields and what the token must allow, the Page is named after
// Graph's answer, and only the Page's own token is kept.
func TestAddAFacebookPage(t *testing.T) {
	srv := fbtest.New(time.Now())
	t.Cleanup(srv.Close)
	f := newFixture(t)
	f.params.SignIns = facebookSignIns{f.signIns}
	u := startSettled(t, f)
	overlay := addDialog(t, u, "Facebook")
	if !contains(overlay, "pages_manage_posts") || contains(overlay, "later version") {
		t.Errorf("dialog says %q", texts(overlay))
	}
	fields := entriesIn(overlay) // page id, token, server
	if len(fields) != 3 {
		t.Fatalf("%d fields for Facebook", len(fields))
	}
	test.Type(fields[0], fbtest.PageID)
	test.Type(fields[1], "EAAwrong")
	test.Type(fields[2], srv.URL)
	test.Tap(findButton(overlay, "Add account"))
	eventually(t, "refusal", func() bool { return contains(overlay, "Sign in again with a new access token.") })
	fields[1].SetText(fbtest.UserToken)
	test.Tap(findButton(overlay, "Add account"))
	eventually(t, "page added", func() bool { return len(u.columns[0].accts) == 2 })
	a := u.columns[0].accts[1]
	if a.Network != accounts.Facebook || a.Handle != fbtest.PageID || a.DisplayName != fbtest.PageName ||
		a.Server != srv.URL+"/"+facebook.DefaultVersion {
		t.Errorf("added %+v", a)
	}
	if got := f.keyring.secrets[a.ID]; got != fbtest.PageToken {
		t.Errorf("keyring holds %q, want the page token only", got)
	}
}
