package x_test

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/feeds/x"
	"chancery/feeds/x/xtest"
	"chancery/translations"
)

// clock is a settable clock for the client.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) read() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestAudienceReadsPublicMetricsAndPaysForIt(t *testing.T) {
	c := &clock{now: time.Now().UTC()}
	e := setup(t, []xtest.Option{xtest.WithClock(c.read)}, x.WithClock(c.read))
	e.srv.SetAudience(xtest.Audience{Followers: 12480, Following: 311, Tweets: 4021})
	e.srv.AddPost("Visa appointments open on Monday", c.read().Add(-time.Hour))
	got, err := e.net.Audience(ctx(t), e.acct)
	if err != nil {
		t.Fatal(err)
	}
	want := feeds.Audience{At: c.read(), Followers: 12480, Following: 311, Posts: 4022}
	if len(got) != 1 || !got[0].At.Equal(want.At) || got[0].Followers != want.Followers ||
		got[0].Following != want.Following || got[0].Posts != want.Posts {
		t.Fatalf("audience %+v, want %+v", got, want)
	}
	sp, err := e.net.Spending(e.acct, c.read())
	if err != nil || sp.ReadCalls != 1 || sp.Cost != x.DefaultPrices().UserRead {
		t.Fatalf("spending %+v %v: want one user read", sp, err)
	}
}

func TestAudienceIsReadAtMostOncePerMinRefresh(t *testing.T) {
	c := &clock{now: time.Now().UTC()}
	e := setup(t, []xtest.Option{xtest.WithClock(c.read)}, x.WithClock(c.read), x.WithMinRefresh(15*time.Minute))
	e.srv.SetAudience(xtest.Audience{Followers: 100})
	first, err := e.net.Audience(ctx(t), e.acct)
	if err != nil {
		t.Fatal(err)
	}
	calls := e.srv.Calls("GET /2/users/me")
	e.srv.SetAudience(xtest.Audience{Followers: 101})
	c.add(14 * time.Minute)
	again, err := e.net.Audience(ctx(t), e.acct)
	if err != nil {
		t.Fatal(err)
	}
	if e.srv.Calls("GET /2/users/me") != calls {
		t.Fatal("a second read was sent within MinRefresh")
	}
	if len(again) != 1 || again[0] != first[0] {
		t.Fatalf("within MinRefresh: %+v, want the figures last read %+v", again, first)
	}
	c.add(time.Minute)
	later, err := e.net.Audience(ctx(t), e.acct)
	if err != nil {
		t.Fatal(err)
	}
	if e.srv.Calls("GET /2/users/me") != calls+1 || len(later) != 1 || later[0].Followers != 101 || !later[0].At.Equal(c.read()) {
		t.Fatalf("after MinRefresh: %+v, %d calls", later, e.srv.Calls("GET /2/users/me"))
	}
	if sp, _ := e.net.Spending(e.acct, c.read()); sp.ReadCalls != 2 {
		t.Errorf("read calls %d, want 2", sp.ReadCalls)
	}
}

func TestAudienceStopsAtTheBudget(t *testing.T) {
	c := &clock{now: time.Now().UTC()}
	e := setup(t, []xtest.Option{xtest.WithClock(c.read)}, x.WithClock(c.read))
	for i := range 4 {
		e.srv.AddPost("post "+strconv.Itoa(i), c.read().Add(-time.Hour))
	}
	if err := e.net.SetBudget(e.acct, 0.02); err != nil {
		t.Fatal(err)
	}
	if _, err := e.net.Fetch(ctx(t), e.acct, feeds.Own); err != nil {
		t.Fatal(err) // the user, four posts and their author: $0.04
	}
	calls := e.srv.Calls("GET /2/users/me")
	_, err := e.net.Audience(ctx(t), e.acct)
	if !errors.Is(err, feeds.ErrBudgetReached) || feeds.Classify(err) != feeds.OutcomeRefused {
		t.Fatalf("err = %v, want the budget reached", err)
	}
	if e.srv.Calls("GET /2/users/me") != calls {
		t.Error("the audience was read over the budget")
	}
}

func TestAudienceErrors(t *testing.T) {
	reset := strconv.FormatInt(time.Now().Add(10*time.Minute).Unix(), 10)
	for _, c := range []struct {
		name   string
		status int
		body   map[string]any
		header http.Header
		want   error
	}{
		{"forbidden", 403, problem(403, "Forbidden", "You are not permitted to perform this action."), nil, feeds.ErrRejected},
		{
			"rate limited", 429, problem(429, "Too Many Requests", "Too Many Requests"),
			http.Header{"X-Rate-Limit-Remaining": {"0"}, "X-Rate-Limit-Reset": {reset}},
			feeds.ErrRateLimited,
		},
		{"server", 503, map[string]any{"title": "Service Unavailable"}, nil, feeds.ErrServer},
		{"wrong shape", 200, map[string]any{"data": []int{1, 2}}, nil, feeds.ErrBadResponse},
		{"no user", 200, map[string]any{"errors": []any{map[string]any{"title": "Not Found Error"}}}, nil, feeds.ErrBadResponse},
		{"no metrics", 200, map[string]any{"data": map[string]any{"id": xtest.UserID, "username": xtest.Username}}, nil, feeds.ErrBadResponse},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := setup(t, nil)
			e.srv.FailNext("GET /2/users/me", c.status, c.body, c.header)
			got, err := e.net.Audience(ctx(t), e.acct)
			if !errors.Is(err, c.want) || got != nil {
				t.Fatalf("audience %v, err = %v, want %v", got, err, c.want)
			}
		})
	}
}

func TestAudienceOfARevokedAccountNeedsSignIn(t *testing.T) {
	e := setup(t, nil)
	e.srv.Revoke()
	_, err := e.net.Audience(ctx(t), e.acct)
	if s, _ := feeds.StateOf(err); !errors.Is(err, feeds.ErrUnauthorized) || s != accounts.StateNeedsSignIn {
		t.Fatalf("err = %v (state %s)", err, s)
	}
}

func TestOwnComparesTheAccountsHandle(t *testing.T) {
	e := setup(t, nil)
	acct := e.acct
	acct.Handle = "@" + xtest.Username
	if !e.net.Own(acct, feeds.Post{AuthorHandle: "@canadavienna"}) {
		t.Error("the account's own post is not its own")
	}
	if e.net.Own(acct, feeds.Post{AuthorHandle: "@CanadaVienna2"}) || e.net.Own(acct, feeds.Post{}) {
		t.Error("another author's post is taken for the account's")
	}
	// Without a handle, the username kept when the account's id was read.
	if e.net.Own(e.acct, feeds.Post{AuthorHandle: "@" + xtest.Username}) {
		t.Error("own post recognised before the username is known")
	}
	if _, err := e.net.Fetch(ctx(t), e.acct, feeds.Own); err != nil {
		t.Fatal(err)
	}
	if !e.net.Own(e.acct, feeds.Post{AuthorHandle: "@" + xtest.Username}) {
		t.Error("own post not recognised by the username kept")
	}
}

func TestOwnPostsCarryTheirPublicMetrics(t *testing.T) {
	e := setup(t, nil)
	id := e.srv.AddPost("Consular hours during the holidays", time.Now().Add(-time.Hour))
	acct := e.acct
	acct.Handle = "@" + xtest.Username
	for _, a := range []feeds.Action{feeds.Like, feeds.Repost} {
		if err := e.net.Act(ctx(t), acct, id, a, false); err != nil {
			t.Fatal(err)
		}
	}
	posts, err := e.net.Fetch(ctx(t), acct, feeds.Own)
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 1 || posts[0].ID != id || posts[0].Counts.Likes != 1 || posts[0].Counts.Reposts != 1 || !e.net.Own(acct, posts[0]) {
		t.Fatalf("posts %+v: want the post with 1 like and 1 repost, own", posts)
	}
}

func TestAudienceErrorHoldsNoToken(t *testing.T) {
	e := setup(t, nil)
	secret, _ := e.secrets.Secret(e.acct.ID)
	tok, err := x.ParseTokens(secret)
	if err != nil {
		t.Fatal(err)
	}
	e.srv.FailNext("GET /2/users/me", 403, problem(403, "Forbidden", "token "+tok.AccessToken+" / "+tok.RefreshToken+" not allowed"), nil)
	_, err = e.net.Audience(ctx(t), e.acct)
	if err == nil || !errors.Is(err, feeds.ErrRejected) {
		t.Fatalf("err = %v", err)
	}
	for _, text := range []string{err.Error(), translations.New("en").Error(err)} {
		if strings.Contains(text, tok.AccessToken) || strings.Contains(text, tok.RefreshToken) {
			t.Errorf("the error shows a token: %s", text)
		}
	}
}
