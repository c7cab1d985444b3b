package mastodon

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"chancery/feeds"
)

var _ feeds.Deleter = (*Network)(nil)

func TestDeleteOwnStatusAndAgainAfterALostAnswer(t *testing.T) {
	srv, n, acct := scheduleSetup(t)
	ctx := context.Background()
	keep, err := n.Publish(ctx, acct, feeds.Outgoing{Text: "stays", IdempotencyKey: "k1"})
	if err != nil {
		t.Fatal(err)
	}
	gone, err := n.Publish(ctx, acct, feeds.Outgoing{Text: "goes", IdempotencyKey: "k2"})
	if err != nil {
		t.Fatal(err)
	}
	// The server deletes the status but its answer is lost: the outcome is
	// unknown, and the delete sent again meets a 404, which is a success.
	srv.DropAnswers("DELETE /api/v1/statuses/"+StatusID(gone.RemoteID), 1)
	if err := n.Delete(ctx, acct, gone.RemoteID); feeds.Classify(err) != feeds.OutcomeUnknown {
		t.Fatalf("lost answer: %v", err)
	}
	if err := n.Delete(ctx, acct, gone.RemoteID); err != nil {
		t.Fatalf("delete again: %v", err)
	}
	st := srv.Statuses()
	if len(st) != 1 || st[0].ID != StatusID(keep.RemoteID) {
		t.Fatalf("server holds %+v", st)
	}
	if c := srv.Count("DELETE /api/v1/statuses/" + StatusID(gone.RemoteID)); c != 2 {
		t.Errorf("%d deletes sent, want 2", c)
	}
}

func TestDeleteFailuresAreClassified(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		want   feeds.Outcome
	}{
		{http.StatusUnauthorized, `{"error":"The access token is invalid"}`, feeds.OutcomeUnauthorized},
		{http.StatusUnprocessableEntity, `{"error":"Validation failed for token ` + testToken + `"}`, feeds.OutcomeRefused},
		{http.StatusTooManyRequests, `{"error":"Too many requests"}`, feeds.OutcomeRateLimited},
		{http.StatusServiceUnavailable, `<html>maintenance</html>`, feeds.OutcomeUnknown},
	} {
		f, n, acct, _ := setup(t)
		f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
			if r.Method != http.MethodDelete {
				return false
			}
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(tc.status)
			_, _ = w.Write([]byte(tc.body))
			return true
		})
		err := n.Delete(context.Background(), acct, "109")
		if got := feeds.Classify(err); got != tc.want {
			t.Errorf("%d: outcome %v, want %v (%v)", tc.status, got, tc.want, err)
		}
		if err != nil && strings.Contains(err.Error(), testToken) {
			t.Errorf("%d: the error shows the token: %v", tc.status, err)
		}
	}
	_, n, acct, _ := setup(t)
	if err := n.Delete(context.Background(), acct, "notif:"); feeds.Classify(err) != feeds.OutcomeRefused {
		t.Errorf("no status id: %v", err)
	}
}
