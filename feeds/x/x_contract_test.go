package x_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/feeds/contract"
	"chancery/feeds/x"
	"chancery/feeds/x/xtest"
)

// xStyle is how X answers errors and limits: problem JSON, and
// x-rate-limit-* headers with a reset in Unix seconds.
var xStyle = contract.Style{
	ContentType: "application/problem+json",
	Error: func(code int) string {
		titles := map[int]string{401: "Unauthorized", 403: "Forbidden", 429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}
		title := titles[code]
		if title == "" {
			title = http.StatusText(code)
		}
		b, _ := json.Marshal(map[string]any{"title": title, "detail": title, "type": "about:blank", "status": code})
		return string(b)
	},
	Malformed: `{"data":[{"id":"1860000000000000001","text":"Consular hours`,
	RateLimit: func(reset time.Time) http.Header {
		return http.Header{
			"X-Rate-Limit-Limit":     {"900"},
			"X-Rate-Limit-Remaining": {"0"},
			"X-Rate-Limit-Reset":     {strconv.FormatInt(reset.Unix(), 10)},
		}
	},
}

// ownPosts spans two pages of 20.
const ownPosts = 25

func TestContract(t *testing.T) {
	contract.Run(t, contract.Harness{
		Start:    startContract,
		Paged:    feeds.Own,
		PagedMin: ownPosts,
		// Weighted: Latin 1, CJK 2, a link 23, an emoji sequence or a flag 2.
		Lengths:          map[string]int{"empty": 0, "ascii": 37, "url": 6 + 23, "cjk": 24, "emoji": 14},
		LengthLimit:      x.MaxLength,
		GatesRateLimits:  true,
		PublishedInOwn:   true,
		NoIdempotencyKey: true,
	})
}

func startContract(t *testing.T) contract.Fixture {
	t.Helper()
	srv := xtest.New(t)
	base := time.Now().Add(-2 * time.Hour)
	for i := range ownPosts {
		srv.AddPost(fmt.Sprintf("Earlier post number %d", i), base.Add(time.Duration(i)*time.Minute))
	}
	mention := srv.AddMention("jan_dv", "Jan de Vries", "is the consulate open Monday?", "", base.Add(time.Hour))
	faults := contract.NewFaults(xStyle)
	front := httptest.NewServer(faults.Wrap(srv.Handler()))
	t.Cleanup(front.Close)
	secrets := &memSecrets{}
	secret := srv.Secret(2 * time.Hour)
	tok, err := x.ParseTokens(secret)
	if err != nil {
		t.Fatal(err)
	}
	_ = secrets.SetSecret("acct-x", secret)
	n := x.New(secrets, &memState{}, x.WithHTTPClient(front.Client()))
	acct := accounts.Account{ID: "acct-x", Mission: "vienna", Network: accounts.X, Server: front.URL}
	return contract.Fixture{
		Net: n, Account: acct, Faults: faults, ActOn: mention,
		Secrets: []string{tok.AccessToken, tok.RefreshToken},
		SignIn: contract.SignInCase{
			Account:   accounts.Account{Mission: "vienna", Network: accounts.X, Server: front.URL},
			Secret:    srv.Secret(2 * time.Hour),
			BadSecret: `{"client_id":"` + xtest.ClientID + `","access_token":"acc-revoked-Hq2Lw9"}`,
		},
	}
}
