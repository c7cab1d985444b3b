package bluesky

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

const (
	nsidTimeline = "app.bsky.feed.getTimeline"
	nsidRefresh  = "com.atproto.server.refreshSession"
	nsidCreate   = "com.atproto.server.createSession"
)

func TestRefreshBeforeExpiry(t *testing.T) {
	f := newFakeServer(t)
	_, acct, secrets := signedIn(t, f)
	before := storedSession(t, secrets, acct.ID)
	// A new client (a new run) reads the session from the SecretStore.
	n := f.network(secrets)
	f.clock.Advance(2*time.Hour - time.Minute) // within the refresh margin
	if _, err := n.Fetch(context.Background(), acct, feeds.Home); err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if f.count("pds", nsidRefresh) != 1 || f.count("pds", nsidCreate) != 1 || f.count("pds", nsidTimeline) != 1 {
		t.Errorf("calls = %v", f.calls)
	}
	after := storedSession(t, secrets, acct.ID)
	if after.AccessJwt == before.AccessJwt || after.RefreshJwt == before.RefreshJwt {
		t.Error("refreshed tokens not stored")
	}
	if after.AppPassword != testPassword || after.PDS != f.pds.URL || after.DID != testDID {
		t.Errorf("stored session lost fields: %#v", after)
	}
}

func TestRefreshOnExpiredToken(t *testing.T) {
	f := newFakeServer(t)
	n, acct, secrets := signedIn(t, f)
	f.expireAll() // the server says expired although the clock says fresh
	posts, err := n.Fetch(context.Background(), acct, feeds.Home)
	if err != nil || len(posts) == 0 {
		t.Fatalf("Fetch: %d posts, %v", len(posts), err)
	}
	if f.count("pds", nsidRefresh) != 1 || f.count("pds", nsidTimeline) != 2 || f.count("pds", nsidCreate) != 1 {
		t.Errorf("calls = %v", f.calls)
	}
	if s := storedSession(t, secrets, acct.ID); f.isExpired(s.AccessJwt) {
		t.Error("expired token still stored")
	}
}

func TestRefreshAtEntrywayFollowsMovedPDS(t *testing.T) {
	f := newFakeServer(t)
	secrets := newMemSecrets()
	n := f.network(secrets)
	acct := accounts.Account{ID: "acct-1", Handle: testHandle, Server: f.entry.URL}
	got, secret, err := n.SignIn(context.Background(), acct, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	_ = secrets.SetSecret(got.ID, secret)
	moved := f.moveAccount()
	f.expireAll()
	if _, err := n.Fetch(context.Background(), got, feeds.Home); err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if f.count("entry", nsidRefresh) != 1 || f.count("pds", nsidRefresh) != 0 ||
		f.count("pds", nsidTimeline) != 1 || f.count("pds2", nsidTimeline) != 1 {
		t.Errorf("calls = %v", f.calls)
	}
	if s := storedSession(t, secrets, got.ID); s.PDS != moved.URL || s.Entryway != f.entry.URL {
		t.Errorf("session PDS %q, entryway %q", s.PDS, s.Entryway)
	}
}

func TestRefreshRefusedSignsInAgain(t *testing.T) {
	f := newFakeServer(t)
	n, acct, _ := signedIn(t, f)
	f.expireAll()
	f.revokeRefresh()
	if _, err := n.Fetch(context.Background(), acct, feeds.Home); err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if f.count("pds", nsidRefresh) != 1 || f.count("pds", nsidCreate) != 2 {
		t.Errorf("calls = %v", f.calls)
	}
}

func TestPasswordRevokedIsUnauthorized(t *testing.T) {
	f := newFakeServer(t)
	n, acct, secrets := signedIn(t, f)
	s := storedSession(t, secrets, acct.ID)
	f.expireAll()
	f.revokeRefresh()
	f.set(func(f *fakeServer) { f.password = "a-new-password-0000" })
	_, err := n.Fetch(context.Background(), acct, feeds.Home)
	if !errors.Is(err, feeds.ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	for _, secret := range []string{testPassword, s.AccessJwt, s.RefreshJwt} {
		if strings.Contains(err.Error(), secret) || strings.Contains(fmt.Sprintf("%#v %+v", err, err), secret) {
			t.Errorf("error reveals a secret: %v", err)
		}
	}
}

func TestConcurrentCallsRefreshOnce(t *testing.T) {
	f := newFakeServer(t)
	n, acct, _ := signedIn(t, f)
	f.expireAll()
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { _, errs[i] = n.Fetch(context.Background(), acct, feeds.Home) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Errorf("Fetch: %v", err)
		}
	}
	if got := f.count("pds", nsidRefresh); got != 1 {
		t.Errorf("refreshSession called %d times, want 1", got)
	}
}

func TestBarePasswordSecret(t *testing.T) {
	f := newFakeServer(t)
	secrets := newMemSecrets()
	_ = secrets.SetSecret("acct-2", testPassword)
	n := f.network(secrets)
	acct := accounts.Account{ID: "acct-2", Network: accounts.Bluesky, Handle: testHandle}
	if _, err := n.Fetch(context.Background(), acct, feeds.Home); err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if s := storedSession(t, secrets, "acct-2"); s.PDS != f.pds.URL || s.AppPassword != testPassword || s.RefreshJwt == "" {
		t.Errorf("session = %#v", s)
	}
}

func TestNoSecretIsUnauthorized(t *testing.T) {
	f := newFakeServer(t)
	n := f.network(newMemSecrets())
	_, err := n.Fetch(context.Background(), accounts.Account{ID: "nobody", Handle: testHandle}, feeds.Home)
	if !errors.Is(err, feeds.ErrUnauthorized) || !errors.Is(err, accounts.ErrNoSecret) {
		t.Errorf("err = %v", err)
	}
}

func TestJWTExpiry(t *testing.T) {
	exp := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if got, ok := jwtExpiry(fakeJWT("did:plc:x", 1, "s", exp)); !ok || !got.Equal(exp) {
		t.Errorf("jwtExpiry = %v, %v", got, ok)
	}
	for _, bad := range []string{"", "a.b", "a.!!!.c", "a." + "e30" + ".c", "x.y.z.w"} {
		if _, ok := jwtExpiry(bad); ok {
			t.Errorf("jwtExpiry(%q) ok", bad)
		}
	}
	n := New(newMemSecrets(), nil, WithClock(func() time.Time { return exp.Add(-time.Hour) }))
	if !n.fresh("opaque-token") || n.fresh("") {
		t.Error("fresh: an unreadable token counts as fresh, a missing one does not")
	}
}
