package bluesky

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"

	"chancery/accounts"
	"chancery/feeds"
)

// signedIn signs the fake's account in as account "acct-1" and keeps its
// secret the way the caller of SignIn does.
func signedIn(t *testing.T, f *fakeServer, opts ...Option) (*Network, accounts.Account, *memSecrets) {
	t.Helper()
	secrets := newMemSecrets()
	n := f.network(secrets, opts...)
	acct := accounts.Account{ID: "acct-1", Mission: "vienna", Network: accounts.Bluesky, Handle: testHandle}
	got, secret, err := n.SignIn(context.Background(), acct, testPassword)
	if err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	if err := secrets.SetSecret(got.ID, secret); err != nil {
		t.Fatal(err)
	}
	return n, got, secrets
}

func storedSession(t *testing.T, secrets *memSecrets, id string) session {
	t.Helper()
	raw, err := secrets.Secret(id)
	if err != nil {
		t.Fatal(err)
	}
	var s session
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		t.Fatalf("stored secret is not a JSON session: %v", err)
	}
	return s
}

func TestSignInResolvesHandleAndPDS(t *testing.T) {
	f := newFakeServer(t)
	secrets := newMemSecrets()
	n := f.network(secrets)
	acct := accounts.Account{ID: "acct-1", Network: accounts.Bluesky, Handle: "@Vienna.bsky.social"}
	got, secret, err := n.SignIn(context.Background(), acct, " "+testPassword+"\n")
	if err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	if got.Handle != testHandle || got.Server != f.pds.URL || got.DisplayName != "Embassy in Vienna" ||
		got.AvatarURL != "https://cdn.example/vienna.jpg" {
		t.Errorf("account = %+v", got)
	}
	var s session
	if err := json.Unmarshal([]byte(secret), &s); err != nil {
		t.Fatalf("secret: %v", err)
	}
	if s.AppPassword != testPassword || s.DID != testDID || s.PDS != f.pds.URL || s.Handle != testHandle ||
		s.AccessJwt == "" || s.RefreshJwt == "" {
		t.Errorf("session = %#v (%+v)", s, s.DID)
	}
	if f.count("entry", "com.atproto.identity.resolveHandle") != 1 || f.count("pds", "com.atproto.server.createSession") != 1 ||
		f.count("entry", "com.atproto.server.createSession") != 0 || f.count("pds", "app.bsky.actor.getProfile") != 1 {
		t.Errorf("calls = %v", f.calls)
	}
}

func TestSignInAtEntrywayUsesPDSFromPLC(t *testing.T) {
	f := newFakeServer(t)
	n := f.network(newMemSecrets())
	acct := accounts.Account{Handle: testHandle, Server: f.entry.URL + "/"}
	got, _, err := n.SignIn(context.Background(), acct, testPassword)
	if err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	if got.Server != f.pds.URL {
		t.Errorf("Server = %q, want the PDS %q", got.Server, f.pds.URL)
	}
	if f.count("entry", "com.atproto.server.createSession") != 1 || f.count("entry", "app.bsky.actor.getProfile") != 0 {
		t.Errorf("calls = %v", f.calls)
	}
}

func TestSignInWithDIDWeb(t *testing.T) {
	f := newFakeServer(t)
	u, _ := url.Parse(f.pds.URL)
	f.set(func(f *fakeServer) {
		f.did = "did:web:" + strings.ReplaceAll(u.Host, ":", "%3A")
		f.handles[testHandle] = f.did
		f.webDoc = true
	})
	n := f.network(newMemSecrets())
	got, secret, err := n.SignIn(context.Background(), accounts.Account{Handle: f.did}, testPassword)
	if err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	if got.Server != f.pds.URL || !strings.Contains(secret, f.did) {
		t.Errorf("Server = %q, secret has did: %v", got.Server, strings.Contains(secret, f.did))
	}
}

func TestSignInWrongPassword(t *testing.T) {
	f := newFakeServer(t)
	n := f.network(newMemSecrets())
	const wrong = "zzzz-wrong-pass-9999"
	for _, server := range []string{"", f.entry.URL} {
		_, secret, err := n.SignIn(context.Background(), accounts.Account{Handle: testHandle, Server: server}, wrong)
		if !errors.Is(err, feeds.ErrUnauthorized) {
			t.Errorf("server %q: err = %v, want ErrUnauthorized", server, err)
		}
		if err != nil && strings.Contains(err.Error(), wrong) {
			t.Errorf("error reveals the password: %v", err)
		}
		if secret != "" {
			t.Errorf("secret returned on failure")
		}
	}
}

func TestSignInRefusals(t *testing.T) {
	f := newFakeServer(t)
	n := f.network(newMemSecrets())
	ctx := context.Background()
	if _, _, err := n.SignIn(ctx, accounts.Account{Handle: "nobody.bsky.social"}, testPassword); !errors.Is(err, feeds.ErrRejected) {
		t.Errorf("unknown handle: err = %v, want ErrRejected", err)
	}
	if _, _, err := n.SignIn(ctx, accounts.Account{Handle: testHandle}, "  "); !errors.Is(err, feeds.ErrUnauthorized) {
		t.Errorf("empty password: err = %v", err)
	}
	if _, _, err := n.SignIn(ctx, accounts.Account{Handle: testHandle, Server: "http://pds.example.net"}, testPassword); !errors.Is(err, feeds.ErrInsecureURL) {
		t.Errorf("plain http to a remote host: err = %v, want ErrInsecureURL", err)
	}
	if f.count("pds", "com.atproto.server.createSession")+f.count("entry", "com.atproto.server.createSession") != 0 {
		t.Errorf("createSession called for a refused sign-in: %v", f.calls)
	}
}

func TestDIDDocumentPDS(t *testing.T) {
	const did = "did:plc:abc"
	tests := []struct {
		name, doc, want string
	}{
		{"short id", `{"id":"did:plc:abc","service":[{"id":"#atproto_pds","type":"AtprotoPersonalDataServer","serviceEndpoint":"https://pds.example.com"}]}`, "https://pds.example.com"},
		{"full id", `{"id":"did:plc:abc","service":[{"id":"did:plc:abc#atproto_pds","type":"AtprotoPersonalDataServer","serviceEndpoint":"https://pds.example.com/"}]}`, "https://pds.example.com"},
		{"wrong type", `{"id":"did:plc:abc","service":[{"id":"#atproto_pds","type":"Other","serviceEndpoint":"https://pds.example.com"}]}`, ""},
		{"insecure", `{"id":"did:plc:abc","service":[{"id":"#atproto_pds","type":"AtprotoPersonalDataServer","serviceEndpoint":"http://pds.example.com"}]}`, ""},
		{"object endpoint", `{"id":"did:plc:abc","service":[{"id":"#atproto_pds","type":"AtprotoPersonalDataServer","serviceEndpoint":{"a":1}}]}`, ""},
		{"none", `{"id":"did:plc:abc"}`, ""},
	}
	for _, tt := range tests {
		var d didDoc
		if err := json.Unmarshal([]byte(tt.doc), &d); err != nil {
			t.Fatal(err)
		}
		got, err := d.pds(did)
		if got != tt.want || (tt.want == "") != (err != nil) {
			t.Errorf("%s: pds = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}
