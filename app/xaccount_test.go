package app

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/translations"
)

// xTestClientID is the only client id fakeSignIns's X sign-in accepts.
const xTestClientID = "cid-embassy"

// ClientSignIn opens X's page and returns the password at once, for the
// one client id it knows.
func (s *fakeSignIns) ClientSignIn(_ context.Context, _ accounts.Network, server, clientID, _ string, open func(*url.URL) error) (string, error) {
	if clientID != xTestClientID {
		return "", feeds.ErrUnauthorized
	}
	u, _ := url.Parse(server + "/i/oauth2/authorize?client_id=" + url.QueryEscape(clientID))
	if err := open(u); err != nil {
		return "", err
	}
	return s.password, nil
}

var _ ClientSignIns = (*fakeSignIns)(nil)

// fakeBudgets bills X only, and says what spending holds.
type fakeBudgets struct {
	mu       sync.Mutex
	spending feeds.Spending
}

func (b *fakeBudgets) Billed(n accounts.Network) bool { return n == accounts.X }

func (b *fakeBudgets) Spending(accounts.Account, time.Time) (feeds.Spending, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.spending, nil
}

func (b *fakeBudgets) SetBudget(_ accounts.Account, usd float64) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.spending.Budget = usd
	b.spending.Reached = usd > 0 && b.spending.Cost >= usd
	return nil
}

func TestXRowShowsMonthlyCostAndReachedBudget(t *testing.T) {
	col := &column{ui: &ui{loc: translations.New("en")}}
	label := widget.NewLabel("")
	col.applyBudget(label, feeds.Spending{Month: "2026-12", ReadCalls: 40, WriteCalls: 2, Cost: 1.234, Budget: 5})
	if label.Text != "≈ US$1.23 of US$5.00 this month · 42 calls" || label.Importance != widget.LowImportance {
		t.Errorf("%q (%v)", label.Text, label.Importance)
	}
	col.applyBudget(label, feeds.Spending{ReadCalls: 300, Cost: 5.01, Budget: 5, Reached: true})
	if label.Text != "Reading paused: ≈ US$5.01 of US$5.00 this month" || label.Importance != widget.DangerImportance {
		t.Errorf("%q (%v)", label.Text, label.Importance)
	}
	col.applyBudget(label, feeds.Spending{ReadCalls: 1, Cost: 0.01})
	if label.Text != "≈ US$0.01 this month · 1 call · no budget" {
		t.Errorf("%q", label.Text)
	}
}

// An X account is added through the browser sign-in with the mission's
// client id, and its row says this month's estimated cost.
func TestAddXAccountThroughTheBrowserShowsItsCost(t *testing.T) {
	f := newFixture(t)
	f.params.Budgets = &fakeBudgets{spending: feeds.Spending{ReadCalls: 7, Cost: 0.05, Budget: 2}}
	var mu sync.Mutex
	var opened []string
	f.params.OpenURL = func(u *url.URL) error {
		mu.Lock()
		defer mu.Unlock()
		opened = append(opened, u.String())
		return nil
	}
	u := startSettled(t, f)
	overlay := addDialog(t, u, "X")
	fields := entriesIn(overlay) // client id, client secret, server
	test.Type(fields[0], xTestClientID)
	test.Tap(findButton(overlay, "Sign in with the browser"))
	eventually(t, "X account added", func() bool { return len(u.columns[0].accts) == 2 })
	col := u.columns[0] // the window was rebuilt with the new account
	if a := col.accts[1]; a.Network != accounts.X || a.Server != "https://api.x.com" {
		t.Errorf("added %+v", a)
	}
	mu.Lock()
	if len(opened) != 1 || !strings.HasPrefix(opened[0], "https://api.x.com/i/oauth2/authorize?client_id="+xTestClientID) {
		t.Errorf("opened %v", opened)
	}
	mu.Unlock()
	if !col.accountsC.Visible() {
		test.Tap(col.toggle)
	}
	eventually(t, "cost line", func() bool { return contains(col.accountsC, "≈ US$0.05 of US$2.00 this month · 7 calls") })

	// The account's menu sets the budget: the dialog shows the current
	// one, and the row follows what is saved.
	var item *fyne.MenuItem
	for _, it := range col.accountMenuItems(col.accts[1]) {
		if it.Label == "Monthly budget…" {
			item = it
		}
	}
	if item == nil {
		t.Fatal("no budget item in the X account's menu")
	}
	item.Action()
	overlay = u.window.Canvas().Overlays().Top()
	amount := entriesIn(overlay)[0]
	eventually(t, "current budget", func() bool { return amount.Text == "2" })
	amount.SetText("")
	test.Type(amount, "0.04")
	test.Tap(findButton(overlay, "Save"))
	eventually(t, "budget reached", func() bool {
		return contains(col.accountsC, "Reading paused: ≈ US$0.05 of US$0.04 this month")
	})
}

// A column says why reading an X account stopped: its budget.
func TestBudgetReachedIsTheAccountsProblem(t *testing.T) {
	a := accounts.Account{ID: "vienna-x", Network: accounts.X, State: accounts.StateError}
	col := &column{ui: &ui{loc: translations.New("en")}, failures: map[string]error{
		a.ID: fmt.Errorf("fetch vienna-x/own: %w", feeds.ErrBudgetReached),
	}}
	if got := col.problemText(a); got != "budget reached, reading paused" {
		t.Errorf("%q", got)
	}
}

// An X account whose sign-in X revoked signs in again through the same
// browser sign-in: it keeps its id, and its new secret replaces the old.
func TestXAccountSignsInAgain(t *testing.T) {
	f := newFixture(t)
	u := startSettled(t, f)
	overlay := addDialog(t, u, "X")
	test.Type(entriesIn(overlay)[0], xTestClientID)
	test.Tap(findButton(overlay, "Sign in with the browser"))
	eventually(t, "X account added", func() bool { return len(u.columns[0].accts) == 2 })
	a := u.columns[0].accts[1]
	if err := f.params.Workspace.(*accounts.Workspace).SetState(a.ID, accounts.StateNeedsSignIn); err != nil {
		t.Fatal(err)
	}
	_ = f.keyring.SetSecret(a.ID, "expired")
	u.showAddAccount(u.columns[0].mission, &a)
	overlay = u.window.Canvas().Overlays().Top()
	fields := entriesIn(overlay) // client id, client secret, server (the account's)
	if fields[2].Text != a.Server {
		t.Errorf("server field %q, want %q", fields[2].Text, a.Server)
	}
	test.Type(fields[0], xTestClientID)
	test.Tap(findButton(overlay, "Sign in with the browser"))
	eventually(t, "signed in again", func() bool {
		s, err := f.keyring.Secret(a.ID)
		return err == nil && s == "session:right"
	})
	got, err := f.params.Workspace.(*accounts.Workspace).Account(a.ID)
	if err != nil || got.State != accounts.StateOK {
		t.Errorf("account %+v, %v", got, err)
	}
}
