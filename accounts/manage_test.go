package accounts_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"chancery/accounts"
	"chancery/translations"
)

var errWrongPassword = translations.NewProblem("error.unauthorized", "sign-in required")

// verifier accepts only password; it completes the handle and returns a
// session token to keep instead of the password. It echoes the password in
// its error, as a careless network might.
func verifier(password string, calls *int) accounts.Verifier {
	return func(_ context.Context, a accounts.Account, secret string) (accounts.Account, string, error) {
		*calls++
		if secret != password {
			return accounts.Account{}, "", errors.Join(errWrongPassword, errors.New("server said: bad password "+secret))
		}
		a.Handle = "@press@" + strings.TrimPrefix(a.Server, "https://")
		a.DisplayName = "Press office"
		a.ID, a.Mission = "evil-id", "beijing" // a verifier cannot change these
		return a, "session-for-" + secret, nil
	}
}

func newAccount() accounts.Account {
	return accounts.Account{Mission: "vienna", Network: accounts.Mastodon, Server: " https://social.example ", Handle: "press"}
}

func TestAddAccountVerifiesThenStoresSecretThenAccount(t *testing.T) {
	keyring.MockInit()
	store := newMemStore()
	ws := accounts.NewWorkspace(store, accounts.NewKeyring(), func() time.Time { return testNow })
	if _, err := ws.EnsureDefault(); err != nil {
		t.Fatal(err)
	}
	calls := 0
	a, err := ws.AddAccount(context.Background(), newAccount(), "pa55word", verifier("pa55word", &calls))
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("verifier called %d times", calls)
	}
	if !regexp.MustCompile(`^vienna-mastodon-[a-z2-7]{6}$`).MatchString(a.ID) {
		t.Errorf("id %q is not <mission>-<network>-<random>", a.ID)
	}
	if a.Mission != "vienna" || a.Handle != "@press@social.example" || a.DisplayName != "Press office" ||
		a.Server != "https://social.example" || a.State != accounts.StateOK || !a.CreatedAt.Equal(testNow) {
		t.Errorf("added account %+v", a)
	}
	others, _ := ws.MissionAccounts("vienna")
	if len(others) != 2 || others[1].ID != a.ID {
		t.Errorf("vienna holds %+v, want the new account after the demo one", others)
	}
	if got, err := ws.Account(a.ID); err != nil || got.Handle != a.Handle {
		t.Errorf("stored account %+v, %v", got, err)
	}
	if got, err := keyring.Get(accounts.KeyringService, a.ID); err != nil || got != "session-for-pa55word" {
		t.Errorf("keyring holds %q, %v; want the verifier's session", got, err)
	}
	b, err := ws.AddAccount(context.Background(), newAccount(), "pa55word", verifier("pa55word", &calls))
	if err != nil || b.ID == a.ID || b.Position <= a.Position {
		t.Errorf("second account %+v, %v (first %s)", b, err, a.ID)
	}
}

func TestAddAccountWrongPasswordSavesNothing(t *testing.T) {
	store, secrets := newMemStore(), newSpySecrets()
	ws := accounts.NewWorkspace(store, secrets, nil)
	calls := 0
	_, err := ws.AddAccount(context.Background(), newAccount(), "typo-Zq81", verifier("pa55word", &calls))
	if !errors.Is(err, errWrongPassword) {
		t.Fatalf("err = %v, want the verifier's error", err)
	}
	if strings.Contains(err.Error(), "typo-Zq81") {
		t.Errorf("error %q contains the secret", err)
	}
	if len(store.accts) != 0 || len(secrets.calls) != 0 {
		t.Errorf("left %d accounts, secret calls %v", len(store.accts), secrets.calls)
	}
}

func TestAddAccountChecksBeforeVerifying(t *testing.T) {
	ws := accounts.NewWorkspace(newMemStore(), newSpySecrets(), nil)
	cases := []struct {
		name string
		edit func(*accounts.Account)
		want error
	}{
		{"unknown mission", func(a *accounts.Account) { a.Mission = "atlantis" }, accounts.ErrNoMission},
		{"unknown network", func(a *accounts.Account) { a.Network = "myspace" }, accounts.ErrUnknownNetwork},
		{"no server", func(a *accounts.Account) { a.Server = "  " }, accounts.ErrNoServer},
	}
	for _, c := range cases {
		a := newAccount()
		c.edit(&a)
		calls := 0
		if _, err := ws.AddAccount(context.Background(), a, "pw", verifier("pw", &calls)); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
		if calls != 0 {
			t.Errorf("%s: the server was asked", c.name)
		}
	}
}

func TestAddAccountKeyringUnavailableSavesNothing(t *testing.T) {
	keyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	store := newMemStore()
	ws := accounts.NewWorkspace(store, accounts.NewKeyring(), nil)
	calls := 0
	_, err := ws.AddAccount(context.Background(), newAccount(), "pw", verifier("pw", &calls))
	if !errors.Is(err, accounts.ErrKeyringUnavailable) {
		t.Fatalf("err = %v, want ErrKeyringUnavailable", err)
	}
	if len(store.accts) != 0 {
		t.Errorf("account saved without its secret")
	}
	ws = accounts.NewWorkspace(store, nil, nil)
	if _, err := ws.AddAccount(context.Background(), newAccount(), "pw", nil); !errors.Is(err, accounts.ErrKeyringUnavailable) {
		t.Errorf("no secret store: %v", err)
	}
}

func TestAddAccountStoreFailureDeletesTheSecret(t *testing.T) {
	store, secrets := newMemStore(), newSpySecrets()
	store.failPut = errors.New("disk full")
	ws := accounts.NewWorkspace(store, secrets, nil)
	calls := 0
	_, err := ws.AddAccount(context.Background(), newAccount(), "pw", verifier("pw", &calls))
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v", err)
	}
	if len(secrets.calls) != 2 || !strings.HasPrefix(secrets.calls[0], "set ") || !strings.HasPrefix(secrets.calls[1], "delete ") {
		t.Errorf("secret calls %v, want set then delete", secrets.calls)
	}
	if len(secrets.secrets) != 0 {
		t.Errorf("secret left behind")
	}
}

func TestAddDemoAccountNeedsNoSecret(t *testing.T) {
	store, secrets := newMemStore(), newSpySecrets()
	ws := accounts.NewWorkspace(store, secrets, nil)
	a, err := ws.AddAccount(context.Background(), accounts.Account{Mission: "beijing", Network: accounts.Demo, Server: "demo"}, "", nil)
	if err != nil || !a.IsDemo() {
		t.Fatalf("AddAccount(demo) = %+v, %v", a, err)
	}
	if len(secrets.calls) != 0 {
		t.Errorf("secret calls %v for a demo account", secrets.calls)
	}
	if err := ws.RemoveAccount(a.ID); err != nil || len(secrets.calls) != 0 {
		t.Errorf("RemoveAccount(demo) = %v, secret calls %v", err, secrets.calls)
	}
	// Feeds take no secret either: a locked keyring does not stop their removal.
	secrets.failCalls = accounts.ErrKeyringUnavailable
	feed, err := ws.AddAccount(context.Background(), accounts.Account{Mission: "beijing", Network: accounts.RSS, Server: "https://example.org/feed"}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.RemoveAccount(feed.ID); err != nil || len(secrets.calls) != 0 {
		t.Errorf("RemoveAccount(rss) = %v, secret calls %v", err, secrets.calls)
	}
}

func TestTakesSecret(t *testing.T) {
	for _, n := range accounts.Networks() {
		want := n != accounts.RSS && n != accounts.Demo
		if got := n.TakesSecret(); got != want {
			t.Errorf("%s.TakesSecret() = %v", n, got)
		}
	}
}

func TestAddAccountForSession(t *testing.T) {
	keyring.MockInitWithError(errors.New("failed to unlock correct collection"))
	secrets := accounts.NewSessionSecrets(accounts.NewKeyring())
	ws := accounts.NewWorkspace(newMemStore(), secrets, nil)
	calls := 0
	if _, err := ws.AddAccount(context.Background(), newAccount(), "pw", verifier("pw", &calls)); !errors.Is(err, accounts.ErrKeyringUnavailable) {
		t.Fatalf("AddAccount with a locked keyring: %v", err)
	}
	a, err := ws.AddAccountForSession(context.Background(), newAccount(), "pw", verifier("pw", &calls))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := secrets.Secret(a.ID); err != nil || got != "session-for-pw" {
		t.Errorf("session secret %q, %v", got, err)
	}
	if err := ws.RemoveAccount(a.ID); err != nil {
		t.Fatalf("removing a session-only account with the keyring still locked: %v", err)
	}
	if _, err := secrets.Secret(a.ID); err == nil {
		t.Errorf("session secret survived removal")
	}
	plain := accounts.NewWorkspace(newMemStore(), newSpySecrets(), nil)
	if _, err := plain.AddAccountForSession(context.Background(), newAccount(), "pw", verifier("pw", &calls)); err == nil {
		t.Errorf("a store without session memory accepted a session secret")
	}
}

func TestRemoveAccount(t *testing.T) {
	store, secrets := newMemStore(), newSpySecrets()
	ws := accounts.NewWorkspace(store, secrets, nil)
	calls := 0
	a, err := ws.AddAccount(context.Background(), newAccount(), "pw", verifier("pw", &calls))
	if err != nil {
		t.Fatal(err)
	}
	secrets.failDel = accounts.ErrKeyringUnavailable
	if err := ws.RemoveAccount(a.ID); !errors.Is(err, accounts.ErrKeyringUnavailable) {
		t.Errorf("remove with a locked keyring: %v", err)
	}
	if _, err := ws.Account(a.ID); err != nil {
		t.Errorf("account removed although its secret could not be: %v", err)
	}
	secrets.failDel = nil
	if err := ws.RemoveAccount(a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Account(a.ID); !errors.Is(err, accounts.ErrNoAccount) {
		t.Errorf("account still there: %v", err)
	}
	if secrets.has(a.ID) {
		t.Errorf("secret still there")
	}
	if err := ws.RemoveAccount(a.ID); !errors.Is(err, accounts.ErrNoAccount) {
		t.Errorf("removing twice: %v", err)
	}
	b, _ := ws.AddAccount(context.Background(), newAccount(), "pw", verifier("pw", &calls))
	secrets.failDel = accounts.ErrNoSecret
	if err := ws.RemoveAccount(b.ID); err != nil {
		t.Errorf("remove with no secret stored: %v", err)
	}
}

func TestMoveAccount(t *testing.T) {
	store := newMemStore()
	ws := accounts.NewWorkspace(store, newSpySecrets(), nil)
	if _, err := ws.EnsureDefault(); err != nil {
		t.Fatal(err)
	}
	if err := ws.MoveAccount("vienna-demo", "beijing"); err != nil {
		t.Fatal(err)
	}
	as, _ := ws.MissionAccounts("beijing")
	if len(as) != 2 || as[1].ID != "vienna-demo" {
		t.Errorf("beijing holds %+v, want vienna-demo last", as)
	}
	if err := ws.MoveAccount("vienna-demo", "atlantis"); !errors.Is(err, accounts.ErrNoMission) {
		t.Errorf("unknown mission: %v", err)
	}
	if err := ws.MoveAccount("nobody", "beijing"); !errors.Is(err, accounts.ErrNoAccount) {
		t.Errorf("unknown account: %v", err)
	}
	if err := ws.MoveAccount("vienna-demo", "beijing"); err != nil {
		t.Errorf("moving to the same mission: %v", err)
	}
}
