package x

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/translations"
)

// ErrSignInExpired: X refused to refresh the sign-in (the grant expired or
// was revoked): the user must sign in again.
var ErrSignInExpired = translations.NewProblem("x.error.sign_in_expired", "the x sign-in expired or was revoked")

// refreshMargin is how long before its expiry an access token is renewed.
const refreshMargin = 2 * time.Minute

// Tokens are what this package keeps as an account's secret, as one JSON
// value in the keyring: the developer app's client id and optional client
// secret, and the OAuth 2.0 token set.
type Tokens struct {
	ClientID     string    `json:"client_id"`
	ClientSecret string    `json:"client_secret,omitempty"`
	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	ExpiresAt    time.Time `json:"expires_at,omitzero"`
}

// Encode returns the secret to keep.
func (t Tokens) Encode() string {
	b, _ := json.Marshal(t) // strings and a time: cannot fail
	return string(b)
}

// expiring reports whether the access token expires within refreshMargin
// and can be refreshed.
func (t Tokens) expiring(now time.Time) bool {
	return t.RefreshToken != "" && !t.ExpiresAt.IsZero() && now.Add(refreshMargin).After(t.ExpiresAt)
}

// ParseTokens reads a kept secret.
func ParseTokens(secret string) (Tokens, error) {
	var t Tokens
	if err := json.Unmarshal([]byte(strings.TrimSpace(secret)), &t); err != nil {
		return Tokens{}, fmt.Errorf("x: stored sign-in unreadable: %w", feeds.ErrUnauthorized)
	}
	t.AccessToken = strings.TrimSpace(t.AccessToken)
	if t.AccessToken == "" || strings.ContainsAny(t.AccessToken, " \t\r\n") {
		return Tokens{}, fmt.Errorf("x: no usable access token: %w", feeds.ErrUnauthorized)
	}
	return t, nil
}

func (n *Network) tokensOf(acct accounts.Account) (Tokens, error) {
	secret, err := n.secrets.Secret(acct.ID)
	if err != nil {
		return Tokens{}, fmt.Errorf("x %s: %w: %w", acct.ID, feeds.ErrUnauthorized, err)
	}
	return ParseTokens(secret)
}

// refreshLock returns the lock that serialises acct's token refreshes.
func (n *Network) refreshLock(accountID string) *sync.Mutex {
	n.mu.Lock()
	defer n.mu.Unlock()
	m, ok := n.refresh[accountID]
	if !ok {
		m = &sync.Mutex{}
		n.refresh[accountID] = m
	}
	return m
}

// refresh renews the session's tokens when the kept ones are still those
// with access token stale (another call may have renewed them meanwhile),
// and keeps the new set in the secret store. X's refresh tokens are for one
// use: two refreshes at once would sign the account out.
func (s *session) refresh(ctx context.Context, stale string) error {
	lock := s.n.refreshLock(s.acct.ID)
	lock.Lock()
	defer lock.Unlock()
	kept, err := s.n.tokensOf(s.acct)
	if err != nil {
		return err
	}
	if kept.AccessToken != stale {
		s.tokens = kept
		return nil
	}
	if kept.RefreshToken == "" {
		return fmt.Errorf("x %s: %w: %w", s.acct.ID, ErrSignInExpired, feeds.ErrUnauthorized)
	}
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {kept.RefreshToken}}
	fresh, err := s.n.tokenRequest(ctx, s.server, kept, form)
	if err != nil {
		return fmt.Errorf("x %s: refresh sign-in: %w", s.acct.ID, err)
	}
	if err := s.n.secrets.SetSecret(s.acct.ID, fresh.Encode()); err != nil {
		return fmt.Errorf("x %s: keep refreshed sign-in: %w", s.acct.ID, err)
	}
	s.tokens = fresh
	return nil
}

// tokenAnswer is the token endpoint's answer.
type tokenAnswer struct {
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	Scope        string `json:"scope"`
}

// tokenRequest posts form to POST /2/oauth2/token as client (Basic
// authentication for a confidential client, client_id in the form for a
// public one) and returns the new token set. A refused grant is
// ErrSignInExpired with feeds.ErrUnauthorized.
func (n *Network) tokenRequest(ctx context.Context, server *url.URL, client Tokens, form url.Values) (Tokens, error) {
	form.Set("client_id", client.ClientID)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, server.JoinPath("2", "oauth2", "token").String(), strings.NewReader(form.Encode()))
	if err != nil {
		return Tokens{}, fmt.Errorf("x: token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if client.ClientSecret != "" {
		req.SetBasicAuth(url.QueryEscape(client.ClientID), url.QueryEscape(client.ClientSecret))
	}
	req.GetBody = nil
	callCtx, cancel := withTimeout(ctx, n.timeout)
	defer cancel()
	body, _, err := feeds.Do(n.client, req.WithContext(callCtx), feeds.MaxBody)
	secrets := []string{client.ClientSecret, form.Get("refresh_token"), form.Get("code"), form.Get("code_verifier")}
	switch feeds.Classify(err) {
	case feeds.OutcomeRefused, feeds.OutcomeUnauthorized:
		return Tokens{}, scrubSecrets(fmt.Errorf("%w: %w: %w", ErrSignInExpired, feeds.ErrUnauthorized, err), secrets...)
	}
	if err != nil {
		return Tokens{}, scrubSecrets(err, secrets...)
	}
	var ans tokenAnswer
	if err := decode(body, "2/oauth2/token", &ans); err != nil {
		return Tokens{}, err
	}
	if strings.TrimSpace(ans.AccessToken) == "" {
		return Tokens{}, fmt.Errorf("x: token answer without access token: %w", feeds.ErrBadResponse)
	}
	t := Tokens{ClientID: client.ClientID, ClientSecret: client.ClientSecret, AccessToken: ans.AccessToken, RefreshToken: ans.RefreshToken}
	if t.RefreshToken == "" {
		t.RefreshToken = form.Get("refresh_token") // X rotates it; keep the old one if it did not
	}
	if ans.ExpiresIn > 0 {
		t.ExpiresAt = n.now().Add(time.Duration(ans.ExpiresIn) * time.Second).UTC()
	}
	return t, nil
}
