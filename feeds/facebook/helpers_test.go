package facebook

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds/facebook/fbtest"
)

type memSecrets struct{ m sync.Map }

func (s *memSecrets) Secret(id string) (string, error) {
	if v, ok := s.m.Load(id); ok {
		return v.(string), nil
	}
	return "", fmt.Errorf("secret %q: %w", id, accounts.ErrNoSecret)
}
func (s *memSecrets) SetSecret(id, v string) error { s.m.Store(id, v); return nil }
func (s *memSecrets) DeleteSecret(id string) error { s.m.Delete(id); return nil }

// start is the servers' and clients' clock at the start of each test.
var start = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)

// setup starts a fake Graph server and a client signed in to its Page, on
// the server's clock.
func setup(t *testing.T, opts ...Option) (*fbtest.Server, *Network, accounts.Account) {
	t.Helper()
	srv := fbtest.New(start)
	t.Cleanup(srv.Close)
	secrets := &memSecrets{}
	opts = append([]Option{WithClock(srv.Now), WithTimeout(10 * time.Second)}, opts...)
	n := New(secrets, opts...)
	acct := accounts.Account{
		ID: "vienna-facebook", Mission: "vienna", Network: accounts.Facebook,
		Server: srv.Base(), Handle: fbtest.PageID, DisplayName: fbtest.PageName,
	}
	_ = secrets.SetSecret(acct.ID, fbtest.PageToken)
	return srv, n, acct
}

// noSecret fails the test when text holds a token of the fake server.
func noSecret(t *testing.T, what, text string) {
	t.Helper()
	for _, tok := range []string{fbtest.PageToken, fbtest.UserToken} {
		if strings.Contains(text, tok) {
			t.Errorf("%s holds a token: %s", what, text)
		}
	}
}
