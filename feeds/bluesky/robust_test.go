package bluesky

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"chancery/feeds"
)

func TestFetchErrors(t *testing.T) {
	reset := strconv.FormatInt(time.Now().Add(30*time.Second).Unix(), 10)
	tests := []struct {
		name  string
		reply reply
		want  error
		after time.Duration // Retry-After asked for, when want is retryable
	}{
		{
			"rate limited",
			reply{
				status: 429, body: `{"error":"RateLimitExceeded","message":"Rate Limit Exceeded"}`,
				headers: map[string]string{"RateLimit-Limit": "3000", "RateLimit-Remaining": "0", "RateLimit-Reset": reset, "RateLimit-Policy": "3000;w=300"},
			},
			feeds.ErrRateLimited, 30 * time.Second,
		},
		{"server error", reply{status: 500, body: `{"error":"InternalServerError","message":"Internal Server Error"}`}, feeds.ErrServer, 0},
		{"gateway with retry-after", reply{status: 502, body: `<html>Bad Gateway</html>`, headers: map[string]string{"Retry-After": "7"}}, feeds.ErrServer, 7 * time.Second},
		{"truncated JSON", reply{status: 200, body: `{"cursor":"x","feed":[{"post":{"uri":"at://`}, feeds.ErrBadResponse, 0},
		{"wrong JSON type", reply{status: 200, body: `{"feed":{"post":1}}`}, feeds.ErrBadResponse, 0},
		{"not JSON", reply{status: 200, body: `<!doctype html><p>maintenance</p>`}, feeds.ErrBadResponse, 0},
		{"oversized", reply{status: 200, body: `{"feed":[],"cursor":"` + strings.Repeat("a", feeds.MaxBody) + `"}`}, feeds.ErrTooLarge, 0},
		{"invalid request", reply{status: 400, body: `{"error":"InvalidRequest","message":"Error: limit must be <= 100"}`}, feeds.ErrRejected, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeServer(t)
			n, acct, _ := signedIn(t, f)
			f.queue(nsidTimeline, tt.reply)
			_, err := n.Fetch(context.Background(), acct, feeds.Home)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var ra *feeds.RetryAfterError
			if retryable := errors.As(err, &ra); retryable != (tt.want == feeds.ErrRateLimited || tt.want == feeds.ErrServer) {
				t.Errorf("RetryAfterError = %v for %v", retryable, err)
			} else if retryable && (ra.After < tt.after-2*time.Second || ra.After > tt.after) {
				t.Errorf("retry after %v, want about %v", ra.After, tt.after)
			}
			if f.count("pds", nsidRefresh) != 0 {
				t.Error("a non-auth error renewed the session")
			}
		})
	}
}

func TestDeadlines(t *testing.T) {
	f := newFakeServer(t)
	n, acct, secrets := signedIn(t, f)
	f.set(func(f *fakeServer) { f.stall = nsidTimeline })

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := n.Fetch(ctx, acct, feeds.Home); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("caller's deadline: err = %v", err)
	}
	if time.Since(start) > 30*time.Second { // a guard against a hang: the error shows the deadline ended it
		t.Errorf("took %v", time.Since(start))
	}

	short := f.network(secrets, WithTimeout(500*time.Millisecond))
	_, err := short.Fetch(context.Background(), acct, feeds.Home)
	if feeds.Classify(err) != feeds.OutcomeUnknown || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("own per-call timeout: err = %v, want a time-out whose outcome is unknown", err)
	}

	cancelled, stop := context.WithCancel(context.Background())
	stop()
	if _, err := n.Fetch(cancelled, acct, feeds.Home); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}

func TestOnlyHTTPSOffLoopback(t *testing.T) {
	f := newFakeServer(t)
	_, acct, secrets := signedIn(t, f)
	s := storedSession(t, secrets, acct.ID)
	s.PDS = "http://pds.example.net"
	blob, _ := json.Marshal(s)
	_ = secrets.SetSecret(acct.ID, string(blob))
	n := f.network(secrets)
	if _, err := n.Fetch(context.Background(), acct, feeds.Home); !errors.Is(err, feeds.ErrInsecureURL) {
		t.Errorf("err = %v, want ErrInsecureURL", err)
	}
	if _, err := n.resolveDID(context.Background(), "did:web:pds.example.net%3A8080"); !errors.Is(err, ErrIdentity) {
		t.Errorf("did:web with a port off loopback: err = %v", err)
	}
	if _, err := n.resolveDID(context.Background(), "did:key:z6Mk"); !errors.Is(err, ErrIdentity) {
		t.Errorf("did:key: err = %v", err)
	}
}

func TestNoSecretInErrorsOrSession(t *testing.T) {
	f := newFakeServer(t)
	n, acct, secrets := signedIn(t, f)
	s := storedSession(t, secrets, acct.ID)
	for _, tt := range []struct {
		reply reply
		times int
	}{
		{reply{status: 500, body: `{"error":"InternalServerError"}`}, 1},
		{reply{status: 401, body: `{"error":"AuthenticationRequired","message":"Authentication Required"}`}, 2},
		{reply{status: 200, body: `{`}, 1},
	} {
		for range tt.times {
			f.queue(nsidTimeline, tt.reply)
		}
		_, err := n.Fetch(context.Background(), acct, feeds.Home)
		for _, secret := range []string{testPassword, s.AccessJwt, s.RefreshJwt} {
			if err == nil || strings.Contains(err.Error(), secret) {
				t.Errorf("err = %v", err)
			}
		}
	}
	for _, text := range []string{s.String(), s.GoString()} {
		if strings.Contains(text, testPassword) || strings.Contains(text, s.AccessJwt) {
			t.Errorf("session prints a secret: %s", text)
		}
	}
}
