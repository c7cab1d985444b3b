package facebook

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"chancery/feeds"
	"chancery/translations"
)

// Problems of this network, each put in front of the broader feeds
// sentinel that Classify reads.
var (
	ErrTokenExpired = translations.NewProblem("facebook.error.token_expired", "the page token has expired or was revoked")
	ErrPermission   = translations.NewProblem("facebook.error.permission", "the token lacks a permission")
	ErrDuplicate    = translations.NewProblem("facebook.error.duplicate", "facebook refused a duplicate post")
	ErrSchedule     = translations.NewProblem("facebook.error.schedule_window", "facebook holds scheduled posts only from 10 minutes to 75 days ahead")
	ErrBadPageID    = translations.NewProblem("facebook.error.page_id", "not a facebook page id")
	ErrNotPage      = translations.NewProblem("facebook.error.not_page", "the token gives no access to this page")
)

// GraphError is a Graph API error answer: {"error":{"message","type",
// "code","error_subcode","fbtrace_id"}}, with what it means for Chancery.
type GraphError struct {
	Status     int // HTTP status
	Message    string
	Type       string
	Code       int
	Subcode    int
	TraceID    string
	Permission string        // the missing permission, for a permission error
	Wait       time.Duration // for a rate limit: the wait Graph announced, if any

	problem *translations.Problem // this package's explanation, if any
	kind    error                 // the feeds classification
}

func (e *GraphError) Error() string {
	s := fmt.Sprintf("graph error %d", e.Code)
	if e.Subcode != 0 {
		s += fmt.Sprintf("/%d", e.Subcode)
	}
	if e.Type != "" {
		s += " (" + e.Type + ")"
	}
	s += ": " + e.Message
	if e.Permission != "" {
		s += " [needs " + e.Permission + "]"
	}
	if e.TraceID != "" {
		s += " [fbtrace_id " + e.TraceID + "]"
	}
	return s + ": " + e.kind.Error()
}

// Unwrap keeps this package's problem and the feeds classification in the
// chain.
func (e *GraphError) Unwrap() []error {
	if e.problem != nil {
		return []error{e.problem, e.kind}
	}
	return []error{e.kind}
}

// Explain implements translations.Explainer.
func (e *GraphError) Explain(l *translations.Localizer) string {
	switch {
	case e.problem == ErrTokenExpired && e.Subcode == 460:
		return l.T("facebook.error.password_changed")
	case e.problem == ErrTokenExpired:
		return l.T("facebook.error.token_expired")
	case e.problem == ErrPermission && e.Permission != "":
		return l.T("facebook.error.permission_named", "Permission", e.Permission)
	case e.problem != nil:
		return l.T(e.problem.MessageID())
	case errors.Is(e.kind, feeds.ErrRateLimited) && e.Wait > 0:
		return l.N("facebook.error.rate_limited_minutes", int((e.Wait+time.Minute-1)/time.Minute))
	case errors.Is(e.kind, feeds.ErrRateLimited):
		return l.T("facebook.error.rate_limited")
	case errors.Is(e.kind, feeds.ErrRejected) && e.Message != "":
		return l.T("facebook.error.refused", "Message", e.Message)
	}
	return l.Error(e.kind)
}

// graphBody is the envelope of a Graph error.
type graphBody struct {
	Error *struct {
		Message string `json:"message"`
		Type    string `json:"type"`
		Code    int    `json:"code"`
		Subcode int    `json:"error_subcode"`
		TraceID string `json:"fbtrace_id"`
	} `json:"error"`
}

// parseGraphError reads a Graph error body; ok is false when body is not
// one.
func parseGraphError(body []byte) (*GraphError, bool) {
	var b graphBody
	if json.Unmarshal(body, &b) != nil || b.Error == nil || (b.Error.Code == 0 && b.Error.Message == "") {
		return nil, false
	}
	msg := b.Error.Message
	if r := []rune(msg); len(r) > 500 {
		msg = string(r[:500]) + "…"
	}
	return &GraphError{
		Message: msg, Type: b.Error.Type, Code: b.Error.Code,
		Subcode: b.Error.Subcode, TraceID: b.Error.TraceID,
	}, true
}

// rateLimitPause is the wait after a rate limit for which Graph announced
// none: its limits are counted over a rolling hour.
const rateLimitPause = 10 * time.Minute

// Graph error codes (https://developers.facebook.com/docs/graph-api/guides/error-handling).
const (
	codeUnknown        = 1
	codeService        = 2
	codeAppRate        = 4
	codePermission     = 10
	codeUserRate       = 17
	codePageRate       = 32
	codeParam          = 100
	codeSession        = 102
	codeOAuth          = 190
	codeDuplicate      = 506
	codeCallsPerHour   = 613
	codePageBUCRate    = 80001
	firstPermission    = 200
	lastPermission     = 299
	subcodePassword    = 460
	subcodeExpired     = 463
	subcodeInvalidated = 467
)

// classify sets what e means, for a call that needed perm, given the wait
// the usage headers announced.
func (e *GraphError) classify(perm string, wait time.Duration) {
	switch c := e.Code; {
	case c == codeOAuth || c == codeSession:
		e.problem, e.kind = ErrTokenExpired, feeds.ErrUnauthorized
	case c == codeAppRate || c == codeUserRate || c == codePageRate || c == codeCallsPerHour || c == codePageBUCRate:
		e.Wait = wait
		e.kind = &feeds.RetryAfterError{Err: feeds.ErrRateLimited, After: cmp.Or(wait, rateLimitPause)}
	case c == codePermission || (c >= firstPermission && c <= lastPermission):
		e.problem, e.Permission = ErrPermission, cmp.Or(namedPermission(e.Message), perm)
		e.kind = &feeds.StatusError{Status: e.Status, Message: e.Message}
	case c == codeDuplicate:
		e.problem, e.kind = ErrDuplicate, &feeds.StatusError{Status: e.Status, Message: e.Message}
	case e.Status >= 500 || c == codeUnknown || c == codeService:
		e.kind = fmt.Errorf("%w: %w", feeds.ErrServer, feeds.ErrOutcomeUnknown)
	case c == codeParam && strings.Contains(strings.ToLower(e.Message), "scheduled publish time"):
		e.problem, e.kind = ErrSchedule, &feeds.StatusError{Status: e.Status, Message: e.Message}
	default:
		e.kind = &feeds.StatusError{Status: e.Status, Message: e.Message}
	}
}

// permissionName finds a permission named in a Graph message ("(#200)
// Requires pages_manage_posts permission").
var permissionName = regexp.MustCompile(`\b(pages_[a-z_]+|publish_[a-z_]+|read_insights|business_management|public_profile)\b`)

func namedPermission(msg string) string { return permissionName.FindString(msg) }

// graphFailure turns the failure err of call c into a *GraphError when the
// answer was a Graph error body (got); the answer of a 5xx keeps
// feeds.Do's classification (the request may have been acted on), with
// Graph's explanation added.
func graphFailure(err error, got *captured, c call, wait time.Duration) error {
	status, body := got.get()
	ge, ok := parseGraphError(body)
	if !ok {
		return fmt.Errorf("facebook: %w", err)
	}
	ge.Status = status
	if status >= 500 {
		return fmt.Errorf("facebook: %w (graph error %d: %s)", err, ge.Code, ge.Message)
	}
	ge.classify(c.perm, wait)
	return fmt.Errorf("facebook: %s %s: %w", c.method, strings.Join(c.path, "/"), ge)
}
