package contract

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// signInPart signs in with the harness's secret (the account comes back
// completed, holding no secret) and with a bad one (feeds.ErrUnauthorized,
// the secret not in the error).
func signInPart(t *testing.T, h Harness) {
	fx := h.start(t)
	si, ok := fx.Net.(feeds.SignIn)
	if !ok {
		t.Skip("not a feeds.SignIn")
	}
	sc := fx.SignIn
	if sc.Account.Network == "" {
		t.Fatal("the network is a SignIn but the harness gives no sign-in case")
	}
	acct, secret, err := si.SignIn(t.Context(), sc.Account, sc.Secret)
	if err != nil {
		t.Fatalf("SignIn with the server's secret: %v", err)
	}
	if acct.Network != sc.Account.Network || acct.Mission != sc.Account.Mission {
		t.Errorf("SignIn returned network %q, mission %q; want %q, %q", acct.Network, acct.Mission, sc.Account.Network, sc.Account.Mission)
	}
	if strings.TrimSpace(acct.Handle) == "" || strings.TrimSpace(acct.Server) == "" {
		t.Errorf("SignIn returned an account without handle or server: %+v", acct)
	}
	for _, s := range []string{sc.Secret, secret} {
		if holds(acct, s) {
			t.Errorf("the signed-in account holds a secret: %+v", acct)
		}
	}
	if sc.BadSecret == "" {
		t.Log("no bad secret to try: the network has no secret to refuse")
		return
	}
	_, kept, err := si.SignIn(t.Context(), sc.Account, sc.BadSecret)
	wantIs(t, "SignIn with a bad secret", err, feeds.ErrUnauthorized)
	if kept != "" {
		t.Errorf("SignIn with a bad secret returned a secret to keep")
	}
	if err != nil && len(sc.BadSecret) >= 4 && strings.Contains(err.Error(), sc.BadSecret) {
		t.Errorf("the error shows the secret: %v", err)
	}
}

// holds reports whether any field of acct contains secret.
func holds(acct accounts.Account, secret string) bool {
	if len(secret) < 4 {
		return false
	}
	b, err := json.Marshal(acct)
	return err != nil || strings.Contains(string(b), secret)
}

// schedulePart hands a post to the server for later, lists it, moves it
// and deletes it; a deleted one is feeds.ErrNotScheduled.
func schedulePart(t *testing.T, h Harness) {
	fx := h.start(t)
	sch, ok := fx.Net.(feeds.Scheduler)
	if !ok {
		t.Skip("not a feeds.Scheduler")
	}
	ctx := t.Context()
	at := fx.Now().Add(time.Hour).UTC().Truncate(time.Minute)
	sc, err := sch.Schedule(ctx, fx.Account, outgoing("schedule"), at)
	if err != nil {
		t.Fatalf("Schedule: %v", err)
	}
	if sc.ID == "" || !sc.At.Equal(at) || sc.Out.Text != outgoing("schedule").Text {
		t.Errorf("Schedule at %s returned %+v", at, sc)
	}
	if !listed(t, sch, fx, sc.ID) {
		t.Errorf("ScheduledPosts does not list %q", sc.ID)
	}
	later := at.Add(time.Hour)
	if moved, err := sch.Reschedule(ctx, fx.Account, sc.ID, later); err != nil || !moved.At.Equal(later) {
		t.Errorf("Reschedule to %s: %+v, %v", later, moved, err)
	}
	if got, err := sch.ScheduledPost(ctx, fx.Account, sc.ID); err != nil || !got.At.Equal(later) {
		t.Errorf("ScheduledPost after Reschedule to %s: %+v, %v", later, got, err)
	}
	if err := sch.Unschedule(ctx, fx.Account, sc.ID); err != nil {
		t.Fatalf("Unschedule: %v", err)
	}
	if _, err := sch.ScheduledPost(ctx, fx.Account, sc.ID); !errors.Is(err, feeds.ErrNotScheduled) {
		t.Errorf("ScheduledPost of a deleted post: %v, want feeds.ErrNotScheduled", err)
	}
	wantIs(t, "Unschedule of a deleted post", sch.Unschedule(ctx, fx.Account, sc.ID), feeds.ErrNotScheduled)
	if listed(t, sch, fx, sc.ID) {
		t.Errorf("ScheduledPosts still lists %q after Unschedule", sc.ID)
	}
}

func listed(t *testing.T, sch feeds.Scheduler, fx Fixture, id string) bool {
	t.Helper()
	list, err := sch.ScheduledPosts(t.Context(), fx.Account)
	if err != nil {
		t.Fatalf("ScheduledPosts: %v", err)
	}
	for _, s := range list {
		if s.ID == id {
			return true
		}
	}
	return false
}
