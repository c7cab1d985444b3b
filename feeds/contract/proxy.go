package contract

import (
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"
)

// Proxy starts a server on 127.0.0.1 that passes every request to the fake
// server at target, behind f's switches, for a fake whose handler cannot
// be wrapped. It closes when t ends. Addresses in the fake's answers
// (paging links) still name the fake itself.
func Proxy(t *testing.T, f *Faults, target string) *httptest.Server {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatalf("contract proxy to %q: %v", target, err)
	}
	srv := httptest.NewServer(f.Wrap(httputil.NewSingleHostReverseProxy(u)))
	t.Cleanup(srv.Close)
	t.Cleanup(f.Close)
	return srv
}
