package rss

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/feeds/contract"
)

// feedStyle is how a web server hosting feeds answers: an HTML error page,
// and the IETF RateLimit-* headers (the reset in seconds from now).
var feedStyle = contract.Style{
	ContentType: "application/rss+xml; charset=utf-8",
	Error: func(code int) string {
		return "<!DOCTYPE html><html><head><title>" + strconv.Itoa(code) + " " + http.StatusText(code) +
			"</title></head><body><h1>" + http.StatusText(code) + "</h1></body></html>"
	},
	Malformed: rss2[:len(rss2)/2],
	RateLimit: func(reset time.Time) http.Header {
		return http.Header{
			"Ratelimit-Limit":     {"60"},
			"Ratelimit-Remaining": {"0"},
			"Ratelimit-Reset":     {strconv.Itoa(int(time.Until(reset).Round(time.Second).Seconds()))},
		}
	},
}

func TestContract(t *testing.T) {
	contract.Run(t, contract.Harness{Start: startContract, GatesRateLimits: true, NoCredentials: true})
}

// startContract serves an embassy's RSS 2.0 press feed and a ministry's
// Atom feed, both read by one account.
func startContract(t *testing.T) contract.Fixture {
	t.Helper()
	faults := contract.NewFaults(feedStyle)
	mux := http.NewServeMux()
	mux.Handle("GET /press.xml", static(rss2, "application/rss+xml; charset=utf-8"))
	mux.Handle("GET /ministry.atom", static(atom1, "application/atom+xml"))
	srv := serve(t, faults.Wrap(mux))
	f := newFixture(WithHTTPClient(srv.Client()))
	addrs := []string{srv.URL + "/press.xml", srv.URL + "/ministry.atom"}
	acct := account(addrs...)
	return contract.Fixture{
		Net: f.net, Account: acct, Faults: faults, Now: f.clock.Now,
		SignIn: contract.SignInCase{
			Account: accounts.Account{Mission: "vienna", Network: accounts.RSS, Server: addrs[0], Feeds: addrs},
		},
	}
}

var _ feeds.Network = (*Network)(nil)
