package mastodon

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"chancery/accounts"
	"chancery/feeds"
)

func TestSignInWithBareToken(t *testing.T) {
	f, n, acct, state := setup(t)
	acct.Server = f.srv.URL + "/" // normalised by SignIn
	got, secret, err := n.SignIn(context.Background(), acct, "  "+testToken+"\n")
	if err != nil {
		t.Fatal(err)
	}
	if got.Server != f.srv.URL || got.Handle != "@ambassade@social.example" || got.DisplayName != "Ambassade du Canada" ||
		got.AvatarURL != "https://files.social.example/avatars/1.png" {
		t.Errorf("account = %+v", got)
	}
	if secret != `{"access_token":"`+testToken+`"}` {
		t.Errorf("secret = %q", secret)
	}
	if b, _ := state.NetState("acct-1", stateAccount); !strings.Contains(string(b), `"1"`) {
		t.Errorf("own id not cached: %s", b)
	}
	if b, _ := state.NetState("acct-1", stateInstance); !strings.Contains(string(b), `"max_characters":1000`) {
		t.Errorf("limits not cached: %s", b)
	}
	if req := f.last(t, "GET /api/v1/accounts/verify_credentials"); req.Header.Get("Authorization") != "Bearer "+testToken {
		t.Error("verify_credentials without the token")
	}
	// The secret SignIn returns is accepted back.
	if _, again, err := n.SignIn(context.Background(), acct, secret); err != nil || again != secret {
		t.Fatalf("sign-in with stored secret: %q, %v", again, err)
	}
}

func TestSignInRefused(t *testing.T) {
	_, n, acct, _ := setup(t)
	for _, secret := range []string{"wrong-token", "", "{not json", `{"access_token": ""}`, "two words"} {
		_, _, err := n.SignIn(context.Background(), acct, secret)
		if !errors.Is(err, feeds.ErrUnauthorized) {
			t.Errorf("secret %q: err = %v, want ErrUnauthorized", secret, err)
		}
	}
}

func TestSignInFallsBackToV1Instance(t *testing.T) {
	f, n, acct, _ := setup(t)
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		switch r.URL.Path {
		case "/api/v2/instance":
			writeJSON(w, http.StatusNotFound, `{"error": "Record not found"}`)
		case "/api/v1/instance":
			writeJSON(w, http.StatusOK, `{"uri": "old.example", "title": "Old", "max_toot_chars": 5000, "configuration": {"statuses": {"characters_reserved_per_url": 20}}}`)
		default:
			return false
		}
		return true
	})
	got, _, err := n.SignIn(context.Background(), acct, testToken)
	if err != nil {
		t.Fatal(err)
	}
	if got.Handle != "@ambassade@old.example" {
		t.Errorf("handle = %q", got.Handle)
	}
	if used, limit := n.Length(acct, "https://example.org/x"); used != 20 || limit != 5000 {
		t.Errorf("length = %d/%d", used, limit)
	}
}

func TestSignInSurvivesMissingInstance(t *testing.T) {
	f, n, acct, state := setup(t)
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if strings.Contains(r.URL.Path, "/instance") {
			writeJSON(w, http.StatusInternalServerError, `{"error": "boom"}`)
			return true
		}
		return false
	})
	got, _, err := n.SignIn(context.Background(), acct, testToken)
	if err != nil {
		t.Fatal(err)
	}
	if got.Handle != "@ambassade@"+hostOf(f) {
		t.Errorf("handle = %q", got.Handle)
	}
	if b, _ := state.NetState("acct-1", stateInstance); b != nil {
		t.Errorf("default limits cached as fetched: %s", b)
	}
}

func TestOAuthFlow(t *testing.T) {
	f, n, _, _ := setup(t)
	redirect := "http://127.0.0.1:49152/callback"
	app, err := n.RegisterApp(context.Background(), f.srv.URL, redirect)
	if err != nil {
		t.Fatal(err)
	}
	reg := f.last(t, "POST /api/v1/apps")
	if reg.Form.Get("client_name") != "Chancery" || reg.Form.Get("redirect_uris") != redirect || reg.Form.Get("scopes") != "read write" {
		t.Errorf("register form = %v", reg.Form)
	}
	if reg.Header.Get("Authorization") != "" {
		t.Error("app registration sent a token")
	}
	pkce, _ := accounts.NewPKCE()
	raw, err := AuthorizeURL(f.srv.URL, app.ClientID, redirect, "st", pkce.Challenge)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(raw)
	q := u.Query()
	if u.Path != "/oauth/authorize" || q.Get("response_type") != "code" || q.Get("client_id") != "cid-TWhM" ||
		q.Get("redirect_uri") != redirect || q.Get("scope") != "read write" || q.Get("state") != "st" ||
		q.Get("code_challenge") != pkce.Challenge || q.Get("code_challenge_method") != "S256" {
		t.Errorf("authorize URL = %s", raw)
	}
	if strings.Contains(raw, app.ClientSecret) {
		t.Error("client secret in the authorize URL")
	}
	secret, err := n.ExchangeCode(context.Background(), f.srv.URL, app, " good-code ", redirect, pkce.Verifier)
	if err != nil {
		t.Fatal(err)
	}
	tok := f.last(t, "POST /oauth/token")
	if tok.Form.Get("grant_type") != "authorization_code" || tok.Form.Get("code") != "good-code" ||
		tok.Form.Get("code_verifier") != pkce.Verifier || tok.Form.Get("redirect_uri") != redirect || tok.Query.Has("code") {
		t.Errorf("token form = %v query %v", tok.Form, tok.Query)
	}
	cr, err := parseSecret(secret)
	if err != nil || cr.AccessToken != testToken || cr.ClientID != "cid-TWhM" || cr.ClientSecret != app.ClientSecret {
		t.Fatalf("secret = %q (%v)", secret, err)
	}
	acct := accounts.Account{ID: "new", Server: f.srv.URL}
	if _, _, err := n.SignIn(context.Background(), acct, secret); err != nil {
		t.Fatalf("sign-in with exchanged secret: %v", err)
	}
}

func TestOAuthErrors(t *testing.T) {
	f, n, _, _ := setup(t)
	app := App{ClientID: "cid-TWhM", ClientSecret: "csecret-ZEaFUFmF0umgBX1q"}
	_, err := n.ExchangeCode(context.Background(), f.srv.URL, app, "used-code", OOB, "v")
	if !errors.Is(err, feeds.ErrRejected) || !strings.Contains(err.Error(), "invalid_grant") {
		t.Errorf("bad code: %v", err)
	}
	_, err = n.ExchangeCode(context.Background(), f.srv.URL, App{ClientID: "x", ClientSecret: "wrong"}, "good-code", OOB, "v")
	if !errors.Is(err, feeds.ErrUnauthorized) {
		t.Errorf("bad client: %v", err)
	}
	if _, err := n.RegisterApp(context.Background(), f.srv.URL, ""); !errors.Is(err, feeds.ErrRejected) {
		t.Errorf("register without redirect: %v", err)
	}
	raw, _ := AuthorizeURL(f.srv.URL, "c", OOB, "", "")
	if q, _ := url.Parse(raw); q.Query().Get("redirect_uri") != OOB || q.Query().Has("code_challenge") {
		t.Errorf("oob URL = %s", raw)
	}
}
