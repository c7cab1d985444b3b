package facebook_test

import (
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/feeds/contract"
	"chancery/feeds/facebook"
	"chancery/feeds/facebook/fbtest"
)

// graphStyle is how the Graph API answers errors and limits: an error
// object {"error": {message, type, code, fbtrace_id}}; throttling is a 400
// with code 4 and the usage headers saying when access returns, in
// minutes; Graph sends no Retry-After.
var graphStyle = contract.Style{
	ContentType: "application/json; charset=UTF-8",
	Error: func(code int) string {
		switch code {
		case http.StatusUnauthorized:
			return `{"error":{"message":"Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.","type":"OAuthException","code":190,"error_subcode":460,"fbtrace_id":"AxKq1Ct3Rz8"}}`
		case http.StatusTooManyRequests:
			return `{"error":{"message":"(#4) Application request limit reached","type":"OAuthException","is_transient":true,"code":4,"fbtrace_id":"AxKq1Ct3Rz9"}}`
		}
		return `{"error":{"message":"An unexpected error has occurred. Please retry your request later.","type":"OAuthException","is_transient":true,"code":2,"fbtrace_id":"AxKq1Ct3Rz7"}}`
	},
	Malformed: `{"data":[{"id":"104857600000001_1001","message":"Consular hours`,
	RateLimit: func(reset time.Time) http.Header {
		mins := int(math.Ceil(time.Until(reset).Minutes()))
		return http.Header{"X-App-Usage": {fmt.Sprintf(`{"call_count":100,"total_cputime":12,"total_time":20,"estimated_time_to_regain_access":%d}`, mins)}}
	},
	RateLimitStatus: http.StatusBadRequest,
	NoRetryAfter:    true,
}

// pagePosts is how many posts the Page has: more than one page of 25.
const pagePosts = 30

func TestContract(t *testing.T) {
	contract.Run(t, contract.Harness{
		Start: startContract,
		Paged: feeds.Own, PagedMin: pagePosts,
		// UTF-16 code units, as Facebook's composer counts.
		Lengths:         map[string]int{"ascii": 37, "url": 64, "cjk": 12, "emoji": 6 + 4 + 1 + 4 + 1 + 8},
		LengthLimit:     facebook.MaxLength,
		GatesRateLimits: true, PublishedInOwn: true, NoIdempotencyKey: true,
	})
}

// startContract serves a Page with posts and visitors' comments, behind the
// suite's fault switches.
func startContract(t *testing.T) contract.Fixture {
	t.Helper()
	srv := fbtest.New(time.Now().UTC().Truncate(time.Second))
	t.Cleanup(srv.Close)
	first := srv.Now().Add(-time.Duration(pagePosts+5) * time.Minute)
	var last string
	for i := range pagePosts {
		last = srv.AddPost(fmt.Sprintf("Earlier post %d of the embassy", i+1), first.Add(time.Duration(i)*time.Minute))
	}
	for i := range 3 {
		srv.AddComment(last, fmt.Sprint(100000000000100+i), "Visitor", "When does the consulate open?", first.Add(time.Duration(pagePosts+i)*time.Minute))
	}
	faults := contract.NewFaults(graphStyle)
	front := httptest.NewServer(faults.Wrap(srv.Config.Handler))
	t.Cleanup(front.Close)
	secrets := &contractSecrets{m: map[string]string{}}
	acct := accounts.Account{
		ID: "vienna-facebook", Mission: "vienna", Network: accounts.Facebook,
		Server: front.URL + "/" + fbtest.Version, Handle: fbtest.PageID, DisplayName: fbtest.PageName,
	}
	_ = secrets.SetSecret(acct.ID, fbtest.PageToken)
	n := facebook.New(secrets, facebook.WithHTTPClient(front.Client()), facebook.WithClock(srv.Now), facebook.WithTimeout(10*time.Second))
	return contract.Fixture{
		Net: n, Account: acct, Faults: faults, Now: srv.Now,
		SignIn: contract.SignInCase{
			Account: accounts.Account{Mission: "vienna", Network: accounts.Facebook, Server: acct.Server, Handle: fbtest.PageID},
			Secret:  fbtest.UserToken, BadSecret: "EAAUser-revoked-Qx81Lw",
		},
		Secrets: []string{fbtest.PageToken, fbtest.UserToken},
	}
}

type contractSecrets struct {
	mu sync.Mutex
	m  map[string]string
}

func (s *contractSecrets) Secret(id string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.m[id]; ok {
		return v, nil
	}
	return "", fmt.Errorf("secret %q: %w", id, accounts.ErrNoSecret)
}

func (s *contractSecrets) SetSecret(id, v string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[id] = v
	return nil
}

func (s *contractSecrets) DeleteSecret(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
	return nil
}
