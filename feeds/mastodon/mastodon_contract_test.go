package mastodon

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/feeds/contract"
	"chancery/feeds/mastodon/mastodontest"
)

// mastodonStyle is how a Mastodon server answers errors and limits: a JSON
// {"error": …} body and X-RateLimit-* headers with an ISO 8601 reset.
var mastodonStyle = contract.Style{
	ContentType: "application/json; charset=utf-8",
	Error: func(code int) string {
		switch code {
		case http.StatusUnauthorized:
			return `{"error": "The access token is invalid"}`
		case http.StatusTooManyRequests:
			return `{"error": "Too many requests"}`
		}
		return `{"error": "We're sorry, but something went wrong on our end."}`
	},
	Malformed: `[{"id": "113000000000000009", "created_at": "2025-03-01T09:00:00.000Z", "content": "<p>Consular hours`,
	RateLimit: func(reset time.Time) http.Header {
		return http.Header{
			"X-Ratelimit-Limit":     {"300"},
			"X-Ratelimit-Remaining": {"0"},
			"X-Ratelimit-Reset":     {reset.UTC().Format("2006-01-02T15:04:05.000Z")},
		}
	},
}

// ownPosts is how many statuses the account has on the server: more than
// one page of 40.
const ownPosts = 45

func TestContract(t *testing.T) {
	contract.Run(t, contract.Harness{
		Start:    startContract,
		Kinds:    []feeds.Kind{feeds.Home, feeds.Mentions, feeds.Own, "tag:visa", "list:42", "search:visa"},
		Paged:    feeds.Own,
		PagedMin: ownPosts,
		// Graphemes, a link counting 23 (the server's characters_reserved_per_url).
		Lengths:         map[string]int{"ascii": 37, "url": 6 + 23, "cjk": 12, "emoji": 11},
		LengthLimit:     500,
		GatesRateLimits: true,
		PublishedInOwn:  true,
	})
}

// startContract serves one Mastodon API from two fakes: the account's own
// statuses, publishing, finding and scheduling from mastodontest (which
// keeps what is posted), the other timelines and actions from fakeMastodon.
func startContract(t *testing.T) contract.Fixture {
	t.Helper()
	fake := newFake(t)
	own := mastodontest.New(time.Now().UTC().Truncate(time.Second))
	t.Cleanup(own.Close)
	seedStatuses(t, own, ownPosts)
	faults := contract.NewFaults(mastodonStyle)
	front := httptest.NewServer(faults.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ownRoute(r) {
			own.Config.Handler.ServeHTTP(w, r)
			return
		}
		if r.Header.Get("Authorization") == "Bearer "+mastodontest.Token {
			r.Header.Set("Authorization", "Bearer "+testToken)
		}
		fake.srv.Config.Handler.ServeHTTP(w, r)
	})))
	t.Cleanup(front.Close)
	secrets := &memSecrets{}
	_ = secrets.SetSecret("acct-1", mastodontest.Token)
	n := New(secrets, &memState{}, WithHTTPClient(front.Client()))
	acct := accounts.Account{ID: "acct-1", Mission: "vienna", Network: accounts.Mastodon, Server: front.URL}
	return contract.Fixture{
		Net: n, Account: acct, Faults: faults, Now: own.Now, Secrets: []string{mastodontest.Token, testToken},
		SignIn: contract.SignInCase{
			Account: accounts.Account{Mission: "vienna", Network: accounts.Mastodon, Server: front.URL},
			Secret:  mastodontest.Token, BadSecret: "tok-revoked-Hq2Lw9",
		},
	}
}

// ownRoute reports whether r is for mastodontest.
func ownRoute(r *http.Request) bool {
	p := r.URL.Path
	switch {
	case p == "/api/v1/accounts/verify_credentials", p == "/api/v2/instance", p == "/api/v1/statuses" && r.Method == http.MethodPost:
		return true
	case strings.HasPrefix(p, "/api/v1/accounts/") && strings.HasSuffix(p, "/statuses"):
		return true
	case strings.HasPrefix(p, "/api/v1/statuses/") && strings.HasSuffix(p, "/source"):
		return true
	case strings.HasPrefix(p, "/api/v1/statuses/") && r.Method == http.MethodDelete:
		return true
	}
	return strings.HasPrefix(p, "/api/v1/scheduled_statuses")
}

// seedStatuses posts count statuses a minute apart, as the account would
// have over the last hour.
func seedStatuses(t *testing.T, s *mastodontest.Server, count int) {
	t.Helper()
	for i := range count {
		form := url.Values{"status": {"Earlier post " + string(rune('A'+i%26)) + " number " + time.Duration(i).String()}}
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL+"/api/v1/statuses", strings.NewReader(form.Encode()))
		req.Header.Set("Authorization", "Bearer "+mastodontest.Token)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := s.Client().Do(req)
		if err != nil {
			t.Fatalf("seed: %v", err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("seed: %s", resp.Status)
		}
		s.Advance(time.Minute)
	}
}
