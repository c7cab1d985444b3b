package accounts_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"chancery/accounts"
)

// raceStore runs meanwhile once, right after the next read of the accounts,
// as another goroutine would between a read and a write.
type raceStore struct {
	*memStore
	mu        sync.Mutex
	meanwhile func()
}

func (s *raceStore) Accounts() ([]accounts.Account, error) {
	as, err := s.memStore.Accounts()
	s.mu.Lock()
	f := s.meanwhile
	s.meanwhile = nil
	s.mu.Unlock()
	if f != nil {
		f()
	}
	return as, err
}

// Each case changes an account while another change of it is under way
// (between its read and its write), and checks that neither change is lost
// and a removed account stays removed.
func TestAccountUpdatesDoNotUndoEachOther(t *testing.T) {
	const id = "vienna-mastodon-abc123"
	ctx := context.Background()
	calls := 0
	tests := []struct {
		name      string
		meanwhile func(w *accounts.Workspace) error
		update    func(w *accounts.Workspace) error
		want      func(a accounts.Account, found bool) bool
		wantErr   error
	}{
		{
			name:      "a removal during a state change stays",
			meanwhile: func(w *accounts.Workspace) error { return w.RemoveAccount(id) },
			update:    func(w *accounts.Workspace) error { return w.SetState(id, accounts.StateOffline) },
			want:      func(_ accounts.Account, found bool) bool { return !found },
			wantErr:   accounts.ErrNoAccount,
		},
		{
			name:      "a move during a state change stays",
			meanwhile: func(w *accounts.Workspace) error { return w.MoveAccount(id, "the-hague") },
			update:    func(w *accounts.Workspace) error { return w.SetState(id, accounts.StateOffline) },
			want: func(a accounts.Account, found bool) bool {
				return found && a.Mission == "the-hague" && a.State == accounts.StateOffline
			},
		},
		{
			name:      "a state change during a move stays",
			meanwhile: func(w *accounts.Workspace) error { return w.SetState(id, accounts.StateOffline) },
			update:    func(w *accounts.Workspace) error { return w.MoveAccount(id, "beijing") },
			want: func(a accounts.Account, found bool) bool {
				return found && a.Mission == "beijing" && a.State == accounts.StateOffline
			},
		},
		{
			name:      "a removal during a move stays",
			meanwhile: func(w *accounts.Workspace) error { return w.RemoveAccount(id) },
			update:    func(w *accounts.Workspace) error { return w.MoveAccount(id, "beijing") },
			want:      func(_ accounts.Account, found bool) bool { return !found },
			wantErr:   accounts.ErrNoAccount,
		},
		{
			name:      "a move during a new sign-in stays",
			meanwhile: func(w *accounts.Workspace) error { return w.MoveAccount(id, "new-york") },
			update: func(w *accounts.Workspace) error {
				_, err := w.SignInAgain(ctx, id, "pass", verifier("pass", &calls))
				return err
			},
			want: func(a accounts.Account, found bool) bool {
				return found && a.Mission == "new-york" && a.State == accounts.StateOK && a.DisplayName == "Press office"
			},
		},
		{
			name:      "a removal during a new sign-in stays, secret and all",
			meanwhile: func(w *accounts.Workspace) error { return w.RemoveAccount(id) },
			update: func(w *accounts.Workspace) error {
				_, err := w.SignInAgain(ctx, id, "pass", verifier("pass", &calls))
				return err
			},
			want:    func(_ accounts.Account, found bool) bool { return !found },
			wantErr: accounts.ErrNoAccount,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := &raceStore{memStore: newMemStore()}
			secrets := newSpySecrets()
			w := accounts.NewWorkspace(store, secrets, func() time.Time { return testNow })
			a := accounts.Account{ID: id, Mission: "vienna", Network: accounts.Mastodon, Server: "https://social.example", State: accounts.StateNeedsSignIn}
			if err := store.PutAccount(a); err != nil {
				t.Fatal(err)
			}
			_ = secrets.SetSecret(id, "old")
			var meanwhileErr error
			store.meanwhile = func() { meanwhileErr = tt.meanwhile(w) }
			err := tt.update(w)
			if meanwhileErr != nil {
				t.Fatalf("the change meanwhile failed: %v", meanwhileErr)
			}
			if store.meanwhile != nil {
				t.Fatal("the update never read the accounts")
			}
			if (tt.wantErr == nil) != (err == nil) || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
				t.Errorf("update: %v, want %v", err, tt.wantErr)
			}
			got, err := store.memStore.Accounts()
			if err != nil {
				t.Fatal(err)
			}
			found := len(got) == 1
			if found && got[0].ID != id {
				t.Fatalf("accounts %+v", got)
			}
			if !tt.want(append(got, accounts.Account{})[0], found) {
				t.Errorf("after both: %+v (found %v)", got, found)
			}
			if !found && secrets.has(id) {
				t.Error("a removed account's secret was written again")
			}
		})
	}
}
