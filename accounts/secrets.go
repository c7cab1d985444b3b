package accounts

import "chancery/translations"

// SecretStore keeps each account's secret (token, app password, refresh
// token…) outside the profile: in the OS keyring, or in memory for this run
// only. Secrets never go to bbolt, settings, logs or exports.
type SecretStore interface {
	// Secret returns the account's secret, or an error wrapping ErrNoSecret.
	Secret(accountID string) (string, error)
	// SetSecret stores or replaces the account's secret.
	SetSecret(accountID, secret string) error
	// DeleteSecret removes the account's secret; a missing one is not an error.
	DeleteSecret(accountID string) error
}

// Errors of secret stores.
var (
	ErrNoSecret           = translations.NewProblem("error.no_secret", "no secret stored for this account")
	ErrKeyringUnavailable = translations.NewProblem("error.keyring_unavailable", "the OS keyring is not available")
)
