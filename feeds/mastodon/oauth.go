package mastodon

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"chancery/feeds"
)

// OOB is the redirect URI that makes the server show the authorization code
// for the user to paste, where no loopback redirect can be used.
const OOB = "urn:ietf:wg:oauth:2.0:oob"

// Scopes are the OAuth scopes Chancery asks for.
const Scopes = "read write"

// App is an OAuth client registered on one server.
type App struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
}

// RegisterApp registers Chancery as an OAuth client of server with one
// redirect URI (a loopback URI or OOB) and the scopes "read write".
func (n *Network) RegisterApp(ctx context.Context, server, redirectURI string) (App, error) {
	s, err := n.anonymous(server)
	if err != nil {
		return App{}, err
	}
	form := url.Values{
		"client_name":   {"Chancery"},
		"redirect_uris": {redirectURI},
		"scopes":        {Scopes},
	}
	var app application
	if err := s.postJSON(ctx, &app, form, "api", "v1", "apps"); err != nil {
		return App{}, fmt.Errorf("mastodon: register app: %w", err)
	}
	if app.ClientID == "" || app.ClientSecret == "" {
		return App{}, fmt.Errorf("mastodon: register app: no client credentials: %w", feeds.ErrBadResponse)
	}
	return App(app), nil
}

// AuthorizeURL returns the address to open in the browser: the server's
// authorization page for clientID, asking for Scopes, with state and the
// PKCE challenge (S256). It asks the server to show its login form even if
// the browser is signed in, so that the account authorised is the one the
// user means.
func AuthorizeURL(server, clientID, redirectURI, state, challenge string) (string, error) {
	u, err := feeds.ServerURL(server)
	if err != nil {
		return "", fmt.Errorf("mastodon: %w", err)
	}
	u = u.JoinPath("oauth", "authorize")
	q := url.Values{
		"response_type": {"code"},
		"client_id":     {clientID},
		"redirect_uri":  {redirectURI},
		"scope":         {Scopes},
		"force_login":   {"true"},
	}
	if state != "" {
		q.Set("state", state)
	}
	if challenge != "" {
		q.Set("code_challenge", challenge)
		q.Set("code_challenge_method", "S256")
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// ExchangeCode trades an authorization code (from the loopback redirect, or
// pasted by the user) for an access token, sending the PKCE verifier, and
// returns the secret to keep: the JSON of Credentials, which SignIn accepts.
func (n *Network) ExchangeCode(ctx context.Context, server string, app App, code, redirectURI, verifier string) (string, error) {
	code = strings.TrimSpace(code)
	s, err := n.anonymous(server, app.ClientSecret, code, verifier)
	if err != nil {
		return "", err
	}
	form := url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {code},
		"client_id":     {app.ClientID},
		"client_secret": {app.ClientSecret},
		"redirect_uri":  {redirectURI},
		"scope":         {Scopes},
	}
	if verifier != "" {
		form.Set("code_verifier", verifier)
	}
	var tok token
	if err := s.postJSON(ctx, &tok, form, "oauth", "token"); err != nil {
		return "", fmt.Errorf("mastodon: token exchange: %w", err)
	}
	if strings.TrimSpace(tok.AccessToken) == "" {
		return "", fmt.Errorf("mastodon: token exchange: no access token: %w", feeds.ErrBadResponse)
	}
	cr := Credentials{ClientID: app.ClientID, ClientSecret: app.ClientSecret, AccessToken: tok.AccessToken}
	return cr.Encode(), nil
}
