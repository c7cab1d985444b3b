package feeds_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/translations"
)

// noRouteUntil is a client whose connections fail as on a machine without
// a network (no route to any host) until online is set.
func noRouteUntil(online *atomic.Bool) *http.Client {
	return &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if !online.Load() {
			return nil, &net.OpError{Op: "dial", Net: network, Err: os.NewSyscallError("connect", syscall.ENETUNREACH)}
		}
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}}
}

// dialFails is a client whose every connection fails with err.
func dialFails(err error) *http.Client {
	return &http.Client{Transport: &http.Transport{DialContext: func(context.Context, string, string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: err}
	}}}
}

// TestDoTellsAWrongAddressFromOffline: a refused connection or a name that
// does not exist proves the machine online and names the address; no route
// or a name server that cannot be asked is offline. Both stay offline for
// Classify: nothing reached the server.
func TestDoTellsAWrongAddressFromOffline(t *testing.T) {
	tests := []struct {
		name        string
		url         func(t *testing.T) string
		client      *http.Client
		unreachable bool
		message     string
	}{
		{"refused on a closed port", closedPort, &http.Client{}, true, "No server answers at this address"},
		{"no such host", fixed("https://social.invalid"), dialFails(&net.DNSError{Err: "no such host", Name: "social.invalid", IsNotFound: true}), true, "No server answers at this address"},
		{"name server unreachable", fixed("https://social.example"), dialFails(&net.DNSError{Err: "server misbehaving", Name: "social.example", IsTemporary: true}), false, "The network cannot be reached"},
		{"no route", fixed("https://social.example"), dialFails(os.NewSyscallError("connect", syscall.ENETUNREACH)), false, "The network cannot be reached"},
	}
	loc := translations.New("en")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, tt.url(t)+"/feed.xml", nil)
			_, _, err := feeds.Do(tt.client, req, feeds.MaxBody)
			if got := feeds.Classify(err); got != feeds.OutcomeOffline {
				t.Errorf("Classify(%v) = %d, want offline", err, got)
			}
			if errors.Is(err, feeds.ErrUnreachable) != tt.unreachable {
				t.Errorf("%v: unreachable = %v, want %v", err, !tt.unreachable, tt.unreachable)
			}
			if msg := loc.Error(err); len(msg) < len(tt.message) || msg[:len(tt.message)] != tt.message {
				t.Errorf("message %q, want one starting %q", msg, tt.message)
			}
		})
	}
}

func fixed(u string) func(*testing.T) string { return func(*testing.T) string { return u } }

// TestRefreshWrongAddressIsNotOffline: an account whose server refuses the
// connection is marked wrong-address and backs off, while the app stays
// online and another account refreshes fine.
func TestRefreshWrongAddressIsNotOffline(t *testing.T) {
	good := newSlowServer(t, 0)
	bad := closedPort(t)
	r := feeds.NewRefresher(feeds.Registry{accounts.RSS: httpNet{&http.Client{}}}, newMemCache(), nil)
	var mu sync.Mutex
	var conn []bool
	states := map[string]accounts.State{}
	r.Subscribe(func(e feeds.Event) {
		if e.Phase == feeds.Connectivity {
			mu.Lock()
			conn = append(conn, e.Offline)
			mu.Unlock()
		}
	})
	r.OnAccountState = func(id string, s accounts.State) { mu.Lock(); states[id] = s; mu.Unlock() }
	accts := append(accountsOn(bad, 1, "bad"), accountsOn(good.URL, 1, "good")...)
	res := r.Refresh(t.Context(), accts, false)
	if !errors.Is(res[0].Err, feeds.ErrUnreachable) || res[1].Err != nil {
		t.Fatalf("results %v, %v", res[0].Err, res[1].Err)
	}
	mu.Lock()
	defer mu.Unlock()
	if r.Offline() || len(conn) != 0 {
		t.Errorf("offline %v, connectivity events %v", r.Offline(), conn)
	}
	if states["bad0"] != accounts.StateWrongAddress || states["good0"] != accounts.StateOK {
		t.Errorf("states %v", states)
	}
	again := r.RefreshOne(t.Context(), accts[0], feeds.Feed, false)
	if !again.Skipped {
		t.Errorf("a wrong address is asked again at once: %+v", again)
	}
}

func TestStateOf(t *testing.T) {
	tests := []struct {
		err  error
		want accounts.State
		ok   bool
	}{
		{nil, accounts.StateOK, true},
		{fmt.Errorf("x: %w", context.Canceled), "", false},
		{fmt.Errorf("x: %w: %w", feeds.ErrUnreachable, feeds.ErrOffline), accounts.StateWrongAddress, true},
		{fmt.Errorf("x: %w", feeds.ErrOffline), accounts.StateOffline, true},
		{fmt.Errorf("x: %w: %w", feeds.ErrNoAnswer, feeds.ErrOutcomeUnknown), accounts.StateOffline, true},
		{fmt.Errorf("x: %w", feeds.ErrUnauthorized), accounts.StateNeedsSignIn, true},
		{&feeds.NoFeedError{Address: "https://a.example/", Err: feeds.ErrRejected}, accounts.StateError, true},
	}
	for _, tt := range tests {
		if got, ok := feeds.StateOf(tt.err); got != tt.want || ok != tt.ok {
			t.Errorf("StateOf(%v) = %q, %v; want %q, %v", tt.err, got, ok, tt.want, tt.ok)
		}
	}
}
