package mastodon

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// answer makes every request to the fake server get code and body.
func answer(f *fakeMastodon, code int, body string, header map[string]string) {
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		for k, v := range header {
			w.Header().Set(k, v)
		}
		writeJSON(w, code, body)
		return true
	})
}

func TestErrorClassification(t *testing.T) {
	cases := []struct {
		name   string
		code   int
		body   string
		header map[string]string
		want   error
		after  time.Duration // for RetryAfterError: at least
	}{
		{"401", 401, `{"error": "The access token is invalid"}`, nil, feeds.ErrUnauthorized, 0},
		{"403", 403, `{"error": "This action is outside the authorized scopes"}`, nil, feeds.ErrUnauthorized, 0},
		{"429 retry-after", 429, `{"error": "Too many requests"}`, map[string]string{"Retry-After": "120"}, feeds.ErrRateLimited, 120 * time.Second},
		{"429 no delay", 429, `{"error": "Too many requests"}`, map[string]string{"X-RateLimit-Remaining": "5"}, feeds.ErrRateLimited, 60 * time.Second},
		{"500", 500, `{"error": "Error processing thumbnail for uploaded media"}`, nil, feeds.ErrServer, 10 * time.Second},
		{"503 retry-after", 503, `<html>maintenance</html>`, map[string]string{"Retry-After": "30"}, feeds.ErrServer, 30 * time.Second},
		{"422", 422, `{"error": "Validation failed: Text can't be blank"}`, nil, feeds.ErrRejected, 0},
		{"truncated", 200, `[{"id": "1", "content": "<p>cut`, nil, feeds.ErrBadResponse, 0},
		{"garbage", 200, `<html>not json</html>`, nil, feeds.ErrBadResponse, 0},
		{"wrong shape", 200, `{"error": "an object, not a list"}`, nil, feeds.ErrBadResponse, 0},
		{"empty", 200, ``, nil, feeds.ErrBadResponse, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, n, acct, _ := setup(t)
			answer(f, c.code, c.body, c.header)
			_, err := n.Fetch(context.Background(), acct, feeds.Home)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			var ra *feeds.RetryAfterError
			if c.after > 0 {
				if !errors.As(err, &ra) || ra.After < c.after || ra.After > c.after*3/2+time.Second {
					t.Fatalf("retry after: %v (want about %s)", err, c.after)
				}
			}
			if c.code == 422 && !strings.Contains(err.Error(), "Text can't be blank") {
				t.Errorf("server message lost: %v", err)
			}
		})
	}
}

func TestRateLimitWindowIsHonoured(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	f, n, acct, _ := setup(t, WithClock(clock))
	reset := now.Add(90 * time.Second).Format(time.RFC3339)
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", reset)
		return false // answer normally, but say the window is used up
	})
	if _, err := n.Fetch(context.Background(), acct, feeds.Home); err != nil {
		t.Fatal(err)
	}
	before := f.count("GET /api/v1/timelines/home")
	_, err := n.Fetch(context.Background(), acct, feeds.Home)
	var ra *feeds.RetryAfterError
	if !errors.As(err, &ra) || !errors.Is(err, feeds.ErrRateLimited) || ra.After != 90*time.Second {
		t.Fatalf("err = %v, want rate limited for 90s", err)
	}
	if f.count("GET /api/v1/timelines/home") != before {
		t.Fatal("a request was sent inside an exhausted rate-limit window")
	}
	// Another account on the same server has its own window.
	other := acct
	other.ID = "acct-2"
	_ = n.secrets.SetSecret("acct-2", testToken)
	if _, err := n.Fetch(context.Background(), other, feeds.Home); err != nil {
		t.Fatalf("other account blocked: %v", err)
	}
	now = now.Add(91 * time.Second)
	f.setHook(nil)
	if _, err := n.Fetch(context.Background(), acct, feeds.Home); err != nil {
		t.Fatalf("after the reset: %v", err)
	}
}

func TestHugeBodyIsRefused(t *testing.T) {
	f, n, acct, _ := setup(t)
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		w.Header().Set("Content-Type", "application/json")
		chunk := strings.Repeat(" ", 1<<20)
		_, _ = io.WriteString(w, "[")
		for range 20 { // 20 MiB of white space inside a valid start
			if _, err := io.WriteString(w, chunk); err != nil {
				return true
			}
		}
		_, _ = io.WriteString(w, "]")
		return true
	})
	_, err := n.Fetch(context.Background(), acct, feeds.Home)
	if !errors.Is(err, feeds.ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}

func TestSlowServer(t *testing.T) {
	slow := func(f *fakeMastodon) {
		f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return true
		})
	}
	t.Run("caller deadline", func(t *testing.T) {
		f, n, acct, _ := setup(t)
		slow(f)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := n.Fetch(ctx, acct, feeds.Home)
		// The server answers after 5 s at the latest: the error shows the
		// deadline ended the call; the time only guards against a hang.
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 30*time.Second {
			t.Fatalf("err = %v after %s", err, time.Since(start))
		}
	})
	t.Run("per-call timeout", func(t *testing.T) {
		f, n, acct, _ := setup(t, WithTimeout(500*time.Millisecond))
		slow(f)
		start := time.Now()
		_, err := n.Fetch(context.Background(), acct, feeds.Home)
		if feeds.Classify(err) != feeds.OutcomeUnknown || !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 30*time.Second {
			t.Fatalf("err = %v after %s, want a time-out whose outcome is unknown", err, time.Since(start))
		}
	})
}

func TestPlainHTTPRefusedOffLoopback(t *testing.T) {
	n := New(&memSecrets{}, nil)
	_ = n.secrets.SetSecret("a", testToken)
	acct := accounts.Account{ID: "a", Server: "http://social.example"}
	if _, err := n.Fetch(context.Background(), acct, feeds.Home); !errors.Is(err, feeds.ErrInsecureURL) {
		t.Errorf("Fetch: %v", err)
	}
	if _, _, err := n.SignIn(context.Background(), acct, testToken); !errors.Is(err, feeds.ErrInsecureURL) {
		t.Errorf("SignIn: %v", err)
	}
	if _, err := n.RegisterApp(context.Background(), "http://10.0.0.1", OOB); !errors.Is(err, feeds.ErrInsecureURL) {
		t.Errorf("RegisterApp: %v", err)
	}
	if _, err := AuthorizeURL("http://social.example", "c", OOB, "s", "x"); !errors.Is(err, feeds.ErrInsecureURL) {
		t.Errorf("AuthorizeURL: %v", err)
	}
}

func TestRedirectToPlainHTTPRefused(t *testing.T) {
	f, n, acct, _ := setup(t)
	n.client.CheckRedirect = checkRedirect
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		http.Redirect(w, r, "http://social.example/api/v1/timelines/home", http.StatusFound)
		return true
	})
	if _, err := n.Fetch(context.Background(), acct, feeds.Home); !errors.Is(err, feeds.ErrInsecureURL) {
		t.Fatalf("err = %v, want ErrInsecureURL", err)
	}
}

func TestMissingSecretNeedsSignIn(t *testing.T) {
	_, n, acct, _ := setup(t)
	acct.ID = "never-signed-in"
	if _, err := n.Fetch(context.Background(), acct, feeds.Home); !errors.Is(err, feeds.ErrUnauthorized) || !errors.Is(err, accounts.ErrNoSecret) {
		t.Fatalf("err = %v", err)
	}
}

// TestTokenNeverInErrors makes a hostile server echo the Authorization
// header into every error body and checks each error path's text.
func TestTokenNeverInErrors(t *testing.T) {
	for _, code := range []int{400, 401, 404, 422, 429, 500} {
		f, n, acct, _ := setup(t)
		f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
			writeJSON(w, code, `{"error": "you sent `+r.Header.Get("Authorization")+`", "error_description": "`+r.FormValue("client_secret")+r.FormValue("code_verifier")+`"}`)
			return true
		})
		var errs []error
		_, err := n.Fetch(context.Background(), acct, feeds.Home)
		errs = append(errs, err)
		_, err = n.Publish(context.Background(), acct, feeds.Outgoing{Text: "x", IdempotencyKey: "k"})
		errs = append(errs, err)
		errs = append(errs, n.Act(context.Background(), acct, "1", feeds.Like, false))
		_, _, err = n.SignIn(context.Background(), acct, testToken)
		errs = append(errs, err)
		_, err = n.ExchangeCode(context.Background(), f.srv.URL, App{ClientID: "c", ClientSecret: "csecret-ZEaFUFmF0umgBX1q"}, "good-code", OOB, "verifier-abcdefgh")
		errs = append(errs, err)
		for i, err := range errs {
			if err == nil {
				t.Fatalf("http %d call %d: no error", code, i)
			}
			for _, secret := range []string{testToken, "csecret-ZEaFUFmF0umgBX1q", "verifier-abcdefgh"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("http %d call %d: secret in error: %v", code, i, err)
				}
			}
		}
	}
}
