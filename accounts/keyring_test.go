package accounts_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"chancery/accounts"
)

// These tests swap go-keyring's process-wide provider with keyring.MockInit;
// the test against the real Secret Service lives in accounts/keyringtest.

func TestKeyringOverMock(t *testing.T) {
	keyring.MockInit()
	k := accounts.NewKeyring()
	if _, err := k.Secret("vienna-mastodon-abc123"); !errors.Is(err, accounts.ErrNoSecret) {
		t.Fatalf("missing secret: %v, want ErrNoSecret", err)
	}
	if err := k.SetSecret("vienna-mastodon-abc123", "s3cret"); err != nil {
		t.Fatal(err)
	}
	if got, err := keyring.Get(accounts.KeyringService, "vienna-mastodon-abc123"); err != nil || got != "s3cret" {
		t.Fatalf("go-keyring sees %q, %v under service %q", got, err, accounts.KeyringService)
	}
	if err := k.SetSecret("vienna-mastodon-abc123", "n3w"); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Secret("vienna-mastodon-abc123"); err != nil || got != "n3w" {
		t.Fatalf("Secret() = %q, %v after replace", got, err)
	}
	if err := k.DeleteSecret("vienna-mastodon-abc123"); err != nil {
		t.Fatal(err)
	}
	if err := k.DeleteSecret("vienna-mastodon-abc123"); err != nil {
		t.Errorf("deleting a missing secret: %v, want nil", err)
	}
	if _, err := k.Secret("vienna-mastodon-abc123"); !errors.Is(err, accounts.ErrNoSecret) {
		t.Errorf("deleted secret: %v", err)
	}
	if err := k.Probe(); err != nil {
		t.Errorf("Probe() = %v", err)
	}
	for _, bad := range [][2]string{{"", "x"}, {"id", ""}} {
		if err := k.SetSecret(bad[0], bad[1]); err == nil {
			t.Errorf("SetSecret(%q, %q) accepted", bad[0], bad[1])
		}
	}
}

func TestKeyringErrorMapping(t *testing.T) {
	cases := []struct {
		name    string
		backend error
		want    error
	}{
		{"no secret service", errors.New("The name org.freedesktop.secrets was not provided by any .service files"), accounts.ErrKeyringUnavailable},
		{"locked", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), accounts.ErrKeyringUnavailable},
		{"unsupported platform", keyring.ErrUnsupportedPlatform, accounts.ErrKeyringUnavailable},
		{"too big", keyring.ErrSetDataTooBig, accounts.ErrSecretTooLarge},
		{"not found", keyring.ErrNotFound, accounts.ErrNoSecret},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			keyring.MockInitWithError(c.backend)
			k := accounts.NewKeyring()
			if err := k.SetSecret("a", "s"); !errors.Is(err, c.want) {
				t.Errorf("SetSecret: %v, want %v", err, c.want)
			}
			if _, err := k.Secret("a"); !errors.Is(err, c.want) {
				t.Errorf("Secret: %v, want %v", err, c.want)
			}
			err := k.DeleteSecret("a")
			if c.want == accounts.ErrNoSecret {
				if err != nil {
					t.Errorf("DeleteSecret of a missing secret: %v", err)
				}
			} else if !errors.Is(err, c.want) {
				t.Errorf("DeleteSecret: %v, want %v", err, c.want)
			}
			if err := k.Probe(); !errors.Is(err, accounts.ErrKeyringUnavailable) {
				t.Errorf("Probe: %v, want ErrKeyringUnavailable", err)
			}
		})
	}
}

// echoBackend fails every call with an error that quotes the password, as
// a careless backend might.
type echoBackend struct{}

func (echoBackend) Set(_, _, password string) error { return errors.New("cannot store " + password) }
func (echoBackend) Get(_, _ string) (string, error) { return "", errors.New("broken") }
func (echoBackend) Delete(_, _ string) error        { return errors.New("broken") }

func TestKeyringErrorsNeverContainTheSecret(t *testing.T) {
	k := accounts.NewKeyringWith(echoBackend{}, time.Second)
	err := k.SetSecret("a", "hunter2-distinctive")
	if err == nil || strings.Contains(err.Error(), "hunter2-distinctive") {
		t.Fatalf("SetSecret error %q must exist and not contain the secret", err)
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		if strings.Contains(e.Error(), "hunter2-distinctive") {
			t.Errorf("wrapped error %q contains the secret", e)
		}
	}
	if !errors.Is(err, accounts.ErrKeyringUnavailable) {
		t.Errorf("error %v does not wrap ErrKeyringUnavailable", err)
	}
}

// hungBackend never answers until release is closed, like a Secret Service
// waiting on an unlock prompt nobody sees.
type hungBackend struct {
	release chan struct{}
}

func (h *hungBackend) wait() { <-h.release }
func (h *hungBackend) Set(_, _, _ string) error {
	h.wait()
	return nil
}

func (h *hungBackend) Get(_, _ string) (string, error) {
	h.wait()
	return "late", nil
}

func (h *hungBackend) Delete(_, _ string) error {
	h.wait()
	return nil
}

func TestKeyringTimeout(t *testing.T) {
	h := &hungBackend{release: make(chan struct{})}
	const timeout = 100 * time.Millisecond
	k := accounts.NewKeyringWith(h, timeout)
	calls := map[string]func() error{
		"get":    func() error { _, err := k.Secret("a"); return err },
		"set":    func() error { return k.SetSecret("a", "s") },
		"delete": func() error { return k.DeleteSecret("a") },
		"probe":  k.Probe,
	}
	for name, call := range calls {
		start := time.Now()
		err := call()
		took := time.Since(start)
		if !errors.Is(err, accounts.ErrKeyringUnavailable) {
			t.Errorf("%s on a hung keyring: %v, want ErrKeyringUnavailable", name, err)
		}
		// Generous upper bound: a loaded CI machine may run timers late,
		// but a call that blocked on the hung backend would never return.
		if took < timeout || took > 10*time.Second {
			t.Errorf("%s returned after %v, want about %v", name, took, timeout)
		}
	}
	close(h.release)
	// Once the keyring answers again, so do the calls.
	deadline := time.Now().Add(time.Minute)
	for {
		got, err := k.Secret("a")
		if err == nil && got == "late" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("keyring still failing after release: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// panicBackend panics on every call.
type panicBackend struct{}

func (panicBackend) Set(_, _, _ string) error        { panic("boom") }
func (panicBackend) Get(_, _ string) (string, error) { panic("boom") }
func (panicBackend) Delete(_, _ string) error        { panic("boom") }

func TestKeyringBackendPanicIsAnError(t *testing.T) {
	k := accounts.NewKeyringWith(panicBackend{}, time.Second)
	if _, err := k.Secret("a"); !errors.Is(err, accounts.ErrKeyringUnavailable) {
		t.Errorf("panicking backend: %v", err)
	}
	if err := k.SetSecret("a", "s"); !errors.Is(err, accounts.ErrKeyringUnavailable) {
		t.Errorf("panicking backend (after one panic): %v", err)
	}
}

// TestKeyringConcurrentUse runs under -race: go-keyring's mock, like some
// real backends, is not safe for concurrent use, so Keyring serializes.
func TestKeyringConcurrentUse(t *testing.T) {
	keyring.MockInit()
	k := accounts.NewKeyring()
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			id := "acct-" + string(rune('a'+i))
			if err := k.SetSecret(id, "s-"+id); err != nil {
				t.Error(err)
			}
			if got, err := k.Secret(id); err != nil || got != "s-"+id {
				t.Errorf("Secret(%s) = %q, %v", id, got, err)
			}
		})
	}
	wg.Wait()
}
