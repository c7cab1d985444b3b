package bluesky

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"chancery/feeds"
	"chancery/feeds/feedstest"
)

// TestTransportOutcomes checks what an XRPC call that failed in transit
// reports: a time-out after the server got the call, or a connection cut
// before the answer, is an unknown outcome for a procedure (POST) and a
// query (GET) alike; a server nobody listens on is offline.
func TestTransportOutcomes(t *testing.T) {
	create, err := procedure("com.atproto.repo.createRecord", map[string]string{"collection": collLike})
	if err != nil {
		t.Fatal(err)
	}
	calls := map[string]request{"POST": create, "GET": query("app.bsky.feed.getTimeline", nil)}
	n := New(newMemSecrets(), newMemState(), WithHTTPClient(&http.Client{}), WithTimeout(30*time.Second))
	serve := func(t *testing.T, h http.HandlerFunc) string {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return srv.URL
	}
	for method, r := range calls {
		t.Run(method+" hanging", func(t *testing.T) {
			ctx := feedstest.NewExpiring(t)
			r.base = serve(t, func(_ http.ResponseWriter, req *http.Request) {
				_, _ = io.Copy(io.Discard, req.Body) // then the server sees the client leave
				ctx.Expire()                         // the deadline passes once the server has the call
				<-req.Context().Done()
			})
			err := n.do(ctx, r, nil)
			if feeds.Classify(err) != feeds.OutcomeUnknown || !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v, want a time-out whose outcome is unknown", err)
			}
		})
		t.Run(method+" cut", func(t *testing.T) {
			r.base = serve(t, func(w http.ResponseWriter, _ *http.Request) {
				if c, _, err := http.NewResponseController(w).Hijack(); err == nil {
					c.Close()
				}
			})
			if err := n.do(t.Context(), r, nil); feeds.Classify(err) != feeds.OutcomeUnknown {
				t.Errorf("err = %v, want an unknown outcome", err)
			}
		})
		t.Run(method+" closed port", func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			r.base = "http://" + ln.Addr().String()
			ln.Close()
			if err := n.do(t.Context(), r, nil); feeds.Classify(err) != feeds.OutcomeOffline {
				t.Errorf("err = %v, want offline", err)
			}
		})
	}
}
