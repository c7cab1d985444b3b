package storage

import (
	"errors"
	"sync"
	"testing"
	"time"

	"chancery/accounts"
)

func TestUpdateAccount(t *testing.T) {
	errRefused := errors.New("refused")
	tests := []struct {
		name    string
		id      string
		fn      func(*accounts.Account) error
		wantErr error
		want    func(a accounts.Account) bool // the stored account afterwards
	}{
		{
			name: "changes only what fn changes",
			id:   "a",
			fn:   func(a *accounts.Account) error { a.State = accounts.StateOffline; return nil },
			want: func(a accounts.Account) bool {
				return a.State == accounts.StateOffline && a.Mission == "vienna" && a.Handle == "@a"
			},
		},
		{
			name:    "an absent account is not created",
			id:      "gone",
			fn:      func(a *accounts.Account) error { a.State = accounts.StateOffline; return nil },
			wantErr: accounts.ErrNoAccount,
			want:    func(a accounts.Account) bool { return a.State == "" },
		},
		{
			name:    "an error from fn changes nothing",
			id:      "a",
			fn:      func(a *accounts.Account) error { a.State = accounts.StateOffline; return errRefused },
			wantErr: errRefused,
			want:    func(a accounts.Account) bool { return a.State == "" },
		},
		{
			name:    "no move to a missing mission",
			id:      "a",
			fn:      func(a *accounts.Account) error { a.Mission = "atlantis"; return nil },
			wantErr: accounts.ErrNoMission,
			want:    func(a accounts.Account) bool { return a.Mission == "vienna" },
		},
		{
			name: "the id stays",
			id:   "a",
			fn:   func(a *accounts.Account) error { a.ID = "b"; a.Handle = "@renamed"; return nil },
			want: func(a accounts.Account) bool { return a.Handle == "@renamed" },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openTest(t, Options{})
			addAccount(t, db, "vienna", "a")
			err := db.UpdateAccount(tt.id, tt.fn)
			if (tt.wantErr == nil) != (err == nil) || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
				t.Errorf("UpdateAccount: %v, want %v", err, tt.wantErr)
			}
			as, err := db.Accounts()
			if err != nil || len(as) != 1 || as[0].ID != "a" {
				t.Fatalf("Accounts() = %+v, %v", as, err)
			}
			if !tt.want(as[0]) {
				t.Errorf("stored %+v", as[0])
			}
		})
	}
}

// A refresh reporting an account's state while the user removes or moves
// the account, on the real database and for real concurrently: the removal
// and the move always stay.
func TestStateChangesRacingRemovalsAndMoves(t *testing.T) {
	db := openTest(t, Options{})
	w := accounts.NewWorkspace(db, nil, func() time.Time { return t0 })
	if _, err := w.EnsureDefault(); err != nil {
		t.Fatal(err)
	}
	states := []accounts.State{accounts.StateOffline, accounts.StateOK}
	for round := range 40 {
		removed, moved := "vienna-demo", "beijing-demo"
		if round > 0 {
			_, as := defaultWorkspace()
			if err := db.PutAccount(as[0]); err != nil { // vienna-demo back
				t.Fatal(err)
			}
			if err := w.MoveAccount(moved, "beijing"); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		for i := range 4 {
			wg.Go(func() { _ = w.SetState(removed, states[(round+i)%2]) })
			wg.Go(func() { _ = w.SetState(moved, states[(round+i)%2]) })
		}
		wg.Go(func() {
			if err := w.RemoveAccount(removed); err != nil {
				t.Errorf("round %d: remove: %v", round, err)
			}
		})
		wg.Go(func() {
			if err := w.MoveAccount(moved, "new-york"); err != nil {
				t.Errorf("round %d: move: %v", round, err)
			}
		})
		wg.Wait()
		if _, err := w.Account(removed); !errors.Is(err, accounts.ErrNoAccount) {
			t.Fatalf("round %d: removed account came back (%v)", round, err)
		}
		if a, err := w.Account(moved); err != nil || a.Mission != "new-york" {
			t.Fatalf("round %d: moved account is %+v, %v", round, a, err)
		}
	}
}
