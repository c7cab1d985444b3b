package keyringtest

import (
	"context"
	"crypto/rand"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"chancery/accounts"
	"chancery/storage"
)

// realKeyring skips the test unless scripts/with-keyring.sh provides a real,
// unlocked Secret Service.
func realKeyring(t *testing.T) *accounts.Keyring {
	t.Helper()
	if os.Getenv("CHANCERY_REAL_KEYRING") != "1" {
		t.Skip("needs the real OS keyring: run under scripts/with-keyring.sh (as make unit does), which sets CHANCERY_REAL_KEYRING=1")
	}
	k := accounts.NewKeyring()
	if err := k.Probe(); err != nil {
		t.Fatalf("CHANCERY_REAL_KEYRING=1 but the keyring does not work: %v", err)
	}
	return k
}

func TestAccountSecretInRealKeyring(t *testing.T) {
	k := realKeyring(t)
	db, err := storage.Open(filepath.Join(t.TempDir(), "chancery.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ws := accounts.NewWorkspace(db, k, nil)
	if _, err := ws.EnsureDefault(); err != nil {
		t.Fatal(err)
	}
	secret := "app-password-" + rand.Text()
	accept := func(_ context.Context, a accounts.Account, s string) (accounts.Account, string, error) {
		if s != secret {
			return accounts.Account{}, "", errors.New("wrong secret")
		}
		a.Handle = "press.example"
		return a, s, nil
	}
	a, err := ws.AddAccount(context.Background(), accounts.Account{
		Mission: "the-hague", Network: accounts.Bluesky, Server: "https://pds.example",
	}, secret, accept)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = keyring.Delete(accounts.KeyringService, a.ID) })

	// go-keyring itself, without our wrapper, finds it under service chancery.
	got, err := keyring.Get(accounts.KeyringService, a.ID)
	if err != nil || got != secret {
		t.Fatalf("keyring.Get(%q, %q) = %q, %v", accounts.KeyringService, a.ID, got, err)
	}
	if got, err := k.Secret(a.ID); err != nil || got != secret {
		t.Fatalf("Keyring.Secret = %q, %v", got, err)
	}
	if path, err := exec.LookPath("secret-tool"); err == nil {
		out, err := exec.Command(path, "search", "service", accounts.KeyringService, "username", a.ID).CombinedOutput()
		if err != nil || !strings.Contains(string(out), a.ID) {
			t.Errorf("secret-tool search: %v\n%s", err, strings.ReplaceAll(string(out), secret, "[secret]"))
		}
	} else {
		t.Log("secret-tool not installed; skipping the check with it")
	}

	if err := ws.RemoveAccount(a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.Get(accounts.KeyringService, a.ID); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("after RemoveAccount, keyring.Get = %v, want ErrNotFound", err)
	}
	if _, err := k.Secret(a.ID); !errors.Is(err, accounts.ErrNoSecret) {
		t.Errorf("after RemoveAccount, Secret = %v, want ErrNoSecret", err)
	}
	if _, err := ws.Account(a.ID); !errors.Is(err, accounts.ErrNoAccount) {
		t.Errorf("account still stored: %v", err)
	}
}

func TestRealKeyringMissingAndReplace(t *testing.T) {
	k := realKeyring(t)
	id := "keyringtest-" + strings.ToLower(rand.Text()[:8])
	t.Cleanup(func() { _ = keyring.Delete(accounts.KeyringService, id) })
	if _, err := k.Secret(id); !errors.Is(err, accounts.ErrNoSecret) {
		t.Fatalf("missing secret: %v, want ErrNoSecret", err)
	}
	if err := k.DeleteSecret(id); err != nil {
		t.Errorf("deleting a missing secret: %v", err)
	}
	for _, v := range []string{"first", "second ✓ with unicode"} {
		if err := k.SetSecret(id, v); err != nil {
			t.Fatal(err)
		}
		if got, err := k.Secret(id); err != nil || got != v {
			t.Errorf("Secret = %q, %v, want %q", got, err, v)
		}
	}
	if err := k.DeleteSecret(id); err != nil {
		t.Fatal(err)
	}
}
