package accounts_test

import (
	"errors"
	"testing"

	"chancery/accounts"
)

func TestMemorySecrets(t *testing.T) {
	m := accounts.NewMemorySecrets()
	if _, err := m.Secret("a"); !errors.Is(err, accounts.ErrNoSecret) {
		t.Errorf("missing: %v", err)
	}
	if err := m.SetSecret("a", "s"); err != nil {
		t.Fatal(err)
	}
	if got, err := m.Secret("a"); err != nil || got != "s" {
		t.Errorf("Secret() = %q, %v", got, err)
	}
	if err := m.SetSecret("a", ""); err == nil {
		t.Errorf("empty secret accepted")
	}
	if err := m.DeleteSecret("a"); err != nil {
		t.Fatal(err)
	}
	if err := m.DeleteSecret("a"); err != nil {
		t.Errorf("deleting a missing secret: %v", err)
	}
	if _, err := m.Secret("a"); !errors.Is(err, accounts.ErrNoSecret) {
		t.Errorf("deleted: %v", err)
	}
}

func TestSessionSecrets(t *testing.T) {
	persistent := newSpySecrets()
	s := accounts.NewSessionSecrets(persistent)
	if err := s.KeepForSession("a", "in-memory"); err != nil {
		t.Fatal(err)
	}
	if len(persistent.calls) != 0 {
		t.Errorf("session secret reached the persistent store: %v", persistent.calls)
	}
	if got, err := s.Secret("a"); err != nil || got != "in-memory" {
		t.Errorf("Secret() = %q, %v", got, err)
	}
	// Signing in again with a working keyring moves the secret there.
	if err := s.Persist("a", "kept"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Secret("a"); err != nil || got != "kept" || !persistent.has("a") {
		t.Errorf("after SetSecret: %q, %v", got, err)
	}
	if err := s.DeleteSecret("a"); err != nil || persistent.has("a") {
		t.Errorf("DeleteSecret: %v", err)
	}
	// A locked keyring does not block deleting a session-only secret…
	persistent.failCalls = accounts.ErrKeyringUnavailable
	_ = s.KeepForSession("b", "in-memory")
	if err := s.DeleteSecret("b"); err != nil {
		t.Errorf("deleting a session secret with the keyring locked: %v", err)
	}
	// …but it is reported for secrets that may be in the keyring.
	if err := s.DeleteSecret("c"); !errors.Is(err, accounts.ErrKeyringUnavailable) {
		t.Errorf("deleting a keyring secret with the keyring locked: %v", err)
	}
	if err := s.SetSecret("d", "x"); !errors.Is(err, accounts.ErrKeyringUnavailable) {
		t.Errorf("SetSecret with the keyring locked: %v", err)
	}
	if err := s.Probe(); err != nil {
		t.Errorf("Probe over a store that cannot be probed: %v", err)
	}
}

// A network that refreshes a token stores the new one with SetSecret: for
// an account the user chose to keep for this session only, it stays in
// memory and never reaches the keyring, not even when the refresh ends
// after the account was removed.
func TestRefreshedSessionSecretStaysInMemory(t *testing.T) {
	persistent := newSpySecrets()
	s := accounts.NewSessionSecrets(persistent)
	if err := s.KeepForSession("session", "token-1"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSecret("session", "token-2"); err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if got, err := s.Secret("session"); err != nil || got != "token-2" {
		t.Errorf("after the refresh: %q, %v", got, err)
	}
	if err := s.DeleteSecret("session"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSecret("session", "token-3"); err != nil { // a refresh that was in flight
		t.Fatalf("late refresh: %v", err)
	}
	for _, c := range persistent.calls {
		if c == "set session" {
			t.Errorf("a session-only secret reached the keyring: %v", persistent.calls)
		}
	}
	// An account kept in the keyring has its refreshed token kept there.
	if err := s.SetSecret("kept", "token-1"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSecret("kept", "token-2"); err != nil {
		t.Fatal(err)
	}
	if got, err := persistent.Secret("kept"); err != nil || got != "token-2" {
		t.Errorf("keyring holds %q, %v", got, err)
	}
}
