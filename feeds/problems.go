package feeds

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"

	"chancery/accounts"
	"chancery/translations"
)

// Problems that name their cause more precisely than the outcome of a
// request does. Each is wrapped in front of the broader sentinel it
// refines, so that Classify and every errors.Is on the broader one keep
// working and the user reads the precise one.
var (
	// ErrUnreachable: this server refused the connection or its name does
	// not exist, so the machine is online (something answered) but the
	// address is wrong or the server is down. It comes with ErrOffline:
	// nothing reached the server, so retrying is safe.
	ErrUnreachable = translations.NewProblem("error.unreachable", "server unreachable: wrong address or server down")
	// ErrNoFeed: the address answered with no feed (404, 410, or a web
	// page). It comes with ErrRejected or ErrBadResponse.
	ErrNoFeed = translations.NewProblem("error.no_feed", "no feed at this address")
)

// NoFeedError is an address that holds no feed, with the feed links the
// page found there declares, if any (absolute addresses, in page order).
type NoFeedError struct {
	Address string
	Links   []string
	Err     error // the cause: ErrRejected or ErrBadResponse in its chain
}

func (e *NoFeedError) Error() string {
	msg := fmt.Sprintf("%v: %v", ErrNoFeed, e.Err) // callers name the address
	if len(e.Links) > 0 {
		msg += " (the page declares: " + strings.Join(e.Links, ", ") + ")"
	}
	return msg
}

// Unwrap keeps ErrNoFeed and the cause in the chain.
func (e *NoFeedError) Unwrap() []error { return []error{ErrNoFeed, e.Err} }

// Explain implements translations.Explainer: the address, and the feeds
// its page declares.
func (e *NoFeedError) Explain(l *translations.Localizer) string {
	if len(e.Links) == 0 {
		return l.T("error.no_feed_at", "Address", e.Address)
	}
	return l.N("error.no_feed_links", len(e.Links), "Address", e.Address, "Links", strings.Join(e.Links, "\n"))
}

// unreachable reports whether cause, an error that came before anything
// was sent, proves the machine online: the host refused the connection, or
// a name server said the name does not exist.
func unreachable(cause error) bool {
	var dnsErr *net.DNSError
	if errors.As(cause, &dnsErr) {
		return dnsErr.IsNotFound
	}
	return errors.Is(cause, syscall.ECONNREFUSED)
}

// StateOf is the account state that err, the outcome of a refresh or a
// sign-in, stands for: nil is ok; a cancellation tells nothing (ok is
// false).
func StateOf(err error) (s accounts.State, ok bool) {
	switch {
	case err == nil:
		return accounts.StateOK, true
	case errors.Is(err, context.Canceled):
		return "", false
	case errors.Is(err, ErrUnreachable):
		return accounts.StateWrongAddress, true
	case errors.Is(err, ErrOffline), errors.Is(err, ErrNoAnswer):
		// ErrNoAnswer: the network works but this server did not answer
		// in time; the account is unreachable for now.
		return accounts.StateOffline, true
	case errors.Is(err, ErrUnauthorized):
		return accounts.StateNeedsSignIn, true
	}
	return accounts.StateError, true
}
