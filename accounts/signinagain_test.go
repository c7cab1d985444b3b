package accounts_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"chancery/accounts"
)

func TestSignInAgainReplacesTheSecretAndClearsTheState(t *testing.T) {
	keyring.MockInit()
	store := newMemStore()
	secrets := accounts.NewKeyring()
	ws := accounts.NewWorkspace(store, secrets, func() time.Time { return testNow })
	if _, err := ws.EnsureDefault(); err != nil {
		t.Fatal(err)
	}
	calls := 0
	a, err := ws.AddAccount(context.Background(), newAccount(), "old-pass", verifier("old-pass", &calls))
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.SetState(a.ID, accounts.StateNeedsSignIn); err != nil {
		t.Fatal(err)
	}
	_, err = ws.SignInAgain(context.Background(), a.ID, "wrong", verifier("new-pass", &calls))
	if err == nil || strings.Contains(err.Error(), "wrong") {
		t.Fatalf("wrong secret: %v (the error must not contain it)", err)
	}
	if s, _ := secrets.Secret(a.ID); s != "session-for-old-pass" {
		t.Errorf("a refused sign-in changed the kept secret to %q", s)
	}
	again, err := ws.SignInAgain(context.Background(), a.ID, "new-pass", verifier("new-pass", &calls))
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != a.ID || again.Mission != "vienna" || again.State != accounts.StateOK {
		t.Errorf("account after signing in again: %+v", again)
	}
	if s, _ := secrets.Secret(a.ID); s != "session-for-new-pass" {
		t.Errorf("kept secret %q", s)
	}
	if stored, _ := ws.Account(a.ID); stored.State != accounts.StateOK {
		t.Errorf("stored state %q", stored.State)
	}
	if _, err := ws.SignInAgain(context.Background(), "nope", "x", nil); !errors.Is(err, accounts.ErrNoAccount) {
		t.Errorf("unknown account: %v", err)
	}
}
