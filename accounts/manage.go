package accounts

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"

	"chancery/translations"
)

// Verifier checks secret against acct's server before the account is saved.
// acct carries Mission, Network, Server and, when the user gave one, Handle.
// It returns the account completed from what the server says and the secret
// to keep, which may differ from the one given (a session, a token set). A
// network's feeds.SignIn method value is a Verifier.
type Verifier func(ctx context.Context, acct Account, secret string) (Account, string, error)

// ErrNoServer: an account was added without a server address.
var ErrNoServer = translations.NewProblem("error.no_server", "no server address")

// TakesSecret reports whether accounts of n sign in with a secret (a token,
// an app password) kept in the SecretStore. RSS feeds and demo accounts
// take none.
func (n Network) TakesSecret() bool {
	switch n {
	case RSS, Demo:
		return false
	}
	return true
}

// AddAccount creates an account in three steps, so that nothing is left half
// created: verify checks the secret against the server (a nil verify skips
// this, for networks that need no credentials), then the secret (if any
// remains) goes to the SecretStore, then the account to the Store. If the
// Store write fails, the secret is deleted again. The returned account has
// a new id of the form <mission>-<network>-<random>. Errors never contain
// the secret.
func (w *Workspace) AddAccount(ctx context.Context, acct Account, secret string, verify Verifier) (Account, error) {
	var keep func(id, secret string) error
	if w.secrets != nil {
		keep = w.secrets.SetSecret
	}
	return w.add(ctx, acct, secret, verify, keep)
}

// AddAccountForSession is AddAccount for when the user chose to keep the
// secret in memory for this run only, because the OS keyring is not
// available. The workspace's SecretStore must be a SessionKeeper.
func (w *Workspace) AddAccountForSession(ctx context.Context, acct Account, secret string, verify Verifier) (Account, error) {
	keeper, ok := w.secrets.(SessionKeeper)
	if !ok {
		return Account{}, errors.New("add account: the secret store cannot keep secrets for this session")
	}
	return w.add(ctx, acct, secret, verify, keeper.KeepForSession)
}

func (w *Workspace) add(ctx context.Context, acct Account, secret string, verify Verifier, keep func(id, secret string) error) (Account, error) {
	acct, err := w.prepare(acct)
	if err != nil {
		return Account{}, fmt.Errorf("add account: %w", err)
	}
	given := secret
	if verify != nil {
		checked, kept, err := verify(ctx, acct, secret)
		if err != nil {
			return Account{}, redact(fmt.Errorf("verify account on %s: %w", acct.Server, err), given, kept)
		}
		acct, secret = completed(acct, checked), kept
	}
	if secret != "" {
		if keep == nil {
			return Account{}, fmt.Errorf("add account: no secret store: %w", ErrKeyringUnavailable)
		}
		if err := keep(acct.ID, secret); err != nil {
			return Account{}, redact(fmt.Errorf("store secret of %q: %w", acct.ID, err), given, secret)
		}
	}
	if err := w.store.PutAccount(acct); err != nil {
		err = fmt.Errorf("save account %q: %w", acct.ID, err)
		if secret != "" {
			if delErr := w.secrets.DeleteSecret(acct.ID); delErr != nil {
				err = errors.Join(err, fmt.Errorf("delete its secret again: %w", delErr))
			}
		}
		return Account{}, redact(err, given, secret)
	}
	return acct, nil
}

// prepare checks a new account's mission, network and server and gives it
// an id, a position after every other account, a state and a time.
func (w *Workspace) prepare(acct Account) (Account, error) {
	network, err := ParseNetwork(string(acct.Network))
	if err != nil {
		return Account{}, err
	}
	if _, err := w.Mission(acct.Mission); err != nil {
		return Account{}, err
	}
	acct.Server = strings.TrimSpace(acct.Server)
	if acct.Server == "" {
		return Account{}, ErrNoServer
	}
	existing, err := w.Accounts()
	if err != nil {
		return Account{}, err
	}
	taken := make(map[string]bool, len(existing))
	acct.Position = 0
	for _, a := range existing {
		taken[a.ID] = true
		acct.Position = max(acct.Position, a.Position+1)
	}
	acct.ID = newAccountID(acct.Mission, network, taken)
	acct.Network = network
	acct.State = StateOK
	acct.CreatedAt = w.now().UTC()
	acct.Handle = strings.TrimSpace(acct.Handle)
	return acct, nil
}

// newAccountID returns "<mission>-<network>-<6 random letters and digits>",
// readable and stable for the account's life, unlike any id in taken.
func newAccountID(mission string, network Network, taken map[string]bool) string {
	for {
		id := mission + "-" + string(network) + "-" + strings.ToLower(rand.Text()[:6])
		if !taken[id] {
			return id
		}
	}
}

// completed takes what the server says about an account (handle, display
// name, canonical server, picture, feeds) into ours; the id, mission,
// network and bookkeeping stay ours.
func completed(ours, server Account) Account {
	if s := strings.TrimSpace(server.Server); s != "" {
		ours.Server = s
	}
	if server.Handle != "" {
		ours.Handle = server.Handle
	}
	if server.DisplayName != "" {
		ours.DisplayName = server.DisplayName
	}
	if server.AvatarURL != "" {
		ours.AvatarURL = server.AvatarURL
	}
	if len(server.Feeds) > 0 {
		ours.Feeds = server.Feeds
	}
	return ours
}

// RemoveAccount deletes an account's secret (a missing one is fine), then
// the account and its cached posts. If the secret cannot be deleted (the
// keyring is unavailable), the account is kept, so that no secret is left
// behind without an account to find it by. Accounts of networks that take
// no secret (RSS, demo) never touch the SecretStore.
func (w *Workspace) RemoveAccount(id string) error {
	a, err := w.Account(id)
	if err != nil {
		return err
	}
	if a.Network.TakesSecret() && w.secrets != nil {
		if err := w.secrets.DeleteSecret(id); err != nil && !errors.Is(err, ErrNoSecret) {
			return fmt.Errorf("remove account %q: delete its secret: %w", id, err)
		}
	}
	if err := w.store.DeleteAccount(id); err != nil {
		return fmt.Errorf("remove account %q: %w", id, err)
	}
	return nil
}

// MoveAccount moves an account to another mission, after that mission's
// other accounts. The account keeps its id, secret and cached posts.
func (w *Workspace) MoveAccount(id, mission string) error {
	a, err := w.Account(id)
	if err != nil {
		return err
	}
	if a.Mission == mission {
		return nil
	}
	if _, err := w.Mission(mission); err != nil {
		return err
	}
	existing, err := w.Accounts()
	if err != nil {
		return err
	}
	for _, e := range existing {
		a.Position = max(a.Position, e.Position+1)
	}
	position := a.Position
	err = w.store.UpdateAccount(id, func(a *Account) error {
		a.Mission, a.Position = mission, position
		return nil
	})
	if err != nil {
		return fmt.Errorf("move account %q to %q: %w", id, mission, err)
	}
	return nil
}

// redactedError is an error whose text had a secret cut out. It unwraps to
// the sentinel Problems and context errors of the original only, so that no
// error in its chain can print the secret.
type redactedError struct {
	text  string
	kinds []error
}

func (e *redactedError) Error() string   { return e.text }
func (e *redactedError) Unwrap() []error { return e.kinds }

// redact returns err unchanged when its text contains none of secrets, else
// a redactedError.
func redact(err error, secrets ...string) error {
	text := err.Error()
	for _, s := range secrets {
		if s != "" {
			text = strings.ReplaceAll(text, s, "[secret]")
		}
	}
	if text == err.Error() {
		return err
	}
	return &redactedError{text: text, kinds: sentinels(err, nil)}
}

// sentinels collects the Problems and context errors in err's tree.
func sentinels(err error, out []error) []error {
	if err == context.Canceled || err == context.DeadlineExceeded {
		return append(out, err)
	}
	switch u := err.(type) {
	case nil:
		return out
	case *translations.Problem:
		return append(out, u)
	case interface{ Unwrap() error }:
		return sentinels(u.Unwrap(), out)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			out = sentinels(e, out)
		}
	}
	return out
}
