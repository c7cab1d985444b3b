package x_test

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"chancery/feeds"
	"chancery/feeds/x"
	"chancery/translations"
)

func problem(status int, title, detail string) map[string]any {
	return map[string]any{"title": title, "detail": detail, "type": "about:blank", "status": status}
}

func TestProblemsAreClassifiedWithXsReason(t *testing.T) {
	loc := translations.New("en")
	reset := strconv.FormatInt(time.Now().Add(10*time.Minute).Unix(), 10)
	cases := []struct {
		name    string
		status  int
		body    map[string]any
		header  http.Header
		outcome feeds.Outcome
		reason  string
	}{
		{"forbidden", 403, problem(403, "Forbidden", "You are not permitted to perform this action."), nil, feeds.OutcomeRefused, "You are not permitted"},
		{
			"rate limited", 429, problem(429, "Too Many Requests", "Too Many Requests"),
			http.Header{"X-Rate-Limit-Remaining": {"0"}, "X-Rate-Limit-Reset": {reset}},
			feeds.OutcomeRateLimited, "Too Many Requests",
		},
		{"bad request", 400, map[string]any{"title": "Invalid Request", "detail": "One or more parameters to your request was invalid.", "type": "https://api.twitter.com/2/problems/invalid-request"}, nil, feeds.OutcomeRefused, "parameters"},
		{"server", 503, map[string]any{"title": "Service Unavailable"}, nil, feeds.OutcomeUnknown, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := setup(t, nil)
			e.srv.FailNext("GET /2/users/me", tc.status, tc.body, tc.header)
			_, err := e.net.Fetch(ctx(t), e.acct, feeds.Own)
			if feeds.Classify(err) != tc.outcome {
				t.Fatalf("%v: outcome %v", err, feeds.Classify(err))
			}
			msg := loc.Error(err)
			if tc.reason != "" && !strings.Contains(msg, tc.reason) {
				t.Errorf("message %q lacks X's reason", msg)
			}
			var p *x.Problem
			if tc.status < 500 && (!errors.As(err, &p) || p.Status != tc.status) {
				t.Errorf("no problem in %v", err)
			}
		})
	}
}

func TestRateLimitHeadersHoldBackTheNextCall(t *testing.T) {
	e := setup(t, nil)
	reset := strconv.FormatInt(time.Now().Add(10*time.Minute).Unix(), 10)
	e.srv.FailNext("GET /2/users/me", 429, problem(429, "Too Many Requests", "Too Many Requests"),
		http.Header{"X-Rate-Limit-Remaining": {"0"}, "X-Rate-Limit-Reset": {reset}})
	_, err := e.net.Fetch(ctx(t), e.acct, feeds.Own)
	var ra *feeds.RetryAfterError
	if !errors.As(err, &ra) || ra.After < 5*time.Minute {
		t.Fatalf("err = %v", err)
	}
	before := e.srv.Calls("GET /2/users/me")
	_, err = e.net.Fetch(ctx(t), e.acct, feeds.Own)
	if feeds.Classify(err) != feeds.OutcomeRateLimited || e.srv.Calls("GET /2/users/me") != before {
		t.Fatalf("second call sent anyway: %v", err)
	}
}

func TestMalformedAnswerIsBadResponse(t *testing.T) {
	e := setup(t, nil)
	e.srv.FailNext("GET /2/users/me", 200, map[string]any{"data": []int{1, 2}}, nil)
	_, err := e.net.Fetch(ctx(t), e.acct, feeds.Own)
	if !errors.Is(err, feeds.ErrBadResponse) {
		t.Fatalf("err = %v", err)
	}
}

func TestUnauthorizedWithoutRefreshTokenNeedsSignIn(t *testing.T) {
	e := setup(t, nil)
	_ = e.secrets.SetSecret(e.acct.ID, `{"client_id":"c","access_token":"tok-unknown-123"}`)
	_, err := e.net.Fetch(ctx(t), e.acct, feeds.Own)
	if feeds.Classify(err) != feeds.OutcomeUnauthorized || strings.Contains(err.Error(), "tok-unknown-123") {
		t.Fatalf("err = %v", err)
	}
	var p *x.Problem
	if !errors.As(err, &p) || p.Status != 401 {
		t.Errorf("no problem in %v", err)
	}
}

func TestRateLimitOfOneEndpointLeavesTheOthers(t *testing.T) {
	e := setup(t, nil)
	e.srv.AddPost("own", time.Now())
	path := "GET /2/users/" + "1580661436132757506" + "/mentions"
	reset := strconv.FormatInt(time.Now().Add(10*time.Minute).Unix(), 10)
	e.srv.FailNext(path, 429, problem(429, "Too Many Requests", "Too Many Requests"),
		http.Header{"X-Rate-Limit-Remaining": {"0"}, "X-Rate-Limit-Reset": {reset}})
	if _, err := e.net.Fetch(ctx(t), e.acct, feeds.Mentions); feeds.Classify(err) != feeds.OutcomeRateLimited {
		t.Fatalf("mentions: %v", err)
	}
	if posts, err := e.net.Fetch(ctx(t), e.acct, feeds.Own); err != nil || len(posts) != 1 {
		t.Fatalf("own posts held back by the mentions' limit: %v", err)
	}
	if _, err := e.net.Fetch(ctx(t), e.acct, feeds.Mentions); feeds.Classify(err) != feeds.OutcomeRateLimited || e.srv.Calls(path) != 1 {
		t.Fatalf("mentions sent again before the reset: %v", err)
	}
}
