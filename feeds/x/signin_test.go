package x_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/feeds/x"
	"chancery/feeds/x/xtest"
)

func TestAuthorizeWithPKCEThenSignIn(t *testing.T) {
	for _, confidential := range []bool{false, true} {
		var opts []xtest.Option
		secret := ""
		if confidential {
			opts, secret = append(opts, xtest.WithConfidentialClient()), xtest.ClientSecret
		}
		e := setup(t, opts)
		var opened *url.URL
		kept, err := e.net.Authorize(ctx(t), e.srv.URL, xtest.ClientID, secret, func(u *url.URL) error { opened = u; return browse(u) })
		if err != nil {
			t.Fatalf("confidential %v: %v", confidential, err)
		}
		q := opened.Query()
		if q.Get("code_challenge_method") != "S256" || !strings.Contains(q.Get("scope"), "offline.access") || opened.Path != "/i/oauth2/authorize" {
			t.Errorf("authorize page %s", opened)
		}
		tok, err := x.ParseTokens(kept)
		if err != nil || tok.RefreshToken == "" || tok.ClientID != xtest.ClientID || tok.ClientSecret != secret || tok.ExpiresAt.IsZero() {
			t.Fatalf("kept %+v, %v", tok, err)
		}
		acct, kept2, err := e.net.SignIn(ctx(t), accounts.Account{Mission: "vienna", Network: accounts.X, Server: e.srv.URL}, kept)
		if err != nil {
			t.Fatal(err)
		}
		if acct.Handle != "@"+xtest.Username || acct.DisplayName != xtest.Name || kept2 != kept {
			t.Errorf("signed in as %+v", acct)
		}
	}
}

func TestAuthorizeNeedsClientID(t *testing.T) {
	e := setup(t, nil)
	_, err := e.net.Authorize(ctx(t), e.srv.URL, " ", "", browse)
	if !errors.Is(err, x.ErrNoClientID) {
		t.Fatalf("err = %v", err)
	}
}

func TestAuthorizeURLOfX(t *testing.T) {
	u, err := x.AuthorizeURL("https://api.x.com", "cid", "http://127.0.0.1:5/callback", "st", "ch")
	if err != nil || u.Host != "x.com" || u.Path != "/i/oauth2/authorize" || u.Query().Get("client_id") != "cid" {
		t.Fatalf("%v %v", u, err)
	}
}

func TestExpiredAccessTokenIsRefreshedOnceForConcurrentCalls(t *testing.T) {
	e := setup(t, nil)
	for i := range 7 {
		e.srv.AddPost("post "+string(rune('a'+i)), time.Now().Add(-time.Hour))
	}
	old := e.srv.Secret(0) // expired already
	_ = e.secrets.SetSecret(e.acct.ID, old)
	e.srv.ExpireAccessTokens()
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			_, err := e.net.Fetch(ctx(t), e.acct, feeds.Own)
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := e.srv.Calls("POST /2/oauth2/token"); n != 1 {
		t.Errorf("%d refreshes, want 1", n)
	}
	kept, _ := e.secrets.Secret(e.acct.ID)
	if kept == old {
		t.Error("the refreshed token set was not kept")
	}
}

func TestAccessTokenRefusedMidLifeIsRefreshedAndRetried(t *testing.T) {
	e := setup(t, nil)
	e.srv.AddPost("bonjour", time.Now())
	e.srv.ExpireAccessTokens() // X says 401 although our expiry is ahead
	posts, err := e.net.Fetch(ctx(t), e.acct, feeds.Own)
	if err != nil || len(posts) != 1 {
		t.Fatalf("%d posts, %v", len(posts), err)
	}
}

func TestRevokedGrantNeedsSignInAgain(t *testing.T) {
	e := setup(t, nil)
	e.srv.Revoke()
	_, err := e.net.Fetch(ctx(t), e.acct, feeds.Own)
	if !errors.Is(err, x.ErrSignInExpired) || feeds.Classify(err) != feeds.OutcomeUnauthorized {
		t.Fatalf("err = %v (%v)", err, feeds.Classify(err))
	}
	if s, _ := feeds.StateOf(err); s != accounts.StateNeedsSignIn {
		t.Errorf("state %s", s)
	}
	kept, _ := e.secrets.Secret(e.acct.ID)
	tok, _ := x.ParseTokens(kept)
	for _, sec := range []string{tok.AccessToken, tok.RefreshToken} {
		if strings.Contains(err.Error(), sec) {
			t.Errorf("error shows a token: %v", err)
		}
	}
}

func TestUnreadableSecretNeedsSignIn(t *testing.T) {
	e := setup(t, nil)
	_ = e.secrets.SetSecret(e.acct.ID, "not json")
	_, err := e.net.Fetch(ctx(t), e.acct, feeds.Own)
	if feeds.Classify(err) != feeds.OutcomeUnauthorized || strings.Contains(err.Error(), "not json") {
		t.Fatalf("err = %v", err)
	}
}

func TestRefusedRefreshGrantNeedsSignInAgain(t *testing.T) {
	for _, body := range []map[string]any{
		{"error": "invalid_grant", "error_description": "The refresh token is invalid or expired."},
		{"error": "invalid_request", "error_description": "Value passed for the token was invalid."},
	} {
		e := setup(t, nil)
		_ = e.secrets.SetSecret(e.acct.ID, e.srv.Secret(0))
		e.srv.FailNext("POST /2/oauth2/token", 400, body, nil)
		_, err := e.net.Fetch(ctx(t), e.acct, feeds.Own)
		if !errors.Is(err, x.ErrSignInExpired) || feeds.Classify(err) != feeds.OutcomeUnauthorized {
			t.Errorf("%v: err = %v", body["error"], err)
		}
	}
}

func TestRefreshWhileOfflineIsOfflineNotSignedOut(t *testing.T) {
	e := setup(t, nil)
	_ = e.secrets.SetSecret(e.acct.ID, e.srv.Secret(0))
	e.acct.Server = "http://127.0.0.1:1" // nothing listens there
	_, err := e.net.Fetch(ctx(t), e.acct, feeds.Own)
	if feeds.Classify(err) != feeds.OutcomeOffline || errors.Is(err, x.ErrSignInExpired) {
		t.Fatalf("err = %v", err)
	}
}
