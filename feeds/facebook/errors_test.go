package facebook

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"chancery/feeds"
	"chancery/feeds/facebook/fbtest"
	"chancery/translations"
)

const feedRoute = "POST /" + fbtest.Version + "/" + fbtest.PageID + "/feed"

func graphBodyOf(code, subcode int, msg string) string {
	b := `{"error":{"message":"` + msg + `","type":"OAuthException","code":` + itoa(code)
	if subcode != 0 {
		b += `,"error_subcode":` + itoa(subcode)
	}
	return b + `,"fbtrace_id":"A1b2C3"}}`
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

func TestGraphErrorsAreClassified(t *testing.T) {
	loc := translations.New("en")
	cases := []struct {
		name    string
		status  int
		body    string
		want    []error
		outcome feeds.Outcome
		message string
	}{
		{
			"expired", 400, graphBodyOf(190, 463, "Error validating access token: Session has expired"),
			[]error{ErrTokenExpired, feeds.ErrUnauthorized},
			feeds.OutcomeUnauthorized, loc.T("facebook.error.token_expired"),
		},
		{
			"invalidated", 401, graphBodyOf(190, 467, "Error validating access token: The session has been invalidated"),
			[]error{ErrTokenExpired},
			feeds.OutcomeUnauthorized, loc.T("facebook.error.token_expired"),
		},
		{
			"password changed", 400, graphBodyOf(190, 460, "The session has been invalidated because the user changed their password"),
			[]error{ErrTokenExpired},
			feeds.OutcomeUnauthorized, loc.T("facebook.error.password_changed"),
		},
		{
			"app rate limit", 400, graphBodyOf(4, 0, "(#4) Application request limit reached"),
			[]error{feeds.ErrRateLimited},
			feeds.OutcomeRateLimited, loc.T("facebook.error.rate_limited"),
		},
		{
			"page rate limit", 400, graphBodyOf(32, 0, "(#32) Page request limit reached"),
			[]error{feeds.ErrRateLimited},
			feeds.OutcomeRateLimited, loc.T("facebook.error.rate_limited"),
		},
		{
			"calls per hour", 403, graphBodyOf(613, 0, "Calls to this api have exceeded the rate limit."),
			[]error{feeds.ErrRateLimited},
			feeds.OutcomeRateLimited, loc.T("facebook.error.rate_limited"),
		},
		{
			"permission named by graph", 403, graphBodyOf(200, 0, "(#200) Requires pages_manage_engagement permission to manage the object"),
			[]error{ErrPermission, feeds.ErrRejected},
			feeds.OutcomeRefused, loc.T("facebook.error.permission_named", "Permission", "pages_manage_engagement"),
		},
		{
			"permission of the call", 403, graphBodyOf(200, 0, "(#200) The user hasn't authorized the application to perform this action"),
			[]error{ErrPermission, feeds.ErrRejected},
			feeds.OutcomeRefused, loc.T("facebook.error.permission_named", "Permission", "pages_manage_posts"),
		},
		{
			"code 10", 400, graphBodyOf(10, 0, "(#10) Application does not have permission for this action"),
			[]error{ErrPermission},
			feeds.OutcomeRefused, loc.T("facebook.error.permission_named", "Permission", "pages_manage_posts"),
		},
		{
			"duplicate", 400, graphBodyOf(506, 0, "Duplicate status message"),
			[]error{ErrDuplicate, feeds.ErrRejected},
			feeds.OutcomeRefused, loc.T("facebook.error.duplicate"),
		},
		{
			"other refusal", 400, graphBodyOf(100, 0, "(#100) Invalid parameter"),
			[]error{feeds.ErrRejected},
			feeds.OutcomeRefused, loc.T("facebook.error.refused", "Message", "(#100) Invalid parameter"),
		},
		{
			"service unavailable", 503, graphBodyOf(2, 0, "An unexpected error has occurred. Please retry your request later."),
			[]error{feeds.ErrServer, feeds.ErrOutcomeUnknown},
			feeds.OutcomeUnknown, "",
		},
		{"html 502", 502, "<html>bad gateway</html>", []error{feeds.ErrServer}, feeds.OutcomeUnknown, ""},
		{"plain 400", 400, "nope", []error{feeds.ErrRejected}, feeds.OutcomeRefused, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv, n, acct := setup(t)
			srv.Fail(feedRoute, 1, c.status, c.body)
			_, err := n.Publish(context.Background(), acct, feeds.Outgoing{Text: "Bonjour"})
			for _, w := range c.want {
				if !errors.Is(err, w) {
					t.Errorf("err = %v, want %v in the chain", err, w)
				}
			}
			if got := feeds.Classify(err); got != c.outcome {
				t.Errorf("outcome %d, want %d (%v)", got, c.outcome, err)
			}
			if c.message != "" && loc.Error(err) != c.message {
				t.Errorf("message %q, want %q", loc.Error(err), c.message)
			}
			if len(srv.Posts()) != 0 {
				t.Error("the refused request acted")
			}
		})
	}
}

func TestRevokedPermissionIsNamed(t *testing.T) {
	srv, n, acct := setup(t)
	srv.Revoke("pages_read_user_content")
	_, err := n.Fetch(context.Background(), acct, feeds.Mentions)
	var ge *GraphError
	if !errors.As(err, &ge) || ge.Permission != "pages_read_user_content" || feeds.Classify(err) != feeds.OutcomeRefused {
		t.Fatalf("err = %v", err)
	}
}

func TestUsageHeadersHoldCallsBack(t *testing.T) {
	srv, n, acct := setup(t)
	ctx := context.Background()
	srv.SetHeader("X-Business-Use-Case-Usage",
		`{"`+fbtest.PageID+`":[{"type":"pages","call_count":100,"total_cputime":12,"total_time":30,"estimated_time_to_regain_access":19}]}`)
	srv.Fail(feedRoute, 1, 400, graphBodyOf(80001, 0, "There have been too many calls to this Page account."))
	_, err := n.Publish(ctx, acct, feeds.Outgoing{Text: "Bonjour"})
	var ra *feeds.RetryAfterError
	if !errors.As(err, &ra) || ra.After != 19*time.Minute || feeds.Classify(err) != feeds.OutcomeRateLimited {
		t.Fatalf("err = %v", err)
	}
	if msg := translations.New("fr").Error(err); !strings.Contains(msg, "19") {
		t.Errorf("message %q names no wait", msg)
	}
	before := srv.Count(feedRoute)
	if _, err := n.Fetch(ctx, acct, feeds.Own); feeds.Classify(err) != feeds.OutcomeRateLimited {
		t.Fatalf("call made while the budget is spent: %v", err)
	}
	if srv.Count(feedRoute) != before {
		t.Error("a request left")
	}
	srv.Advance(20 * time.Minute)
	srv.SetHeader("X-Business-Use-Case-Usage", `{}`)
	if _, err := n.Fetch(ctx, acct, feeds.Own); err != nil {
		t.Fatalf("after the wait: %v", err)
	}
}

func TestUsageWait(t *testing.T) {
	for _, c := range []struct {
		name, header, value string
		want                time.Duration
	}{
		{"low", "X-App-Usage", `{"call_count":12,"total_cputime":3,"total_time":5}`, 0},
		{"app spent", "X-App-Usage", `{"call_count":100,"total_cputime":3,"total_time":5}`, rateLimitPause},
		{"page cpu spent", "X-Page-Usage", `{"call_count":10,"total_cputime":101,"total_time":5}`, rateLimitPause},
		{"buc regain", "X-Business-Use-Case-Usage", `{"1":[{"type":"pages","call_count":80,"estimated_time_to_regain_access":3}]}`, 3 * time.Minute},
		{"garbage", "X-App-Usage", `{"call_count":`, 0},
	} {
		h := http.Header{}
		h.Set(c.header, c.value)
		if got := usageWait(h); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

func TestMalformedAndOversizedAnswers(t *testing.T) {
	for _, c := range []struct {
		name, body string
		want       error
	}{
		{"truncated", `{"data":[{"id":"1_2","message":"cut`, feeds.ErrBadResponse},
		{"wrong shape", `{"data":{"id":"1"}}`, feeds.ErrBadResponse},
		{"html", `<html>hello</html>`, feeds.ErrBadResponse},
		{"huge", `{"data":[],"x":"` + strings.Repeat("a", feeds.MaxBody) + `"}`, feeds.ErrTooLarge},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv, n, acct := setup(t)
			srv.Fail("GET /"+fbtest.Version+"/"+fbtest.PageID+"/published_posts", 1, 200, c.body)
			_, err := n.Fetch(context.Background(), acct, feeds.Own)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func TestTokensStayOutOfErrors(t *testing.T) {
	srv, n, acct := setup(t)
	srv.Fail(feedRoute, 1, 400, graphBodyOf(100, 0, "(#100) bad token "+fbtest.PageToken))
	_, err := n.Publish(context.Background(), acct, feeds.Outgoing{Text: "x"})
	if err == nil {
		t.Fatal("no error")
	}
	noSecret(t, "error", err.Error())
	noSecret(t, "message", translations.New("en").Error(err))
}

// A refusal that is not a Graph error body (a proxy's, say) keeps the
// server's words in a feeds.StatusError in the chain: they are scrubbed
// too, wherever the chain is read.
func TestTokensStayOutOfOtherRefusals(t *testing.T) {
	for _, body := range []string{
		`{"message":"no access for ` + fbtest.PageToken + `"}`,
		"denied " + fbtest.PageToken,
	} {
		srv, n, acct := setup(t)
		srv.Fail(feedRoute, 1, 400, body)
		_, err := n.Publish(context.Background(), acct, feeds.Outgoing{Text: "x"})
		var se *feeds.StatusError
		if !errors.As(err, &se) {
			t.Fatalf("err = %v, want a StatusError in the chain", err)
		}
		noSecret(t, "error", err.Error())
		noSecret(t, "status error", se.Error())
		noSecret(t, "message", translations.New("en").Error(err))
	}
}
