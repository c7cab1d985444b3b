package feeds

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"chancery/translations"
)

// MaxBody caps any response body a network reads (8 MiB).
const MaxBody = 8 << 20

// URL and request errors shared by the networks.
var (
	ErrBadURL      = translations.NewProblem("error.bad_url", "not a valid server address")
	ErrInsecureURL = translations.NewProblem("error.insecure_url", "plain http is allowed only for loopback hosts")
	ErrRejected    = translations.NewProblem("error.rejected", "the server refused the request")
	ErrTooLarge    = translations.NewProblem("error.too_large", "response too large")
)

// ServerURL parses a server address as a user types it ("mastodon.social",
// "https://pds.example/"). https is assumed when no scheme is given; plain
// http is accepted only for loopback hosts. The result has no trailing slash.
func ServerURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw != "" && !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q: %w", raw, ErrBadURL)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !IsLoopback(u.Hostname()) {
			return nil, fmt.Errorf("%q: %w", raw, ErrInsecureURL)
		}
	default:
		return nil, fmt.Errorf("%q: %w", raw, ErrBadURL)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	return u, nil
}

// IsLoopback reports whether host is localhost or a loopback address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// RetryAfterError carries the delay a server asked for before the next try.
type RetryAfterError struct {
	Err   error
	After time.Duration
}

func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("%v (retry after %s)", e.Err, e.After.Round(time.Second))
}

func (e *RetryAfterError) Unwrap() error { return e.Err }

// StatusError is a refusal (4xx other than 401, 403, 429) with the server's
// own explanation, for logs and details.
type StatusError struct {
	Status  int
	Message string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("http %d: %s", e.Status, e.Message)
}

func (e *StatusError) Unwrap() error { return ErrRejected }

// Do sends req and returns the body of a 2xx response, read up to limit
// bytes, and its headers. It is the one place that says what a failed
// request means (see Classify), keeping every cause in the chain:
//   - nothing reached the server (DNS, refused connection, no route, TLS,
//     a time-out while connecting): ErrOffline, with ErrUnreachable in
//     front when the host refused the connection or its name does not
//     exist (the machine is online; the address is wrong or the server
//     down);
//   - the caller cancelled: an error for which errors.Is(err,
//     context.Canceled) holds;
//   - the request may have been acted on (a time-out or a reset after it
//     left, an error while reading a 2xx body, a 5xx answer):
//     ErrOutcomeUnknown, with context.DeadlineExceeded for time-outs and
//     ErrServer and the server's Retry-After for a 5xx;
//   - the server answered: ErrUnauthorized (401, 403), ErrRateLimited in
//     a RetryAfterError (429), or a StatusError wrapping ErrRejected with
//     the server's reason (other 4xx);
//   - a 2xx body longer than limit: ErrTooLarge (and ErrOutcomeUnknown for
//     a request that changes something).
//
// Errors name the request by its method and redacted address only.
func Do(client *http.Client, req *http.Request, limit int64) ([]byte, http.Header, error) {
	var trace sendTrace
	resp, err := client.Do(trace.attach(req))
	if err != nil {
		return nil, nil, trace.failure(req, resp, err)
	}
	defer resp.Body.Close()
	return readResponse(req, resp, limit, time.Now())
}

// readResponse reads the body of resp, the answer to req, and turns a
// status other than 2xx, or a body that cannot be read whole, into an error.
func readResponse(req *http.Request, resp *http.Response, limit int64, now time.Time) ([]byte, http.Header, error) {
	what := req.Method + " " + req.URL.Redacted()
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	tooLarge := int64(len(body)) > limit
	if tooLarge {
		body = body[:limit]
	}
	if err := statusError(resp, body, now); err != nil {
		return nil, resp.Header, fmt.Errorf("%s: %w", what, err)
	}
	switch {
	case tooLarge && safeMethod(req.Method):
		return nil, resp.Header, fmt.Errorf("%s: more than %d bytes: %w", what, limit, ErrTooLarge)
	case tooLarge:
		return nil, resp.Header, fmt.Errorf("%s: more than %d bytes: %w: %w", what, limit, ErrOutcomeUnknown, ErrTooLarge)
	case readErr != nil:
		return nil, resp.Header, fmt.Errorf("%s: read body: %w: %w", what, ErrOutcomeUnknown, readErr)
	}
	return body, resp.Header, nil
}

func statusError(resp *http.Response, body []byte, now time.Time) error {
	switch code := resp.StatusCode; {
	case code >= 200 && code < 300:
		return nil
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return fmt.Errorf("http %d: %s: %w", code, serverMessage(body), ErrUnauthorized)
	case code == http.StatusTooManyRequests:
		return &RetryAfterError{Err: ErrRateLimited, After: RetryAfter(resp.Header, now)}
	case code >= 500:
		err := fmt.Errorf("http %d: %w: %w", code, ErrServer, ErrOutcomeUnknown)
		return &RetryAfterError{Err: err, After: RetryAfter(resp.Header, now)}
	default:
		return &StatusError{Status: code, Message: serverMessage(body)}
	}
}

// serverMessage extracts the explanation of an error body: the "error",
// "message" or "error_description" field of a JSON object, else a short
// prefix of the text.
func serverMessage(body []byte) string {
	var fields struct {
		Error       any    `json:"error"`
		Message     string `json:"message"`
		Description string `json:"error_description"`
		Detail      string `json:"detail"`
	}
	if json.Unmarshal(body, &fields) == nil {
		parts := []string{}
		if s, ok := fields.Error.(string); ok && s != "" {
			parts = append(parts, s)
		}
		for _, s := range []string{fields.Message, fields.Description, fields.Detail} {
			if s != "" {
				parts = append(parts, s)
			}
		}
		if len(parts) > 0 {
			return strings.Join(parts, ": ")
		}
	}
	s := strings.TrimSpace(string(body))
	if strings.HasPrefix(s, "<") {
		return "" // an HTML or XML page says nothing useful in one line
	}
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}

// RetryAfter reads how long a server asks clients to wait: Retry-After
// (seconds or an HTTP date), else a rate-limit reset time when no requests
// remain (X-RateLimit-* or RateLimit-*, as an RFC 3339 time or Unix
// seconds). It returns 0 when the server says nothing usable.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	if v := h.Get("Retry-After"); v != "" {
		if secs, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && secs >= 0 {
			return time.Duration(secs) * time.Second
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(t.Sub(now), 0)
		}
	}
	for _, prefix := range []string{"X-RateLimit-", "RateLimit-", "X-Rate-Limit-"} {
		if h.Get(prefix+"Remaining") != "0" {
			continue
		}
		reset := strings.TrimSpace(h.Get(prefix + "Reset"))
		if t, err := time.Parse(time.RFC3339Nano, reset); err == nil {
			return max(t.Sub(now), 0)
		}
		if n, err := strconv.ParseInt(reset, 10, 64); err == nil {
			if n > 1_000_000_000 { // a Unix time
				return max(time.Unix(n, 0).Sub(now), 0)
			}
			return time.Duration(n) * time.Second // seconds from now (IETF draft)
		}
	}
	return 0
}
