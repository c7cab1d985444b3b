package x_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/feeds/contract"
	"chancery/feeds/x"
	"chancery/feeds/x/xtest"
)

// xStyle is how X API v2 answers errors and limits: problem JSON and the
// x-rate-limit-* headers with the reset in Unix seconds.
var xStyle = contract.Style{
	ContentType: "application/problem+json",
	Error: func(code int) string {
		b, _ := json.Marshal(map[string]any{
			"title": http.StatusText(code), "detail": http.StatusText(code), "type": "about:blank", "status": code,
		})
		return string(b)
	},
	Malformed: `{"data":[{"id":"1860000000001000004","text":"Consular hours`,
	RateLimit: func(reset time.Time) http.Header {
		return http.Header{
			"X-Rate-Limit-Limit":     {"900"},
			"X-Rate-Limit-Remaining": {"0"},
			"X-Rate-Limit-Reset":     {strconv.FormatInt(reset.Unix(), 10)},
		}
	},
}

// ownPosts is how many posts the account has: more than one page.
const ownPosts = 25

func TestContract(t *testing.T) {
	contract.Run(t, contract.Harness{
		Start: startContract,
		Paged: feeds.Own, PagedMin: ownPosts,
		// Weighted: a link counts 23, CJK 2, an emoji sequence 2.
		Lengths:         map[string]int{"ascii": 37, "url": 6 + 23, "cjk": 24, "emoji": 6 + 2 + 1 + 2 + 1 + 2},
		LengthLimit:     x.MaxLength,
		GatesRateLimits: true, PublishedInOwn: true, NoIdempotencyKey: true,
	})
}

// startContract signs an account in to a fake X seeded with its own posts
// and a few mentions, behind the suite's fault switches.
func startContract(t *testing.T) contract.Fixture {
	t.Helper()
	srv := xtest.New(t)
	start := time.Now().Add(-time.Duration(ownPosts+5) * time.Minute)
	for i := range ownPosts {
		srv.AddPost(fmt.Sprintf("Earlier post %d of the embassy", i+1), start.Add(time.Duration(i)*time.Minute))
	}
	for i := range 3 {
		srv.AddMention("visitor"+strconv.Itoa(i), "Visitor", "when does the consulate open?", "", start.Add(time.Duration(i)*time.Minute))
	}
	faults := contract.NewFaults(xStyle)
	front := contract.Proxy(t, faults, srv.URL)
	secrets := &contractSecrets{m: map[string]string{}}
	secret := srv.Secret(2 * time.Hour)
	_ = secrets.SetSecret("vienna-x", secret)
	n := x.New(secrets, &contractState{m: map[string][]byte{}}, x.WithHTTPClient(front.Client()), x.WithTimeout(10*time.Second), x.WithPollInterval(5*time.Millisecond))
	var tok struct{ AccessToken, RefreshToken string }
	_ = json.Unmarshal([]byte(secret), &struct {
		A *string `json:"access_token"`
		R *string `json:"refresh_token"`
	}{&tok.AccessToken, &tok.RefreshToken})
	bad := fmt.Sprintf(`{"client_id":%q,"access_token":"acc-revoked-7Hq","refresh_token":"ref-revoked-7Hq","expires_at":%q}`,
		xtest.ClientID, time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
	return contract.Fixture{
		Net:     n,
		Account: accounts.Account{ID: "vienna-x", Mission: "vienna", Network: accounts.X, Server: front.URL},
		Faults:  faults,
		SignIn: contract.SignInCase{
			Account: accounts.Account{Mission: "vienna", Network: accounts.X, Server: front.URL},
			Secret:  srv.Secret(2 * time.Hour), BadSecret: bad,
		},
		Secrets: []string{tok.AccessToken, tok.RefreshToken},
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

type contractState struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (s *contractState) NetState(id, key string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[id+"/"+key], nil
}

func (s *contractState) SetNetState(id, key string, v []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[id+"/"+key] = v
	return nil
}
