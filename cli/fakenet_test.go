package cli_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// tokenServer is a test server on 127.0.0.1 that answers only requests
// bearing one of its tokens: /verify with the account's name, /home with
// posts. A refused request gets a 401 whose body quotes the token, as a
// careless server might, so that tests see whether it leaks.
type tokenServer struct {
	*httptest.Server
	mu       sync.Mutex
	tokens   map[string]string // token -> user name
	requests int
	marker   string // text put in every post
}

func newTokenServer(t *testing.T, marker string) *tokenServer {
	t.Helper()
	s := &tokenServer{tokens: map[string]string{}, marker: marker}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *tokenServer) allow(token, user string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = user
}

func (s *tokenServer) requestCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

func (s *tokenServer) serve(w http.ResponseWriter, r *http.Request) {
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	s.requests++
	user, ok := s.tokens[token]
	s.mu.Unlock()
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"error":"invalid token %s"}`, token)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/verify":
		_ = json.NewEncoder(w).Encode(map[string]string{"acct": user, "display_name": "Press office " + user})
	case "/home":
		_ = json.NewEncoder(w).Encode([]map[string]string{
			{"id": "101", "text": "Consular notice from " + user + " " + s.marker, "created_at": "2026-03-01T09:00:00Z"},
			{"id": "102", "text": "Avis consulaire " + s.marker, "created_at": "2026-03-01T08:00:00Z"},
		})
	default:
		http.NotFound(w, r)
	}
}

// fakeNet is a network implementing feeds.SignIn against a tokenServer
// (registered as mastodon). Fetch reads the account's secret from secrets,
// as real networks do, and sends it as a bearer token.
type fakeNet struct {
	secrets accounts.SecretStore
	client  *http.Client
}

var _ feeds.SignIn = (*fakeNet)(nil)

func (n *fakeNet) ID() accounts.Network { return accounts.Mastodon }

func (n *fakeNet) Capabilities() feeds.Capabilities {
	return feeds.Capabilities{Kinds: []feeds.Kind{feeds.Home}}
}

func (n *fakeNet) get(ctx context.Context, url, token string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := n.client.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %w", feeds.ErrOffline, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		// Careless on purpose: the body quotes the token.
		return fmt.Errorf("%w: %s", feeds.ErrUnauthorized, body)
	case resp.StatusCode != http.StatusOK:
		return fmt.Errorf("%w: status %d", feeds.ErrServer, resp.StatusCode)
	}
	return json.Unmarshal(body, v)
}

func (n *fakeNet) SignIn(ctx context.Context, a accounts.Account, secret string) (accounts.Account, string, error) {
	var me struct {
		Acct        string `json:"acct"`
		DisplayName string `json:"display_name"`
	}
	if err := n.get(ctx, a.Server+"/verify", secret, &me); err != nil {
		return accounts.Account{}, "", fmt.Errorf("sign in: %w", err)
	}
	a.Handle = "@" + me.Acct + "@" + strings.TrimPrefix(a.Server, "http://")
	a.DisplayName = me.DisplayName
	return a, secret, nil
}

func (n *fakeNet) Fetch(ctx context.Context, a accounts.Account, _ feeds.Kind) ([]feeds.Post, error) {
	token, err := n.secrets.Secret(a.ID)
	if err != nil {
		return nil, err
	}
	var items []struct {
		ID        string    `json:"id"`
		Text      string    `json:"text"`
		CreatedAt time.Time `json:"created_at"`
	}
	if err := n.get(ctx, a.Server+"/home", token, &items); err != nil {
		return nil, err
	}
	posts := make([]feeds.Post, 0, len(items))
	for _, it := range items {
		posts = append(posts, feeds.Post{ID: it.ID, Author: a.Handle, Text: it.Text, Lang: "en", CreatedAt: it.CreatedAt})
	}
	return posts, nil
}

// fakeFeed is an RSS-like network: it checks an account without a secret.
type fakeFeed struct {
	mu      sync.Mutex
	secrets []string // the secrets SignIn was given
}

func (f *fakeFeed) ID() accounts.Network { return accounts.RSS }

func (f *fakeFeed) Capabilities() feeds.Capabilities {
	return feeds.Capabilities{Kinds: []feeds.Kind{feeds.Feed}}
}

func (f *fakeFeed) Fetch(context.Context, accounts.Account, feeds.Kind) ([]feeds.Post, error) {
	return nil, nil
}

func (f *fakeFeed) SignIn(_ context.Context, a accounts.Account, secret string) (accounts.Account, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.secrets = append(f.secrets, secret)
	a.Feeds = []string{a.Server}
	a.Handle = "Press releases"
	return a, "", nil
}
