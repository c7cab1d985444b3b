package accounts

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zalando/go-keyring"

	"chancery/translations"
)

// KeyringService is the service name under which every secret is kept in
// the OS keyring; the user name is the account id.
const KeyringService = "chancery"

// DefaultKeyringTimeout bounds every keyring call of NewKeyring.
const DefaultKeyringTimeout = 5 * time.Second

// ErrSecretTooLarge: the keyring refused a secret for its size.
var ErrSecretTooLarge = translations.NewProblem("error.secret_too_large", "secret too large for the keyring")

// KeyringBackend is the raw keyring Keyring talks to: go-keyring's package
// functions in the application (OSKeyring), a stand-in in tests.
type KeyringBackend interface {
	Set(service, user, password string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

// OSKeyring returns the backend over go-keyring: the Secret Service on Linux
// and BSD, the Keychain on macOS, the Credential Manager on Windows (or
// go-keyring's mock after keyring.MockInit).
func OSKeyring() KeyringBackend { return osKeyring{} }

type osKeyring struct{}

func (osKeyring) Set(service, user, password string) error {
	return keyring.Set(service, user, password)
}
func (osKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (osKeyring) Delete(service, user string) error        { return keyring.Delete(service, user) }

// Keyring is the SecretStore over the OS keyring. Every call is bounded by
// a timeout: a keyring that hangs (a D-Bus service that never answers, an
// unlock prompt nobody sees) yields an error wrapping ErrKeyringUnavailable
// instead of blocking the caller. Calls run one at a time, so a hung call
// leaves at most one goroutine behind. Errors never contain the secret.
type Keyring struct {
	backend KeyringBackend
	timeout time.Duration
	turn    chan struct{} // holds a token while a backend call runs
}

var _ SecretStore = (*Keyring)(nil)

// NewKeyring returns the Keyring over the OS keyring with the default timeout.
func NewKeyring() *Keyring { return NewKeyringWith(OSKeyring(), DefaultKeyringTimeout) }

// NewKeyringWith returns a Keyring over backend whose calls give up after
// timeout (DefaultKeyringTimeout if timeout is not positive).
func NewKeyringWith(backend KeyringBackend, timeout time.Duration) *Keyring {
	if timeout <= 0 {
		timeout = DefaultKeyringTimeout
	}
	return &Keyring{backend: backend, timeout: timeout, turn: make(chan struct{}, 1)}
}

// Secret returns the account's secret, or an error wrapping ErrNoSecret or
// ErrKeyringUnavailable.
func (k *Keyring) Secret(accountID string) (string, error) {
	if accountID == "" {
		return "", errors.New("keyring get: empty account id")
	}
	s, err := call(k, "get", func() (string, error) { return k.backend.Get(KeyringService, accountID) })
	if err != nil {
		return "", classify("get", accountID, err, "")
	}
	return s, nil
}

// SetSecret stores or replaces the account's secret.
func (k *Keyring) SetSecret(accountID, secret string) error {
	if accountID == "" || secret == "" {
		return errors.New("keyring set: empty account id or secret")
	}
	_, err := call(k, "set", func() (struct{}, error) {
		return struct{}{}, k.backend.Set(KeyringService, accountID, secret)
	})
	if err != nil {
		return classify("set", accountID, err, secret)
	}
	return nil
}

// DeleteSecret removes the account's secret; a missing one is not an error.
func (k *Keyring) DeleteSecret(accountID string) error {
	if accountID == "" {
		return errors.New("keyring delete: empty account id")
	}
	_, err := call(k, "delete", func() (struct{}, error) {
		return struct{}{}, k.backend.Delete(KeyringService, accountID)
	})
	if err = classify("delete", accountID, err, ""); err != nil && !errors.Is(err, ErrNoSecret) {
		return err
	}
	return nil
}

// Probe checks that the keyring works by storing, reading back and deleting
// a throwaway entry. It returns nil, or an error wrapping
// ErrKeyringUnavailable that the GUI and CLI show before asking for a secret.
func (k *Keyring) Probe() error {
	user, value := "probe-"+rand.Text(), rand.Text()
	if err := k.SetSecret(user, value); err != nil {
		return fmt.Errorf("probe keyring: %w", asUnavailable(err))
	}
	got, err := k.Secret(user)
	delErr := k.DeleteSecret(user)
	switch {
	case err != nil:
		return fmt.Errorf("probe keyring: %w", asUnavailable(err))
	case got != value:
		return fmt.Errorf("probe keyring: read back a different value: %w", ErrKeyringUnavailable)
	case delErr != nil:
		return fmt.Errorf("probe keyring: %w", asUnavailable(delErr))
	}
	return nil
}

// asUnavailable makes sure err wraps ErrKeyringUnavailable.
func asUnavailable(err error) error {
	if errors.Is(err, ErrKeyringUnavailable) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrKeyringUnavailable, err)
}

// call runs fn on its own goroutine, after any call still in progress, and
// gives up when the keyring's timeout has passed since call was entered.
func call[T any](k *Keyring, op string, fn func() (T, error)) (T, error) {
	var zero T
	timer := time.NewTimer(k.timeout)
	defer timer.Stop()
	select {
	case k.turn <- struct{}{}:
	case <-timer.C:
		return zero, fmt.Errorf("keyring %s: an earlier call is still waiting for the keyring: %w", op, errTimeout)
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() { <-k.turn }()
		defer func() {
			if p := recover(); p != nil {
				done <- result{err: fmt.Errorf("keyring %s: backend panicked", op)}
			}
		}()
		v, err := fn()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-timer.C:
		return zero, fmt.Errorf("keyring %s: no answer within %s: %w", op, k.timeout, errTimeout)
	}
}

// errTimeout marks a keyring call that did not answer in time.
var errTimeout = errors.New("keyring timed out")

// classify maps a backend error to this package's sentinels. The backend's
// own text is kept for the detail line, with the secret (if it ever
// appears there) cut out; its error chain is dropped, so no wrapped value
// can carry the secret either.
func classify(op, accountID string, err error, secret string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound):
		return fmt.Errorf("keyring %s %q: %w", op, accountID, ErrNoSecret)
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return fmt.Errorf("keyring %s %q: %w", op, accountID, ErrSecretTooLarge)
	}
	text := err.Error()
	if secret != "" {
		text = strings.ReplaceAll(text, secret, "[secret]")
	}
	if errors.Is(err, errTimeout) {
		return fmt.Errorf("%s: %w", text, ErrKeyringUnavailable)
	}
	return fmt.Errorf("keyring %s %q: %s: %w", op, accountID, text, ErrKeyringUnavailable)
}
