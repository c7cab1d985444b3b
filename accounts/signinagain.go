package accounts

import (
	"context"
	"errors"
	"fmt"
)

// SignInAgain checks a new secret for an existing account (after its token
// expired or was revoked), replaces the kept secret, and marks the account
// ok. The account keeps its id, mission and cached posts. Errors never
// contain the secret.
func (w *Workspace) SignInAgain(ctx context.Context, id, secret string, verify Verifier) (Account, error) {
	a, err := w.Account(id)
	if err != nil {
		return Account{}, err
	}
	given, kept := secret, secret
	var checked Account
	if verify != nil {
		if checked, kept, err = verify(ctx, a, secret); err != nil {
			return Account{}, redact(fmt.Errorf("verify account %q on %s: %w", id, a.Server, err), given, kept)
		}
	}
	if kept != "" {
		if w.secrets == nil {
			return Account{}, fmt.Errorf("sign in again: no secret store: %w", ErrKeyringUnavailable)
		}
		store := w.secrets.SetSecret
		if p, ok := w.secrets.(Persister); ok {
			store = p.Persist // a new sign-in goes to the keyring, even if the old one was for this session only
		}
		if err := store(id, kept); err != nil {
			return Account{}, redact(fmt.Errorf("store secret of %q: %w", id, err), given, kept)
		}
	}
	// Only what the server says and the state change, in one transaction:
	// a move made meanwhile stays, a removal is not undone.
	err = w.store.UpdateAccount(id, func(stored *Account) error {
		*stored = completed(*stored, checked)
		stored.State = StateOK
		a = *stored
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrNoAccount) && kept != "" {
			_ = w.secrets.DeleteSecret(id) // removed meanwhile: keep no secret for it
		}
		return Account{}, fmt.Errorf("sign in again %q: %w", id, err)
	}
	return a, nil
}
