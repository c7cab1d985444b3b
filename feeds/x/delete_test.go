package x_test

import (
	"net/http"
	"testing"
	"time"

	"chancery/feeds"
	"chancery/feeds/x"
)

var _ feeds.Deleter = (*x.Network)(nil)

func TestDeleteOwnPostIsIdempotent(t *testing.T) {
	e := setup(t, nil)
	keep := e.srv.AddPost("stays", time.Now())
	own := e.srv.AddPost("mine", time.Now())
	if err := e.net.Delete(ctx(t), e.acct, own); err != nil {
		t.Fatal(err)
	}
	if posts := e.srv.Posts(); len(posts) != 1 || posts[0].ID != keep {
		t.Fatalf("server holds %+v", posts)
	}
	// The answer was lost and the delete is sent again: the 404 X gives
	// for a post that is not there is a success.
	if err := e.net.Delete(ctx(t), e.acct, own); err != nil {
		t.Errorf("second delete: %v", err)
	}
	if n := e.srv.Calls("DELETE /2/tweets/" + own); n != 2 {
		t.Errorf("%d calls, want 2", n)
	}
}

func TestDeleteFailures(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   map[string]any
		want   feeds.Outcome
	}{
		{"not allowed", http.StatusForbidden, map[string]any{"title": "Forbidden", "detail": "You are not allowed to delete this Tweet.", "type": "about:blank", "status": 403}, feeds.OutcomeRefused},
		{"rate limited", http.StatusTooManyRequests, map[string]any{"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429}, feeds.OutcomeRateLimited},
		{"server", http.StatusServiceUnavailable, map[string]any{"title": "Service Unavailable", "type": "about:blank", "status": 503}, feeds.OutcomeUnknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := setup(t, nil)
			own := e.srv.AddPost("mine", time.Now())
			e.srv.FailNext("DELETE /2/tweets/"+own, tc.status, tc.body, http.Header{"Retry-After": {"1"}})
			err := e.net.Delete(ctx(t), e.acct, own)
			if got := feeds.Classify(err); got != tc.want {
				t.Errorf("outcome %v, want %v (%v)", got, tc.want, err)
			}
			if len(e.srv.Posts()) != 1 {
				t.Error("the post went although the server refused")
			}
		})
	}
}

func TestDeleteWithoutIDIsRefusedBeforeAnyCall(t *testing.T) {
	e := setup(t, nil)
	if err := e.net.Delete(ctx(t), e.acct, ""); feeds.Classify(err) != feeds.OutcomeRefused {
		t.Errorf("err = %v", err)
	}
}
