package facebook

import (
	"context"
	"net/http"
	"testing"

	"chancery/feeds"
	"chancery/feeds/facebook/fbtest"
)

var _ feeds.Deleter = (*Network)(nil)

func TestDeletePagePostAndAgainAfterALostAnswer(t *testing.T) {
	srv, n, acct := setup(t)
	ctx := context.Background()
	keep, err := n.Publish(ctx, acct, feeds.Outgoing{Text: "stays"})
	if err != nil {
		t.Fatal(err)
	}
	gone, err := n.Publish(ctx, acct, feeds.Outgoing{Text: "goes"})
	if err != nil {
		t.Fatal(err)
	}
	route := "DELETE /" + fbtest.Version + "/" + gone.RemoteID
	srv.DropAnswers(route, 1)
	if err := n.Delete(ctx, acct, gone.RemoteID); feeds.Classify(err) != feeds.OutcomeUnknown {
		t.Fatalf("lost answer: %v", err)
	}
	// Sent again, the delete meets Graph's "does not exist" (100/33): a
	// success.
	if err := n.Delete(ctx, acct, gone.RemoteID); err != nil {
		t.Fatalf("delete again: %v", err)
	}
	posts := srv.Posts()
	if len(posts) != 1 || posts[0].ID != keep.RemoteID {
		t.Fatalf("server holds %+v", posts)
	}
	if c := srv.Count(route); c != 2 {
		t.Errorf("%d deletes sent, want 2", c)
	}
}

func TestDeleteFailuresKeepThePost(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   feeds.Outcome
	}{
		{"permission", http.StatusForbidden, `{"error":{"message":"(#200) Requires pages_manage_posts permission to manage the object","type":"OAuthException","code":200,"fbtrace_id":"AbC"}}`, feeds.OutcomeRefused},
		{"token", http.StatusBadRequest, `{"error":{"message":"Error validating access token: Session has expired","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"AbC"}}`, feeds.OutcomeUnauthorized},
		{"page rate", http.StatusBadRequest, `{"error":{"message":"(#32) Page request limit reached","type":"OAuthException","code":32,"fbtrace_id":"AbC"}}`, feeds.OutcomeRateLimited},
		{"server", http.StatusInternalServerError, `{"error":{"message":"An unknown error occurred","type":"OAuthException","code":1,"fbtrace_id":"AbC"}}`, feeds.OutcomeUnknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, n, acct := setup(t)
			ctx := context.Background()
			p, err := n.Publish(ctx, acct, feeds.Outgoing{Text: "stays"})
			if err != nil {
				t.Fatal(err)
			}
			srv.Fail("DELETE /"+fbtest.Version+"/"+p.RemoteID, 1, tc.status, tc.body)
			err = n.Delete(ctx, acct, p.RemoteID)
			if got := feeds.Classify(err); got != tc.want {
				t.Errorf("outcome %v, want %v (%v)", got, tc.want, err)
			}
			if err != nil {
				noSecret(t, "error", err.Error())
			}
			if len(srv.Posts()) != 1 {
				t.Error("the post went although Graph refused")
			}
		})
	}
	_, n, acct := setup(t)
	if err := n.Delete(context.Background(), acct, "../me"); feeds.Classify(err) != feeds.OutcomeRefused {
		t.Errorf("bad id: %v", err)
	}
}
