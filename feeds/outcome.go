package feeds

import (
	"context"
	"errors"

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
