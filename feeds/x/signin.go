package x

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/translations"
)

// ErrNoClientID: an X sign-in needs the client id of the mission's own
// developer app.
var ErrNoClientID = translations.NewProblem("x.error.no_client_id", "the client id of the developer app is missing")

// stateMe keeps the account's own user id and name.
const stateMe = "x.me"

type me struct {
	ID       string `json:"id"`
	Username string `json:"username"`
}

// SignIn checks secret (the JSON of Tokens, as Authorize returns it)
// against X with GET /2/users/me, refreshing the token first if it is about
// to expire. It returns acct completed with the server, handle
// (@username), display name and picture, and the secret to keep (the
// token set as it is after any refresh).
func (n *Network) SignIn(ctx context.Context, acct accounts.Account, secret string) (accounts.Account, string, error) {
	tok, err := ParseTokens(secret)
	if err != nil {
		return acct, "", fmt.Errorf("x sign-in: %w", err)
	}
	server, err := feeds.ServerURL(serverOf(acct))
	if err != nil {
		return acct, "", fmt.Errorf("x sign-in: %w", err)
	}
	s := &session{n: n, acct: acct, server: server, tokens: tok}
	if tok.expiring(n.now()) {
		form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}}
		if s.tokens, err = n.tokenRequest(ctx, server, tok, form); err != nil {
			return acct, "", fmt.Errorf("x sign-in: %w", err)
		}
	}
	u, err := s.me(ctx, false)
	if err != nil {
		return acct, "", fmt.Errorf("x sign-in: %w", s.scrub(err))
	}
	acct.Server = server.String()
	acct.Handle = "@" + u.Username
	acct.DisplayName = feeds.Clip(u.Name, feeds.MaxNameLen)
	acct.AvatarURL = u.ProfileImageURL
	_ = n.saveState(acct.ID, stateMe, me{ID: u.ID, Username: u.Username})
	return acct, s.tokens.Encode(), nil
}

func serverOf(acct accounts.Account) string {
	if acct.Server == "" {
		return DefaultServer
	}
	return acct.Server
}

// me reads the signed-in user (GET /2/users/me); with retry, through the
// session's refresh-and-retry (SignIn checks a secret not kept yet: it
// has none to refresh).
func (s *session) me(ctx context.Context, retry bool) (user, error) {
	var ans struct {
		Data user `json:"data"`
	}
	q := url.Values{"user.fields": {"name,username,profile_image_url"}}
	send := s.send
	if retry {
		send = s.do
	}
	body, _, err := send(ctx, call{method: http.MethodGet, path: []string{"2", "users", "me"}, query: q})
	if err != nil {
		return user{}, err
	}
	if err := decode(body, "2/users/me", &ans); err != nil {
		return user{}, err
	}
	if ans.Data.ID == "" || ans.Data.Username == "" {
		return user{}, fmt.Errorf("x: users/me without id: %w", feeds.ErrBadResponse)
	}
	s.n.charge(s.acct.ID, true, s.n.prices.UserRead)
	return ans.Data, nil
}

// ownID returns the account's user id, from the state or from X.
func (s *session) ownID(ctx context.Context) (string, error) {
	var m me
	if s.n.loadState(s.acct.ID, stateMe, &m) && m.ID != "" {
		return m.ID, nil
	}
	u, err := s.me(ctx, true)
	if err != nil {
		return "", err
	}
	_ = s.n.saveState(s.acct.ID, stateMe, me{ID: u.ID, Username: u.Username})
	return u.ID, nil
}

// ownName returns the account's username, if known.
func (n *Network) ownName(acct accounts.Account) string {
	var m me
	if n.loadState(acct.ID, stateMe, &m) {
		return m.Username
	}
	return ""
}
