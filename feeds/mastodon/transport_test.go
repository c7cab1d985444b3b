package mastodon

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/feeds/feedstest"
)

func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// TestTransportOutcomes checks that the client reports what a failed
// request means: a time-out after the request reached the server, or a
// connection cut before the answer, is an unknown outcome, for a POST and a
// GET alike; a server nobody listens on is offline.
func TestTransportOutcomes(t *testing.T) {
	calls := map[string]func(ctx context.Context, n *Network, acct accounts.Account) error{
		"GET": func(ctx context.Context, n *Network, acct accounts.Account) error {
			_, err := n.Fetch(ctx, acct, feeds.Home)
			return err
		},
		"POST": func(ctx context.Context, n *Network, acct accounts.Account) error {
			return n.Act(ctx, acct, "1", feeds.Like, false)
		},
	}
	for method, call := range calls {
		t.Run(method+" hanging", func(t *testing.T) {
			f, n, acct, _ := setup(t)
			ctx := feedstest.NewExpiring(t)
			f.setHook(func(_ http.ResponseWriter, r *http.Request) bool {
				ctx.Expire() // the deadline passes once the server has the request
				<-r.Context().Done()
				return true
			})
			err := call(ctx, n, acct)
			if feeds.Classify(err) != feeds.OutcomeUnknown || !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v, want a time-out whose outcome is unknown", err)
			}
		})
		t.Run(method+" cut", func(t *testing.T) {
			f, n, acct, _ := setup(t)
			f.setHook(func(w http.ResponseWriter, _ *http.Request) bool {
				if c, _, err := http.NewResponseController(w).Hijack(); err == nil {
					c.Close()
				}
				return true
			})
			if err := call(t.Context(), n, acct); feeds.Classify(err) != feeds.OutcomeUnknown {
				t.Errorf("err = %v, want an unknown outcome", err)
			}
		})
		t.Run(method+" closed port", func(t *testing.T) {
			_, n, acct, _ := setup(t)
			acct.Server = closedPort(t)
			if err := call(t.Context(), n, acct); feeds.Classify(err) != feeds.OutcomeOffline {
				t.Errorf("err = %v, want offline", err)
			}
		})
	}
}
