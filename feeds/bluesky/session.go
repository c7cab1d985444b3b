package bluesky

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// refreshMargin is how long before its expiry an access token is renewed.
const refreshMargin = 5 * time.Minute

// session is the secret kept for an account, as JSON, in the SecretStore.
type session struct {
	AppPassword string `json:"app_password"`
	AccessJwt   string `json:"access_jwt"`
	RefreshJwt  string `json:"refresh_jwt"`
	DID         string `json:"did"`
	PDS         string `json:"pds"`
	Handle      string `json:"handle"`
	// Entryway is the server the session was created at (bsky.social, or
	// the PDS itself); sessions are refreshed and re-created there, as
	// the official client does, while all other calls go to the PDS.
	Entryway string `json:"entryway,omitempty"`
}

// String hides everything secret, should a session ever be printed.
func (s session) String() string { return "bluesky session " + s.DID + " @ " + s.PDS }

// GoString hides everything secret from %#v too.
func (s session) GoString() string { return s.String() }

// slot holds one account's session. Its one-token channel is a lock that a
// waiting caller can give up on when its context ends.
type slot struct {
	lock chan struct{}
	sess *session
}

func (n *Network) slotFor(accountID string) *slot {
	n.mu.Lock()
	defer n.mu.Unlock()
	sl := n.slots[accountID]
	if sl == nil {
		sl = &slot{lock: make(chan struct{}, 1)}
		n.slots[accountID] = sl
	}
	return sl
}

func (sl *slot) acquire(ctx context.Context) error {
	select {
	case sl.lock <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (sl *slot) release() { <-sl.lock }

// current returns a session of acct whose access token is good for a while,
// loading it from the SecretStore and renewing it as needed.
func (n *Network) current(ctx context.Context, acct accounts.Account) (session, error) {
	sl := n.slotFor(acct.ID)
	if err := sl.acquire(ctx); err != nil {
		return session{}, err
	}
	defer sl.release()
	if sl.sess == nil {
		s, err := n.load(acct)
		if err != nil {
			return session{}, err
		}
		sl.sess = &s
	}
	if n.fresh(sl.sess.AccessJwt) {
		return *sl.sess, nil
	}
	return n.renew(ctx, acct, sl)
}

// invalidate renews acct's session after the server refused the access
// token used, unless another call has renewed it meanwhile.
func (n *Network) invalidate(ctx context.Context, acct accounts.Account, used string) (session, error) {
	sl := n.slotFor(acct.ID)
	if err := sl.acquire(ctx); err != nil {
		return session{}, err
	}
	defer sl.release()
	if sl.sess != nil && sl.sess.AccessJwt != used && n.fresh(sl.sess.AccessJwt) {
		return *sl.sess, nil
	}
	if sl.sess == nil {
		s, err := n.load(acct)
		if err != nil {
			return session{}, err
		}
		sl.sess = &s
	}
	sl.sess.AccessJwt = ""
	return n.renew(ctx, acct, sl)
}

// load reads acct's secret: a JSON session, or a bare app password as typed
// by the user (then the session is created on first use).
func (n *Network) load(acct accounts.Account) (session, error) {
	raw, err := n.secrets.Secret(acct.ID)
	if err != nil {
		return session{}, fmt.Errorf("bluesky %s: %w: %w", acct.ID, feeds.ErrUnauthorized, err)
	}
	var s session
	if strings.HasPrefix(strings.TrimSpace(raw), "{") {
		if err := json.Unmarshal([]byte(raw), &s); err != nil {
			return session{}, fmt.Errorf("bluesky %s: stored session unreadable: %w", acct.ID, feeds.ErrUnauthorized)
		}
	} else {
		s.AppPassword = strings.TrimSpace(raw)
	}
	if s.Handle == "" {
		s.Handle = acct.Handle
	}
	return s, nil
}

// renew refreshes the session in sl, falling back to a new session made
// with the app password when the refresh token is refused. The caller holds
// sl's lock.
func (n *Network) renew(ctx context.Context, acct accounts.Account, sl *slot) (session, error) {
	s := *sl.sess
	if s.RefreshJwt != "" && s.sessionServer() != "" && !n.expired(s.RefreshJwt) {
		next, err := n.refresh(ctx, s)
		if err == nil {
			return n.keep(acct, sl, next), nil
		}
		if !isAuthError(err) {
			return session{}, err
		}
	}
	if s.AppPassword == "" {
		return session{}, fmt.Errorf("bluesky %s: no app password: %w", acct.ID, feeds.ErrUnauthorized)
	}
	server := s.sessionServer()
	if server == "" {
		var err error
		if server, err = n.loginServer(ctx, acct.Server, loginID(s, acct)); err != nil {
			return session{}, err
		}
	}
	out, err := n.createSession(ctx, server, loginID(s, acct), s.AppPassword)
	if err != nil {
		return session{}, err
	}
	next := out.session()
	next.Entryway = server
	next.PDS = docPDS(out.DID, out.DIDDoc, s.PDS)
	if next.PDS == "" {
		if next.PDS, err = n.resolvePDS(ctx, out.DID, out.DIDDoc, server); err != nil {
			return session{}, err
		}
	}
	return n.keep(acct, sl, next), nil
}

// sessionServer is where s is refreshed or re-created: its entryway, else
// (sessions stored before the entryway was kept) its PDS.
func (s session) sessionServer() string {
	if s.Entryway != "" {
		return s.Entryway
	}
	return s.PDS
}

// docPDS returns the PDS named by the DID document a session call returned
// (so a moved account follows its new PDS), else current.
func docPDS(did string, doc json.RawMessage, current string) string {
	var d didDoc
	if len(doc) > 0 && json.Unmarshal(doc, &d) == nil && d.ID == did {
		if pds, err := d.pds(did); err == nil {
			return pds
		}
	}
	return current
}

// loginID is the identifier a session is re-created with: the DID when
// known (it survives handle changes), else the handle.
func loginID(s session, acct accounts.Account) string {
	if s.DID != "" {
		return s.DID
	}
	return strings.TrimPrefix(strings.TrimSpace(acct.Handle), "@")
}

// keep stores next (with the app password of the session it replaces) in
// sl and in the SecretStore. A failed write is not fatal: the tokens stay
// in memory, and the next run signs in again with the app password.
func (n *Network) keep(acct accounts.Account, sl *slot, next session) session {
	next.AppPassword = sl.sess.AppPassword
	if next.PDS == "" {
		next.PDS = sl.sess.PDS
	}
	if next.Entryway == "" {
		next.Entryway = sl.sess.Entryway
	}
	sl.sess = &next
	if blob, err := json.Marshal(next); err == nil {
		_ = n.secrets.SetSecret(acct.ID, string(blob))
	}
	return next
}

// refresh exchanges the refresh token of s for new tokens.
func (n *Network) refresh(ctx context.Context, s session) (session, error) {
	r, err := procedure("com.atproto.server.refreshSession", nil)
	if err != nil {
		return session{}, err
	}
	r.base, r.token = s.sessionServer(), s.RefreshJwt
	var out sessionOutput
	if err := n.do(ctx, r, &out); err != nil {
		return session{}, err
	}
	if out.AccessJwt == "" || out.RefreshJwt == "" || out.DID != s.DID {
		return session{}, fmt.Errorf("refreshSession: no tokens for %s: %w", s.DID, feeds.ErrBadResponse)
	}
	next := out.session()
	next.Entryway = s.Entryway
	next.PDS = docPDS(out.DID, out.DIDDoc, s.PDS)
	return next, nil
}

// createSession signs in at server with an identifier and app password.
// A refused password is reported as feeds.ErrUnauthorized; the password
// never appears in the error.
func (n *Network) createSession(ctx context.Context, server, identifier, password string) (sessionOutput, error) {
	r, err := procedure("com.atproto.server.createSession", map[string]string{
		"identifier": identifier, "password": password,
	})
	if err != nil {
		return sessionOutput{}, err
	}
	r.base = server
	var out sessionOutput
	if err := n.do(ctx, r, &out); err != nil {
		if isAuthError(err) && !errors.Is(err, feeds.ErrUnauthorized) {
			return sessionOutput{}, fmt.Errorf("%w: %w", feeds.ErrUnauthorized, err)
		}
		return sessionOutput{}, err
	}
	if out.AccessJwt == "" || out.RefreshJwt == "" || out.DID == "" {
		return sessionOutput{}, fmt.Errorf("createSession: no tokens: %w", feeds.ErrBadResponse)
	}
	return out, nil
}

// fresh reports whether an access token is present and not about to expire.
// A token whose expiry cannot be read counts as fresh: the server says when
// it is not.
func (n *Network) fresh(jwt string) bool {
	if jwt == "" {
		return false
	}
	exp, ok := jwtExpiry(jwt)
	return !ok || n.now().Add(refreshMargin).Before(exp)
}

// expired reports whether a token's expiry, when readable, has passed.
func (n *Network) expired(jwt string) bool {
	exp, ok := jwtExpiry(jwt)
	return ok && !n.now().Before(exp)
}

// jwtExpiry reads the "exp" claim of a JWT without verifying it.
func jwtExpiry(jwt string) (time.Time, bool) {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return time.Time{}, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}, false
	}
	var claims struct {
		Exp float64 `json:"exp"`
	}
	if json.Unmarshal(payload, &claims) != nil || claims.Exp <= 0 {
		return time.Time{}, false
	}
	return time.Unix(int64(claims.Exp), 0), true
}

// authed sends r to acct's PDS with its access token, renewing the session
// and trying once more if the token is refused.
func (n *Network) authed(ctx context.Context, acct accounts.Account, r request, out any) error {
	s, err := n.current(ctx, acct)
	if err != nil {
		return err
	}
	r.base, r.token = s.PDS, s.AccessJwt
	err = n.do(ctx, r, out)
	if !isAuthError(err) {
		return err
	}
	if s, err = n.invalidate(ctx, acct, s.AccessJwt); err != nil {
		return err
	}
	r.base, r.token = s.PDS, s.AccessJwt
	err = n.do(ctx, r, out)
	if isAuthError(err) && !errors.Is(err, feeds.ErrUnauthorized) {
		return fmt.Errorf("%w: %w", feeds.ErrUnauthorized, err)
	}
	return err
}
