package x_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/feeds/x"
	"chancery/feeds/x/xtest"
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

type memState struct{ m sync.Map }

func (s *memState) NetState(id, key string) ([]byte, error) {
	if v, ok := s.m.Load(id + "|" + key); ok {
		return v.([]byte), nil
	}
	return nil, nil
}

func (s *memState) SetNetState(id, key string, v []byte) error {
	s.m.Store(id+"|"+key, append([]byte(nil), v...))
	return nil
}

var _ feeds.StateStore = (*memState)(nil)

// env is one test's fake X and client, signed in.
type env struct {
	srv     *xtest.Server
	net     *x.Network
	acct    accounts.Account
	secrets *memSecrets
	state   *memState
}

func setup(t *testing.T, srvOpts []xtest.Option, opts ...x.Option) env {
	t.Helper()
	srv := xtest.New(t, srvOpts...)
	e := env{srv: srv, secrets: &memSecrets{}, state: &memState{}}
	opts = append([]x.Option{x.WithTimeout(10 * time.Second), x.WithPollInterval(5 * time.Millisecond)}, opts...)
	e.net = x.New(e.secrets, e.state, opts...)
	e.acct = accounts.Account{ID: "vienna-x", Mission: "vienna", Network: accounts.X, Server: srv.URL}
	_ = e.secrets.SetSecret(e.acct.ID, srv.Secret(2*time.Hour))
	return e
}

// browse follows the authorization page as a browser would: X approves
// and redirects to the loopback receiver.
func browse(page *url.URL) error {
	go func() {
		resp, err := http.Get(page.String())
		if err == nil {
			resp.Body.Close()
		}
	}()
	return nil
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}
