package facebook

import (
	"context"
	"errors"
	"testing"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/feeds/facebook/fbtest"
	"chancery/translations"
)

func TestSignInExchangesTheUserTokenForThePageToken(t *testing.T) {
	for _, tc := range []struct{ name, handle, secret string }{
		{"user token, page id", fbtest.PageID, fbtest.UserToken + "\n"},
		{"user token, page username", "ambassade.vienne", fbtest.UserToken},
		{"page token", fbtest.PageID, fbtest.PageToken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, n, _ := setup(t)
			in := accounts.Account{Mission: "vienna", Network: accounts.Facebook, Server: srv.URL, Handle: tc.handle}
			acct, secret, err := n.SignIn(context.Background(), in, tc.secret)
			if err != nil {
				t.Fatal(err)
			}
			if secret != fbtest.PageToken {
				t.Errorf("kept secret %q, want the page token only", secret)
			}
			if acct.Handle != fbtest.PageID || acct.DisplayName != fbtest.PageName {
				t.Errorf("account %+v", acct)
			}
			if acct.Server != srv.URL+"/"+DefaultVersion {
				t.Errorf("server %q, want the versioned base", acct.Server)
			}
			if acct.AvatarURL == "" {
				t.Error("no avatar")
			}
		})
	}
}

func TestSignInRefusals(t *testing.T) {
	loc := translations.New("en")
	for _, tc := range []struct {
		name, handle, secret string
		expire               bool
		want                 []error
		outcome              feeds.Outcome
	}{
		{"unknown token", fbtest.PageID, "EAAnot-a-token", false, []error{ErrTokenExpired, feeds.ErrUnauthorized}, feeds.OutcomeUnauthorized},
		{"expired token", fbtest.PageID, fbtest.UserToken, true, []error{ErrTokenExpired, feeds.ErrUnauthorized}, feeds.OutcomeUnauthorized},
		{"empty token", fbtest.PageID, "  ", false, []error{feeds.ErrUnauthorized}, feeds.OutcomeUnauthorized},
		{"bad page id", "../me", fbtest.UserToken, false, []error{ErrBadPageID, feeds.ErrRejected}, feeds.OutcomeRefused},
		{"unknown page", "123456", fbtest.UserToken, false, []error{feeds.ErrRejected}, feeds.OutcomeRefused},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, n, _ := setup(t)
			if tc.expire {
				srv.Expire()
			}
			in := accounts.Account{Network: accounts.Facebook, Server: srv.URL, Handle: tc.handle}
			_, secret, err := n.SignIn(context.Background(), in, tc.secret)
			if err == nil || secret != "" {
				t.Fatalf("signed in: %q, %v", secret, err)
			}
			for _, w := range tc.want {
				if !errors.Is(err, w) {
					t.Errorf("err = %v, want %v in the chain", err, w)
				}
			}
			if got := feeds.Classify(err); got != tc.outcome {
				t.Errorf("outcome %v, want %v", got, tc.outcome)
			}
			noSecret(t, "error", err.Error())
			if msg := loc.Error(err); msg == "" || msg == loc.T("error.unexpected") {
				t.Errorf("message %q", msg)
			}
		})
	}
}

func TestSignInExpiredTokenSaysSignInAgain(t *testing.T) {
	srv, n, acct := setup(t)
	srv.Expire()
	_, err := n.Fetch(context.Background(), acct, feeds.Own)
	var ge *GraphError
	if !errors.As(err, &ge) || ge.Code != 190 || ge.Subcode != 463 || ge.TraceID == "" {
		t.Fatalf("err = %v", err)
	}
	if s, _ := feeds.StateOf(err); s != accounts.StateNeedsSignIn {
		t.Errorf("state %q", s)
	}
	if msg := translations.New("en").Error(err); msg != translations.New("en").T("facebook.error.token_expired") {
		t.Errorf("message %q", msg)
	}
}

func TestServerAddress(t *testing.T) {
	for in, want := range map[string]string{
		"":                                 DefaultServer,
		"graph.facebook.com":               DefaultServer,
		"https://graph.facebook.com/":      DefaultServer,
		"https://graph.facebook.com/v19.0": "https://graph.facebook.com/v19.0",
		"http://127.0.0.1:8080":            "http://127.0.0.1:8080/" + DefaultVersion,
	} {
		u, err := serverURL(in)
		if err != nil || u.String() != want {
			t.Errorf("serverURL(%q) = %v, %v; want %s", in, u, err, want)
		}
	}
	if _, err := serverURL("http://graph.facebook.com"); !errors.Is(err, feeds.ErrInsecureURL) {
		t.Errorf("plain http accepted: %v", err)
	}
}
