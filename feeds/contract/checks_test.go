package contract

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

var acct = accounts.Account{ID: "acct-1", Network: accounts.Mastodon}

func post(id string, minute int) feeds.Post {
	return feeds.Post{
		ID: id, Account: "acct-1", Network: accounts.Mastodon, Author: "Embassy",
		CreatedAt: time.Date(2026, 12, 2, 10, minute, 0, 0, time.UTC), URL: "https://social.example/@e/" + id,
	}
}

func TestPostProblemsFindsEachFault(t *testing.T) {
	good := []feeds.Post{post("3", 30), post("2", 20), post("1", 10)}
	if p := postProblems(acct, good); len(p) != 0 {
		t.Fatalf("good posts: %q", p)
	}
	cases := map[string]func([]feeds.Post) []feeds.Post{
		"not newest first": func(ps []feeds.Post) []feeds.Post { ps[0], ps[1] = ps[1], ps[0]; return ps },
		"appears twice":    func(ps []feeds.Post) []feeds.Post { ps[2].ID = ps[0].ID; ps[2].URL = ps[0].URL; return ps },
		"id not usable":    func(ps []feeds.Post) []feeds.Post { ps[1].ID = ""; return ps },
		"no author":        func(ps []feeds.Post) []feeds.Post { ps[1].Author = " "; return ps },
		"no created_at":    func(ps []feeds.Post) []feeds.Post { ps[2].CreatedAt = time.Time{}; return ps },
		"url":              func(ps []feeds.Post) []feeds.Post { ps[1].URL = "javascript:alert(1)"; return ps },
		"media 0 url": func(ps []feeds.Post) []feeds.Post {
			ps[1].Media = []feeds.Media{{URL: "https://bank@evil.example/"}}
			return ps
		},
		"quote url": func(ps []feeds.Post) []feeds.Post {
			ps[1].Quote = &feeds.Quote{ID: "q", URL: "file:///etc/passwd"}
			return ps
		},
	}
	for want, breakIt := range cases {
		bad := breakIt([]feeds.Post{post("3", 30), post("2", 20), post("1", 10)})
		problems := postProblems(acct, bad)
		if len(problems) == 0 || !strings.Contains(strings.Join(problems, "\n"), want) {
			t.Errorf("%s: problems %q", want, problems)
		}
	}
}

func TestAccountProblemsFindsForeignPosts(t *testing.T) {
	good := []feeds.Post{post("2", 20), post("1", 10)}
	if p := accountProblems(acct, good); len(p) != 0 {
		t.Fatalf("good posts: %q", p)
	}
	other, bare := post("3", 30), post("4", 40)
	other.Network, bare.Account = accounts.Bluesky, ""
	if p := accountProblems(acct, []feeds.Post{other, bare}); len(p) != 2 {
		t.Errorf("a post of another network and one of no account: %q", p)
	}
}

func TestPageProblemsFindsRepeatsAndNewerPosts(t *testing.T) {
	seen := map[string]bool{"3": true, "2": true}
	if p := pageProblems(acct, feeds.Page{Posts: []feeds.Post{post("1", 10)}}, seen, post("2", 20)); len(p) != 0 {
		t.Fatalf("a good page: %q", p)
	}
	if p := pageProblems(acct, feeds.Page{Posts: []feeds.Post{post("2", 20)}}, seen, post("2", 20)); len(p) == 0 {
		t.Error("a post of an earlier page came again unnoticed")
	}
	if p := pageProblems(acct, feeds.Page{Posts: []feeds.Post{post("4", 40)}}, seen, post("2", 20)); len(p) == 0 {
		t.Error("a newer post on an older page went unnoticed")
	}
}

// bare is a Network that implements nothing but feeds.Network.
type bare struct{ caps feeds.Capabilities }

func (b bare) ID() accounts.Network             { return accounts.Demo }
func (b bare) Capabilities() feeds.Capabilities { return b.caps }
func (b bare) Fetch(context.Context, accounts.Account, feeds.Kind) ([]feeds.Post, error) {
	return nil, nil
}

func TestCapabilityProblemsFindsUnbackedClaims(t *testing.T) {
	if p := capabilityProblems(bare{}, feeds.Capabilities{Kinds: []feeds.Kind{feeds.Home, "tag:"}}); len(p) != 0 {
		t.Fatalf("read-only network: %q", p)
	}
	claims := []feeds.Capabilities{
		{Kinds: []feeds.Kind{feeds.Home}, Post: true, MaxLength: 500},
		{Kinds: []feeds.Kind{feeds.Home}, Like: true},
		{Kinds: []feeds.Kind{feeds.Home}, ServerScheduling: true},
		{Kinds: []feeds.Kind{feeds.Home}, WarningCounts: true},
		{Kinds: []feeds.Kind{feeds.Home}, Reply: true},
		{Kinds: []feeds.Kind{"nonsense"}},
		{},
	}
	for _, c := range claims {
		if p := capabilityProblems(bare{}, c); len(p) == 0 {
			t.Errorf("%+v: no problem found", c)
		}
	}
}

func TestFaultsAnswerInTheNetworksStyle(t *testing.T) {
	f := NewFaults(Style{
		ContentType: "application/json",
		Error:       func(code int) string { return `{"error":"E` + http.StatusText(code) + `"}` },
		Malformed:   `[{"id":`,
		RateLimit:   func(time.Time) http.Header { return http.Header{"X-Ratelimit-Remaining": {"0"}} },
	})
	srv := httptest.NewServer(f.Wrap(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("normal"))
	})))
	defer srv.Close()
	defer f.Close()
	if _, _, err := feeds.Do(srv.Client(), mustGet(t, srv.URL), 1<<20); err != nil || f.Hits() != 0 {
		t.Fatalf("no fault: %v, hits %d", err, f.Hits())
	}
	for fault, want := range map[Fault]error{Unauthorized: feeds.ErrUnauthorized, RateLimited: feeds.ErrRateLimited, ServerError: feeds.ErrServer} {
		f.Set(fault)
		_, _, err := feeds.Do(srv.Client(), mustGet(t, srv.URL), 1<<20)
		if !errors.Is(err, want) {
			t.Errorf("fault %d: %v, want %v", fault, err, want)
		}
	}
	f.Set(Malformed)
	if body, _, err := feeds.Do(srv.Client(), mustGet(t, srv.URL), 1<<20); err != nil || string(body) != `[{"id":` {
		t.Errorf("malformed: %q, %v", body, err)
	}
	f.Set(Huge)
	if _, _, err := feeds.Do(srv.Client(), mustGet(t, srv.URL), 1<<20); !errors.Is(err, feeds.ErrTooLarge) {
		t.Errorf("huge: %v", err)
	}
	if f.Hits() != 5 {
		t.Errorf("hits %d, want 5", f.Hits())
	}
}

func mustGet(t *testing.T, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func TestErrorProblemsFindsSecretsAndWalls(t *testing.T) {
	if p := errorProblems(errors.New("get /api: http 401: sign-in required"), []string{"tok-secret-1"}); len(p) != 0 {
		t.Errorf("a plain error: %q", p)
	}
	if p := errorProblems(errors.New("get /api?access_token=tok-secret-1: refused"), []string{"tok-secret-1"}); len(p) != 1 || strings.Contains(p[0], "tok-secret-1") {
		t.Errorf("a secret in an error: %q", p)
	}
	if p := errorProblems(errors.New(strings.Repeat("x", 5000)), nil); len(p) != 1 {
		t.Errorf("a wall of text: %d problems", len(p))
	}
}

func TestDropAnswerActsThenLosesTheAnswer(t *testing.T) {
	f := NewFaults(Style{})
	var acted atomic.Int32
	srv := httptest.NewServer(f.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			acted.Add(1)
		}
		_, _ = w.Write([]byte("{}"))
	})))
	defer srv.Close()
	f.Set(DropAnswer)
	if _, _, err := feeds.Do(srv.Client(), mustGet(t, srv.URL), 1<<10); err != nil {
		t.Fatalf("a read under DropAnswer: %v", err)
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL, strings.NewReader("status=x"))
	_, _, err := feeds.Do(srv.Client(), req, 1<<10)
	if feeds.Classify(err) != feeds.OutcomeUnknown || acted.Load() != 1 {
		t.Errorf("a write under DropAnswer: %v (outcome %d), acted %d times", err, feeds.Classify(err), acted.Load())
	}
}

func TestProxyPassesRequestsBehindTheSwitches(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("backend " + r.URL.Path))
	}))
	defer backend.Close()
	f := NewFaults(Style{Error: func(int) string { return "{}" }})
	srv := Proxy(t, f, backend.URL)
	body, _, err := feeds.Do(srv.Client(), mustGet(t, srv.URL+"/a"), 1<<10)
	if err != nil || string(body) != "backend /a" {
		t.Fatalf("through the proxy: %q, %v", body, err)
	}
	f.Set(ServerError)
	if _, _, err := feeds.Do(srv.Client(), mustGet(t, srv.URL+"/a"), 1<<10); !errors.Is(err, feeds.ErrServer) {
		t.Errorf("a fault through the proxy: %v", err)
	}
}
