package feeds_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"chancery/feeds"
	"chancery/feeds/feedstest"
)

// rawServer listens on 127.0.0.1 and hands each connection, once the
// request's head was read, to serve.
func rawServer(t *testing.T, serve func(c net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r := bufio.NewReader(c)
				if _, err := http.ReadRequest(r); err == nil {
					serve(c)
				}
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// closedPort returns the address of a port on 127.0.0.1 nobody listens on.
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

// transportCase is one way a request can end, and what it must mean.
type transportCase struct {
	name    string
	method  string
	prepare func(t *testing.T) (url string, client *http.Client, ctx context.Context)
	want    feeds.Outcome
	is      []error // the chain holds these too
	after   time.Duration
}

func transportCases() []transportCase {
	plain := func(h http.HandlerFunc) func(t *testing.T) (string, *http.Client, context.Context) {
		return func(t *testing.T) (string, *http.Client, context.Context) {
			srv := httptest.NewServer(h)
			t.Cleanup(srv.Close)
			return srv.URL, srv.Client(), t.Context()
		}
	}
	hanging := func(t *testing.T, got func()) *httptest.Server {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
			got()
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}))
		t.Cleanup(srv.Close)
		t.Cleanup(func() { close(release) })
		return srv
	}
	return []transportCase{
		{name: "2xx", method: http.MethodPost, want: feeds.OutcomeOther, prepare: plain(func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprint(w, `{"id":"1"}`)
		})},
		{name: "reset before the answer", method: http.MethodPost, want: feeds.OutcomeUnknown, prepare: func(t *testing.T) (string, *http.Client, context.Context) {
			url := rawServer(t, func(c net.Conn) {
				if tc, ok := c.(*net.TCPConn); ok {
					_ = tc.SetLinger(0) // close with a reset, as a dropped link does
				}
			})
			return url, &http.Client{}, t.Context()
		}},
		{name: "closed before the answer", method: http.MethodGet, want: feeds.OutcomeUnknown, prepare: func(t *testing.T) (string, *http.Client, context.Context) {
			return rawServer(t, func(net.Conn) {}), &http.Client{}, t.Context()
		}},
		{name: "deadline while waiting for headers", method: http.MethodPost, want: feeds.OutcomeUnknown, is: []error{context.DeadlineExceeded}, prepare: func(t *testing.T) (string, *http.Client, context.Context) {
			ctx := feedstest.NewExpiring(t)
			srv := hanging(t, ctx.Expire) // the deadline strikes once the server has the request
			return srv.URL, srv.Client(), ctx
		}},
		{name: "client timeout", method: http.MethodPost, want: feeds.OutcomeUnknown, is: []error{context.DeadlineExceeded}, prepare: func(t *testing.T) (string, *http.Client, context.Context) {
			srv := hanging(t, func() {})
			c := srv.Client()
			c.Timeout = 2 * time.Second
			return srv.URL, c, t.Context()
		}},
		{name: "2xx body cut mid-way", method: http.MethodPost, want: feeds.OutcomeUnknown, is: []error{io.ErrUnexpectedEOF}, prepare: func(t *testing.T) (string, *http.Client, context.Context) {
			url := rawServer(t, func(c net.Conn) {
				fmt.Fprint(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"id\":\"10")
			})
			return url, &http.Client{}, t.Context()
		}},
		{name: "503 with Retry-After", method: http.MethodPost, want: feeds.OutcomeUnknown, is: []error{feeds.ErrServer}, after: 7 * time.Second, prepare: plain(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "7")
			http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
		})},
		{name: "429", method: http.MethodPost, want: feeds.OutcomeRateLimited, after: 30 * time.Second, prepare: plain(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("Retry-After", "30")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"error":"Too many requests"}`)
		})},
		{name: "422 with a JSON error", method: http.MethodPost, want: feeds.OutcomeRefused, prepare: plain(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnprocessableEntity)
			fmt.Fprint(w, `{"error":"Validation failed: Text can't be blank"}`)
		})},
		{name: "401", method: http.MethodGet, want: feeds.OutcomeUnauthorized, prepare: plain(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"The access token is invalid"}`)
		})},
		{name: "connection refused", method: http.MethodPost, want: feeds.OutcomeOffline, prepare: func(t *testing.T) (string, *http.Client, context.Context) {
			return closedPort(t), &http.Client{}, t.Context()
		}},
		{name: "no such host", method: http.MethodPost, want: feeds.OutcomeOffline, prepare: func(t *testing.T) (string, *http.Client, context.Context) {
			tr := &http.Transport{DialContext: func(context.Context, string, string) (net.Conn, error) {
				return nil, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "social.invalid", IsNotFound: true}}
			}}
			return "http://social.invalid", &http.Client{Transport: tr}, t.Context()
		}},
		{name: "dial time-out", method: http.MethodPost, want: feeds.OutcomeOffline, is: []error{context.DeadlineExceeded}, prepare: func(t *testing.T) (string, *http.Client, context.Context) {
			ctx := feedstest.NewExpiring(t)
			tr := &http.Transport{DialContext: func(dctx context.Context, _, _ string) (net.Conn, error) {
				ctx.Expire() // the deadline strikes while connecting
				<-dctx.Done()
				return nil, dctx.Err()
			}}
			return "http://127.0.0.1:9", &http.Client{Transport: tr}, ctx
		}},
		{name: "TLS handshake refused", method: http.MethodPost, want: feeds.OutcomeOffline, prepare: func(t *testing.T) (string, *http.Client, context.Context) {
			srv := httptest.NewUnstartedServer(http.NotFoundHandler())
			srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
			srv.StartTLS()
			t.Cleanup(srv.Close)
			return srv.URL, &http.Client{}, t.Context() // the test certificate is not trusted
		}},
		{name: "cancelled by the caller", method: http.MethodPost, want: feeds.OutcomeCancelled, is: []error{context.Canceled}, prepare: func(t *testing.T) (string, *http.Client, context.Context) {
			ctx, cancel := context.WithCancel(t.Context())
			srv := hanging(t, cancel)
			return srv.URL, srv.Client(), ctx
		}},
		{name: "2xx too large to a POST", method: http.MethodPost, want: feeds.OutcomeUnknown, is: []error{feeds.ErrTooLarge}, prepare: plain(func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprint(w, strings.Repeat("x", 2048))
		})},
		{name: "2xx too large to a GET", method: http.MethodGet, want: feeds.OutcomeOther, is: []error{feeds.ErrTooLarge}, prepare: plain(func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprint(w, strings.Repeat("x", 2048))
		})},
	}
}

func TestDoClassifiesEveryEnd(t *testing.T) {
	for _, tt := range transportCases() {
		t.Run(tt.name, func(t *testing.T) {
			url, client, ctx := tt.prepare(t)
			req, err := http.NewRequestWithContext(ctx, tt.method, url+"/api/v1/statuses", strings.NewReader("status=hello"))
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = feeds.Do(client, req, 1024)
			if got := feeds.Classify(err); got != tt.want {
				t.Fatalf("Classify(%v) = %d, want %d", err, got, tt.want)
			}
			if tt.want != feeds.OutcomeOther && err == nil {
				t.Fatal("no error")
			}
			for _, target := range tt.is {
				if !errors.Is(err, target) {
					t.Errorf("error %v does not wrap %v", err, target)
				}
			}
			var ra *feeds.RetryAfterError
			if tt.after > 0 && (!errors.As(err, &ra) || ra.After != tt.after) {
				t.Errorf("error %v: want a wait of %s", err, tt.after)
			}
			if tt.want == feeds.OutcomeOffline && errors.Is(err, feeds.ErrOutcomeUnknown) {
				t.Errorf("offline error %v also claims an unknown outcome", err)
			}
		})
	}
}

// TestDoKeepsTheServersReason checks that a refusal keeps what the server
// said, and that no error repeats a password or token of the request.
func TestDoKeepsTheServersReason(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusUnprocessableEntity)
		fmt.Fprint(w, `{"error":"Validation failed: Text can't be blank"}`)
	}))
	defer srv.Close()
	for _, base := range []string{srv.URL, closedPort(t)} {
		u := strings.Replace(base, "http://", "http://alice:hunter2@", 1)
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, u+"/api/v1/statuses", nil)
		req.Header.Set("Authorization", "Bearer s3cr3t-token")
		_, _, err := feeds.Do(srv.Client(), req, feeds.MaxBody)
		if err == nil || strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "s3cr3t") {
			t.Fatalf("error leaks a secret or is nil: %v", err)
		}
		var se *feeds.StatusError
		if base == srv.URL && (!errors.As(err, &se) || se.Status != 422 || !strings.Contains(se.Message, "Text can't be blank")) {
			t.Errorf("refusal = %v, want the server's reason", err)
		}
	}
}

// TestDoWithoutTraceFallsBackOnTheError checks a client whose transport
// reports no progress: only an error known to come before sending is offline.
func TestDoWithoutTraceFallsBackOnTheError(t *testing.T) {
	tests := []struct {
		err  error
		want feeds.Outcome
	}{
		{&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}, feeds.OutcomeOffline},
		{&net.DNSError{Err: "no such host", Name: "x.invalid", IsNotFound: true}, feeds.OutcomeOffline},
		{&net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}, feeds.OutcomeUnknown},
		{io.EOF, feeds.OutcomeUnknown},
	}
	for _, tt := range tests {
		client := &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, tt.err })}
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, "https://social.example/api/v1/statuses", nil)
		_, _, err := feeds.Do(client, req, feeds.MaxBody)
		if got := feeds.Classify(err); got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("%v: Classify(%v) = %d, want %d with the cause kept", tt.err, err, got, tt.want)
		}
	}
}

// TestDoRefusedRedirect checks that a redirect the client's policy refuses
// is neither offline nor, for a read, an unknown outcome.
func TestDoRefusedRedirect(t *testing.T) {
	srv := httptest.NewServer(http.RedirectHandler("http://elsewhere.example/", http.StatusFound))
	defer srv.Close()
	refusal := errors.New("redirect refused")
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return refusal }
	for method, want := range map[string]feeds.Outcome{http.MethodGet: feeds.OutcomeOther, http.MethodPost: feeds.OutcomeUnknown} {
		req, _ := http.NewRequestWithContext(t.Context(), method, srv.URL, nil)
		_, _, err := feeds.Do(client, req, feeds.MaxBody)
		if got := feeds.Classify(err); got != want || !errors.Is(err, refusal) {
			t.Errorf("%s: Classify(%v) = %d, want %d", method, err, got, want)
		}
	}
}
