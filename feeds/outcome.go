package feeds

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync/atomic"

	"chancery/translations"
)

// ErrOutcomeUnknown marks a failed request that may have reached the server
// and been acted on: a time-out after the request was sent, a connection
// reset, an error while reading a 2xx body, or a 5xx answer. A post whose
// publishing failed this way must not be sent again before the account's
// own posts were checked for it.
var ErrOutcomeUnknown = translations.NewProblem("error.outcome_unknown", "the server may have received the request; its outcome is unknown")

// Outcome is what a failed request tells about the state of the server.
type Outcome int

// The outcomes of a failed request, from the one place that classifies them.
const (
	// OutcomeOther is an error that is none of the below (a local problem,
	// a malformed answer to a read).
	OutcomeOther Outcome = iota
	// OutcomeOffline: nothing reached the server (no route, DNS, refused
	// connection, TLS handshake): retrying is safe.
	OutcomeOffline
	// OutcomeRefused: the server answered 4xx and did not act.
	OutcomeRefused
	// OutcomeUnauthorized: the server refused the credentials.
	OutcomeUnauthorized
	// OutcomeRateLimited: the server asked to wait and did not act.
	OutcomeRateLimited
	// OutcomeUnknown: the request may have been acted on.
	OutcomeUnknown
	// OutcomeCancelled: the caller cancelled; whether the request left is
	// not known, so a publish treats it as unknown.
	OutcomeCancelled
)

// Classify tells which outcome err stands for. Errors keep their causes, so
// errors.Is(err, context.DeadlineExceeded) stays true where it applies.
func Classify(err error) Outcome {
	switch {
	case err == nil:
		return OutcomeOther
	case errors.Is(err, ErrOutcomeUnknown):
		return OutcomeUnknown
	case errors.Is(err, context.Canceled):
		return OutcomeCancelled
	case errors.Is(err, ErrRateLimited):
		return OutcomeRateLimited
	case errors.Is(err, ErrUnauthorized):
		return OutcomeUnauthorized
	case errors.Is(err, ErrOffline):
		return OutcomeOffline
	case errors.Is(err, ErrServer), errors.Is(err, context.DeadlineExceeded):
		return OutcomeUnknown
	case errors.Is(err, ErrRejected):
		return OutcomeRefused
	}
	return OutcomeOther
}

// ErrNoAnswer explains a read whose answer never came (a time-out after the
// request left, a connection cut): the refresh engine puts it in front of
// ErrOutcomeUnknown, which speaks of posts, so that a column says what a
// reader needs to know.
var ErrNoAnswer = translations.NewProblem("error.no_answer", "the server did not answer")

// sendTrace follows one request through the transport, to tell whether it
// may have reached the server. Its hooks run on the goroutine that sends
// the request, before anything is written.
type sendTrace struct {
	asked atomic.Bool // the transport looked for a connection
	sent  atomic.Bool // a connection was handed the request, at some hop
}

// attach returns req with the trace's hooks added to its context (after
// any hooks the caller set).
func (s *sendTrace) attach(req *http.Request) *http.Request {
	hooks := &httptrace.ClientTrace{
		GetConn: func(string) { s.asked.Store(true) },
		GotConn: func(httptrace.GotConnInfo) { s.sent.Store(true) },
	}
	return req.WithContext(httptrace.WithClientTrace(req.Context(), hooks))
}

// mayHaveArrived reports whether the request may have reached the server.
// Once a connection was handed the request, at any hop of a redirect chain
// or any retry, it may have. When the transport reported nothing (a custom
// RoundTripper), only an error known to come before sending (a dial, DNS or
// TLS failure) says it did not.
func (s *sendTrace) mayHaveArrived(cause error) bool {
	if s.sent.Load() {
		return true
	}
	if s.asked.Load() {
		return false
	}
	return !beforeSending(cause)
}

// failure turns the error of a request that brought no usable response
// into one that Classify reads right, keeping cause in the chain: the
// caller's cancellation, a redirect refused by the client's policy, offline
// (nothing reached the server; with ErrUnreachable in front when this host
// refused the connection or its name does not exist), or outcome unknown.
// resp is what the client returned with err (the redirect a policy
// refused, else nil).
func (s *sendTrace) failure(req *http.Request, resp *http.Response, err error) error {
	what := req.Method + " " + req.URL.Redacted()
	cause := err
	var ue *url.Error
	if errors.As(err, &ue) {
		cause = ue.Err // the url.Error repeats the address, unredacted
	}
	switch {
	case errors.Is(cause, context.Canceled):
		return fmt.Errorf("%s: %w", what, cause)
	case errors.Is(req.Context().Err(), context.Canceled):
		return fmt.Errorf("%s: %w: %w", what, context.Canceled, cause)
	case resp != nil && !safeMethod(req.Method):
		return fmt.Errorf("%s: redirect not followed: %w: %w", what, ErrOutcomeUnknown, cause)
	case resp != nil:
		return fmt.Errorf("%s: redirect not followed: %w", what, cause)
	case !s.mayHaveArrived(cause) && unreachable(cause):
		return fmt.Errorf("%s: %w: %w: %w", what, ErrUnreachable, ErrOffline, cause)
	case !s.mayHaveArrived(cause):
		return fmt.Errorf("%s: %w: %w", what, ErrOffline, cause)
	}
	return fmt.Errorf("%s: %w: %w", what, ErrOutcomeUnknown, cause)
}

// beforeSending reports whether err is known to happen before a request
// can leave: no address, no connection, or no TLS session.
func beforeSending(err error) bool {
	var (
		dnsErr   *net.DNSError
		opErr    *net.OpError
		certErr  *tls.CertificateVerificationError
		recErr   tls.RecordHeaderError
		authErr  x509.UnknownAuthorityError
		hostErr  x509.HostnameError
		invalErr x509.CertificateInvalidError
	)
	switch {
	case errors.As(err, &dnsErr), errors.As(err, &certErr), errors.As(err, &recErr),
		errors.As(err, &authErr), errors.As(err, &hostErr), errors.As(err, &invalErr):
		return true
	case errors.As(err, &opErr):
		return opErr.Op == "dial" || opErr.Op == "proxyconnect"
	}
	return false
}

// safeMethod reports whether a request with method m changes nothing on
// the server (RFC 9110 §9.2.1).
func safeMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}
