package facebook

import (
	"context"
	"errors"
	"testing"

	"chancery/feeds"
	"chancery/feeds/facebook/fbtest"
	"chancery/translations"
)

// The audience read is classified like every Graph call: rate limits,
// a missing permission (named after the call: pages_read_engagement), a server failure.
func TestAudienceRefusalsAreClassified(t *testing.T) {
	loc := translations.New("en")
	route := "GET /" + fbtest.Version + "/" + fbtest.PageID
	for _, c := range []struct {
		name    string
		status  int
		body    string
		want    error
		outcome feeds.Outcome
		message string
	}{
		{
			"page rate limit", 400, graphBodyOf(32, 0, "(#32) Page request limit reached"),
			feeds.ErrRateLimited, feeds.OutcomeRateLimited, loc.T("facebook.error.rate_limited"),
		},
		{
			"permission", 403, graphBodyOf(10, 0, "(#10) Application does not have permission for this action"),
			ErrPermission, feeds.OutcomeRefused, loc.T("facebook.error.permission_named", "Permission", "pages_read_engagement"),
		},
		{"html 502", 502, "<html>bad gateway</html>", feeds.ErrServer, feeds.OutcomeUnknown, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv, n, acct := setup(t)
			srv.Fail(route, 1, c.status, c.body)
			got, err := n.Audience(context.Background(), acct)
			if !errors.Is(err, c.want) || got != nil || feeds.Classify(err) != c.outcome {
				t.Fatalf("audience %v, err = %v (outcome %d); want %v", got, err, feeds.Classify(err), c.want)
			}
			if c.message != "" && loc.Error(err) != c.message {
				t.Errorf("message %q, want %q", loc.Error(err), c.message)
			}
			noSecret(t, "error", err.Error())
		})
	}
}
