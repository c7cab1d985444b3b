package accounts

import (
	"context"
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
	if verify != nil {
		var checked Account
		if checked, kept, err = verify(ctx, a, secret); err != nil {
			return Account{}, redact(fmt.Errorf("verify account %q on %s: %w", id, a.Server, err), given, kept)
		}
		a = completed(a, checked)
	}
	if kept != "" {
		if w.secrets == nil {
			return Account{}, fmt.Errorf("sign in again: no secret store: %w", ErrKeyringUnavailable)
		}
		if err := w.secrets.SetSecret(id, kept); err != nil {
			return Account{}, redact(fmt.Errorf("store secret of %q: %w", id, err), given, kept)
		}
	}
	a.State = StateOK
	if err := w.store.PutAccount(a); err != nil {
		return Account{}, fmt.Errorf("sign in again %q: %w", id, err)
	}
	return a, nil
}
