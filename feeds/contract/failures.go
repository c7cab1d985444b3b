package contract

import (
	"context"
	"errors"
	"testing"
	"time"

	"chancery/feeds"
	"chancery/feeds/feedstest"
)

// patience bounds every wait of the suite: generous, so that two busy cores
// never fail a test that works; a wait that long means a hang.
const patience = 60 * time.Second

func faultsPart(t *testing.T, h Harness) {
	cases := []struct {
		name  string
		fault Fault
		want  error
	}{
		{"unauthorized", Unauthorized, feeds.ErrUnauthorized},
		{"server-error", ServerError, feeds.ErrServer},
		{"malformed", Malformed, feeds.ErrBadResponse},
	}
	if h.NoCredentials {
		cases[0].want = feeds.ErrRejected
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fx, kind := faultFixture(t, h)
			fx.Faults.Set(c.fault)
			posts, err := fx.Net.Fetch(t.Context(), fx.Account, kind)
			report(t, errorProblems(err, fx.Secrets))
			if !errors.Is(err, c.want) {
				t.Errorf("Fetch(%s): %d posts, error %v; want one wrapping %q", kind, len(posts), err, c.want)
			}
			if h.NoCredentials && errors.Is(err, feeds.ErrUnauthorized) {
				t.Errorf("Fetch(%s): %v asks to sign in again, on a network without credentials", kind, err)
			}
			if fx.Faults.Hits() == 0 {
				t.Error("the server's fault was never asked: the check proves nothing")
			}
		})
	}
	t.Run("rate-limited", func(t *testing.T) { rateLimited(t, h, RateLimited, RetryAfterSeconds*time.Second) })
	t.Run("rate-limit-headers", func(t *testing.T) { rateLimited(t, h, RateLimitHeaders, ResetAfter) })
	t.Run("huge-body", func(t *testing.T) { hugeBody(t, h) })
	t.Run("deadline", func(t *testing.T) { deadline(t, h) })
}

// faultFixture starts a fixture whose network talks to a server, and
// returns the kind fetched.
func faultFixture(t *testing.T, h Harness) (Fixture, feeds.Kind) {
	t.Helper()
	fx := h.start(t)
	if fx.Faults == nil {
		t.Skip("the network talks to no server")
	}
	return fx, h.kinds(fx.Net.Capabilities())[0]
}

// rateLimited checks that a 429 is feeds.ErrRateLimited with the delay the
// server asked for (a network may add to it, up to half again), and, for a
// network that says it gates itself, that it then waits instead of asking
// again at once.
func rateLimited(t *testing.T, h Harness, fault Fault, asked time.Duration) {
	fx, kind := faultFixture(t, h)
	if fault == RateLimited && fx.Faults.style.NoRetryAfter {
		t.Skip("the network's API sends no Retry-After")
	}
	fx.Faults.Set(fault)
	_, err := fx.Net.Fetch(t.Context(), fx.Account, kind)
	report(t, errorProblems(err, fx.Secrets))
	if !errors.Is(err, feeds.ErrRateLimited) {
		t.Fatalf("Fetch(%s) answered 429: error %v, want feeds.ErrRateLimited", kind, err)
	}
	var ra *feeds.RetryAfterError
	switch {
	case !errors.As(err, &ra):
		t.Errorf("the delay the server asked for is lost: %v is no feeds.RetryAfterError", err)
	case ra.After < asked-15*time.Second || ra.After > asked*3/2+5*time.Second:
		t.Errorf("retry after %s, the server asked for %s", ra.After, asked)
	}
	if !h.GatesRateLimits {
		return
	}
	hits := fx.Faults.Hits()
	_, err = fx.Net.Fetch(t.Context(), fx.Account, kind)
	if !errors.Is(err, feeds.ErrRateLimited) {
		t.Errorf("Fetch(%s) again at once: error %v, want feeds.ErrRateLimited", kind, err)
	}
	if more := fx.Faults.Hits() - hits; more > 0 {
		t.Errorf("Fetch(%s) again at once asked the server %d more times before the time it gave", kind, more)
	}
}

// hugeBody checks that a body far beyond feeds.MaxBody is refused with
// feeds.ErrTooLarge, and was not read whole.
func hugeBody(t *testing.T, h Harness) {
	fx, kind := faultFixture(t, h)
	fx.Faults.Set(Huge)
	_, err := fx.Net.Fetch(t.Context(), fx.Account, kind)
	report(t, errorProblems(err, fx.Secrets))
	if !errors.Is(err, feeds.ErrTooLarge) {
		t.Errorf("Fetch(%s) of a %d-byte body: error %v, want feeds.ErrTooLarge", kind, HugeSize, err)
	}
	asked := fx.Faults.Hits()
	if !poll(func() bool { _, ended := fx.Faults.hugeState(); return ended >= asked }) {
		t.Fatal("the server is still writing the huge body: the client neither read it nor closed the connection")
	}
	if written, _ := fx.Faults.hugeState(); written >= int64(asked)*HugeSize {
		t.Errorf("the client read all %d bytes of every huge body instead of stopping after %d", written, feeds.MaxBody)
	}
}

// deadline checks that a call whose context's deadline passes while the
// server holds the answer returns, with an error wrapping
// context.DeadlineExceeded.
func deadline(t *testing.T, h Harness) {
	fx, kind := faultFixture(t, h)
	fx.Faults.Set(Hang)
	ctx := feedstest.NewExpiring(t)
	done := make(chan error, 1)
	go func() {
		_, err := fx.Net.Fetch(ctx, fx.Account, kind)
		done <- err
	}()
	select {
	case <-fx.Faults.Arrived():
	case err := <-done:
		t.Fatalf("Fetch(%s) returned before the server answered: %v", kind, err)
	case <-time.After(patience):
		t.Fatal("the request never reached the server")
	}
	ctx.Expire()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Fetch(%s) past its deadline: error %v, want context.DeadlineExceeded", kind, err)
		}
	case <-time.After(patience):
		t.Fatalf("Fetch(%s) did not return when its deadline passed", kind)
	}
}

// poll reports whether cond became true within patience.
func poll(cond func() bool) bool {
	for end := time.Now().Add(patience); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}
