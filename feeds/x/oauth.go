package x

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"strings"

	"chancery/accounts"
	"chancery/feeds"
)

// Scopes are the OAuth 2.0 scopes Chancery asks X for; offline.access
// brings the refresh token.
const Scopes = "tweet.read tweet.write users.read like.write media.write offline.access"

// AuthorizeURL returns the page to open in the browser: X's authorization
// page (https://x.com/i/oauth2/authorize for X's API; SERVER/i/oauth2/
// authorize for another server, such as a test one) for clientID with
// Scopes, state and the PKCE challenge (S256).
func AuthorizeURL(server, clientID, redirectURI, state, challenge string) (*url.URL, error) {
	u, err := feeds.ServerURL(cmp.Or(server, DefaultServer))
	if err != nil {
		return nil, fmt.Errorf("x: %w", err)
	}
	if host := strings.ToLower(u.Hostname()); host == "api.x.com" || host == "api.twitter.com" {
		u = &url.URL{Scheme: "https", Host: "x.com"}
	}
	u = u.JoinPath("i", "oauth2", "authorize")
	if !strings.HasPrefix(u.Path, "/") {
		u.Path = "/" + u.Path
	}
	u.RawQuery = url.Values{
		"response_type":         {"code"},
		"client_id":             {clientID},
		"redirect_uri":          {redirectURI},
		"scope":                 {Scopes},
		"state":                 {state},
		"code_challenge":        {challenge},
		"code_challenge_method": {"S256"},
	}.Encode()
	return u, nil
}

// ExchangeCode trades an authorization code for the token set, sending the
// PKCE verifier, and returns the secret to keep (the JSON of Tokens).
func (n *Network) ExchangeCode(ctx context.Context, server, clientID, clientSecret, code, redirectURI, verifier string) (string, error) {
	u, err := feeds.ServerURL(cmp.Or(server, DefaultServer))
	if err != nil {
		return "", fmt.Errorf("x: %w", err)
	}
	form := url.Values{
		"grant_type": {"authorization_code"}, "code": {strings.TrimSpace(code)},
		"redirect_uri": {redirectURI}, "code_verifier": {verifier},
	}
	t, err := n.tokenRequest(ctx, u, Tokens{ClientID: clientID, ClientSecret: clientSecret}, form)
	if err != nil {
		return "", fmt.Errorf("x: token exchange: %w", err)
	}
	return t.Encode(), nil
}

// Authorize runs the whole browser sign-in with the mission's developer
// app: it listens on a loopback redirect (RFC 8252), opens X's
// authorization page with open, waits for the code until ctx ends, and
// exchanges it. It returns the secret to keep (the JSON of Tokens), which
// SignIn accepts.
func (n *Network) Authorize(ctx context.Context, server, clientID, clientSecret string, open func(*url.URL) error) (string, error) {
	clientID, clientSecret = strings.TrimSpace(clientID), strings.TrimSpace(clientSecret)
	if clientID == "" {
		return "", fmt.Errorf("x: %w", ErrNoClientID)
	}
	state, err := accounts.NewState()
	if err != nil {
		return "", err
	}
	receiver, err := accounts.NewLoopbackReceiver(state)
	if err != nil {
		return "", err
	}
	defer receiver.Close()
	pkce, err := accounts.NewPKCE()
	if err != nil {
		return "", err
	}
	page, err := AuthorizeURL(server, clientID, receiver.RedirectURI(), state, pkce.Challenge)
	if err != nil {
		return "", err
	}
	if err := open(page); err != nil {
		return "", fmt.Errorf("x: open the browser: %w", err)
	}
	code, err := receiver.Wait(ctx)
	if err != nil {
		return "", fmt.Errorf("x: authorization: %w", err)
	}
	return n.ExchangeCode(ctx, server, clientID, clientSecret, code, receiver.RedirectURI(), pkce.Verifier)
}
