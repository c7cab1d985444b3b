package facebook

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// session is one Page's connection to the Graph API.
type session struct {
	n     *Network
	base  *url.URL // versioned
	page  string   // the Page id
	token string   // the Page access token
	key   string   // rate-limit key
}

// call is one Graph request. Path segments are escaped here; a segment
// that is empty or a dot segment is refused, so ids cannot climb the path.
type call struct {
	method  string
	path    []string
	query   url.Values
	form    url.Values // application/x-www-form-urlencoded
	body    []byte     // sent as is, with ctype
	ctype   string
	perm    string // the permission the call needs, named when Graph refuses
	timeout time.Duration
}

// versioned matches a Graph API version path segment.
var versioned = regexp.MustCompile(`^v\d+\.\d+$`)

// serverURL parses an account's server: DefaultServer when empty, and
// DefaultVersion added to an address that names no version.
func serverURL(raw string) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		raw = DefaultServer
	}
	u, err := feeds.ServerURL(raw)
	if err != nil {
		return nil, fmt.Errorf("facebook: %w", err)
	}
	if !versioned.MatchString(path.Base(u.Path)) {
		u.Path += "/" + DefaultVersion
	}
	return u, nil
}

// session opens acct's connection with the Page token from the secret
// store.
func (n *Network) session(acct accounts.Account) (*session, error) {
	base, err := serverURL(acct.Server)
	if err != nil {
		return nil, err
	}
	if !validID(acct.Handle) {
		return nil, fmt.Errorf("facebook %s: page id %q: %w", acct.ID, acct.Handle, ErrBadPageID)
	}
	secret, err := n.secrets.Secret(acct.ID)
	if err != nil {
		return nil, fmt.Errorf("facebook %s: %w: %w", acct.ID, feeds.ErrUnauthorized, err)
	}
	token, err := parseToken(secret)
	if err != nil {
		return nil, fmt.Errorf("facebook %s: %w", acct.ID, err)
	}
	return &session{n: n, base: base, page: acct.Handle, token: token, key: base.Host + "|" + acct.Handle}, nil
}

// parseToken checks a stored or given token: one line, no spaces.
func parseToken(secret string) (string, error) {
	t := strings.TrimSpace(secret)
	if t == "" || strings.ContainsAny(t, " \t\r\n") || len(t) > 4096 {
		return "", fmt.Errorf("no usable access token: %w", feeds.ErrUnauthorized)
	}
	return t, nil
}

// validID reports whether s can be a Graph node id: digits, or digits
// joined by underscores.
func validID(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return s[0] != '_' && s[len(s)-1] != '_'
}

// do sends c and returns the body of a 2xx answer. A Graph error body
// turns the failure into a *GraphError (see graphFailure); every other
// failure is feeds.Do's to classify.
func (s *session) do(ctx context.Context, c call) ([]byte, error) {
	if err := s.n.gate(s.key); err != nil {
		return nil, err
	}
	req, err := s.request(ctx, c)
	if err != nil {
		return nil, err
	}
	callCtx, cancel := withTimeout(ctx, cmp.Or(c.timeout, s.n.timeout))
	defer cancel()
	got := &captured{}
	callCtx = context.WithValue(callCtx, captureKey{}, got)
	body, h, err := feeds.Do(s.n.client, req.WithContext(callCtx), feeds.MaxBody)
	now := s.n.now()
	wait := usageWait(h)
	if err != nil {
		err = graphFailure(err, got, c, wait)
	}
	s.n.observe(s.key, now, wait, err)
	if err != nil {
		return nil, s.scrub(err)
	}
	return body, nil
}

func (s *session) request(ctx context.Context, c call) (*http.Request, error) {
	body, ctype := c.body, c.ctype
	if c.form != nil {
		body, ctype = []byte(c.form.Encode()), "application/x-www-form-urlencoded"
	}
	// Graph has no idempotency key: Build never lets net/http replay a write.
	return feeds.APIRequest{
		Method: c.method, Base: s.base, Path: c.path, Query: c.query,
		Body: body, Type: ctype, Token: s.token,
	}.Build(ctx, "facebook")
}

// getJSON GETs path with query and decodes the body into v.
func (s *session) getJSON(ctx context.Context, c call, v any) error {
	c.method = http.MethodGet
	body, err := s.do(ctx, c)
	if err != nil {
		return err
	}
	return decode(body, strings.Join(c.path, "/"), v)
}

// postJSON POSTs c and decodes the answer into v (if not nil).
func (s *session) postJSON(ctx context.Context, c call, v any) error {
	if c.method == "" {
		c.method = http.MethodPost
	}
	body, err := s.do(ctx, c)
	if err != nil || v == nil {
		return err
	}
	return decode(body, strings.Join(c.path, "/"), v)
}

// decode unmarshals a response body; anything unreadable or of the wrong
// shape is an error wrapping feeds.ErrBadResponse.
func decode(body []byte, what string, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("facebook: decode %s: %w: %w", what, feeds.ErrBadResponse, err)
	}
	return nil
}

// scrub removes the token from err's text and from the messages of a
// Graph error and of a feeds.StatusError in its chain (read on their own
// by whoever explains the error), keeping the chain.
func (s *session) scrub(err error) error {
	msg := err.Error()
	if len(s.token) < 4 || !strings.Contains(msg, s.token) {
		return err
	}
	redact := func(m string) string { return strings.ReplaceAll(m, s.token, "[redacted]") }
	var ge *GraphError
	if errors.As(err, &ge) {
		ge.Message = redact(ge.Message)
	}
	var se *feeds.StatusError
	if errors.As(err, &se) {
		se.Message = redact(se.Message)
	}
	return &scrubbed{err: err, msg: redact(msg)}
}

type scrubbed struct {
	err error
	msg string
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.err }

// withTimeout bounds ctx by d.
func withTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}

// maxErrorBody caps the error body kept for reading Graph's explanation.
const maxErrorBody = 64 << 10

// captureKey holds, in a request's context, where the answer's error body
// is kept.
type captureKey struct{}

// captured is the status and body of an error answer, seen by
// captureTransport on its way to feeds.Do.
type captured struct {
	mu     sync.Mutex
	status int
	body   []byte
}

func (c *captured) get() (int, []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status, c.body
}

// captureTransport keeps a copy of the body of each error answer (4xx,
// 5xx) for the request's captured, and hands feeds.Do the same bytes, so
// that feeds.Do classifies the failure and this package reads Graph's
// error object.
type captureTransport struct{ base http.RoundTripper }

func (t captureTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	got, _ := req.Context().Value(captureKey{}).(*captured)
	if err != nil || got == nil || resp.StatusCode < 400 {
		return resp, err
	}
	b, readErr := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	got.mu.Lock()
	got.status, got.body = resp.StatusCode, b
	got.mu.Unlock()
	var rest io.Reader = bytes.NewReader(b)
	if readErr != nil {
		rest = io.MultiReader(rest, failingReader{readErr})
	}
	resp.Body = io.NopCloser(rest)
	return resp, nil
}

type failingReader struct{ err error }

func (f failingReader) Read([]byte) (int, error) { return 0, f.err }

// capturing returns a copy of c whose transport keeps error bodies.
func capturing(c *http.Client) *http.Client {
	cp := *c
	base := cp.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	cp.Transport = captureTransport{base: base}
	return &cp
}
