package mastodon

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// session is one account's (or, with no token, an anonymous) connection to
// one server.
type session struct {
	n       *Network
	server  *url.URL
	token   string
	secrets []string // values scrubbed from errors: the token, client secret
	limit   string   // key of the rate-limit window
}

// call is one API request. Path segments are escaped here; a segment that
// is empty or a dot segment is refused, so ids cannot climb the path.
type call struct {
	method  string
	path    []string
	query   url.Values
	form    url.Values // sent as application/x-www-form-urlencoded
	body    []byte     // sent as is, with ctype
	ctype   string
	idem    string // Idempotency-Key
	timeout time.Duration
}

// session opens acct's connection with the token from the secret store.
func (n *Network) session(acct accounts.Account) (*session, error) {
	server, err := feeds.ServerURL(acct.Server)
	if err != nil {
		return nil, fmt.Errorf("mastodon %s: %w", acct.ID, err)
	}
	secret, err := n.secrets.Secret(acct.ID)
	if err != nil {
		return nil, fmt.Errorf("mastodon %s: %w: %w", acct.ID, feeds.ErrUnauthorized, err)
	}
	cr, err := parseSecret(secret)
	if err != nil {
		return nil, fmt.Errorf("mastodon %s: %w", acct.ID, err)
	}
	return &session{
		n: n, server: server, token: cr.AccessToken,
		secrets: []string{cr.AccessToken, cr.ClientSecret},
		limit:   server.Host + "|" + acct.ID,
	}, nil
}

// anonymous opens a connection without a token (app registration, token
// exchange, instance information).
func (n *Network) anonymous(server string, secrets ...string) (*session, error) {
	u, err := feeds.ServerURL(server)
	if err != nil {
		return nil, fmt.Errorf("mastodon: %w", err)
	}
	return &session{n: n, server: u, secrets: secrets, limit: u.Host}, nil
}

// do sends c and returns the body of a 2xx response and its headers.
func (s *session) do(ctx context.Context, c call) ([]byte, http.Header, error) {
	body, h, err := s.send(ctx, c)
	if err != nil {
		return nil, h, s.scrub(err)
	}
	return body, h, nil
}

func (s *session) send(ctx context.Context, c call) ([]byte, http.Header, error) {
	key := s.limit + "|" + family(c)
	if err := s.n.gate(key); err != nil {
		return nil, nil, err
	}
	req, err := s.request(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	callCtx, cancel := withTimeout(ctx, cmp.Or(c.timeout, s.n.timeout))
	defer cancel()
	body, h, err := feeds.Do(s.n.client, req.WithContext(callCtx), feeds.MaxBody)
	s.n.observe(key, h, err)
	return body, h, err
}

func (s *session) request(ctx context.Context, c call) (*http.Request, error) {
	body, ctype := c.body, c.ctype
	if c.form != nil {
		body, ctype = []byte(c.form.Encode()), "application/x-www-form-urlencoded"
	}
	req, err := feeds.APIRequest{
		Method: c.method, Base: s.server, Path: c.path, Query: c.query,
		Body: body, Type: ctype, Token: s.token,
	}.Build(ctx, "mastodon")
	if err == nil && c.idem != "" {
		// net/http would replay a request carrying this header by itself
		// when a reused connection closes before the answer, and servers
		// that ignore the key then publish twice; Build already ruled that
		// out for every write: only the outbox sends again, after looking
		// for the post.
		req.Header.Set("Idempotency-Key", c.idem)
	}
	return req, err
}

// getJSON GETs path with query and decodes the body into v.
func (s *session) getJSON(ctx context.Context, v any, query url.Values, path ...string) (http.Header, error) {
	body, h, err := s.do(ctx, call{method: http.MethodGet, path: path, query: query})
	if err != nil {
		return h, err
	}
	return h, s.decode(body, strings.Join(path, "/"), v)
}

// postJSON POSTs form to path and decodes the answer into v (if not nil).
func (s *session) postJSON(ctx context.Context, v any, form url.Values, path ...string) error {
	body, _, err := s.do(ctx, call{method: http.MethodPost, path: path, form: form})
	if err != nil || v == nil {
		return err
	}
	return s.decode(body, strings.Join(path, "/"), v)
}

// decode unmarshals a response body; anything unreadable, truncated or of
// the wrong shape is an error wrapping feeds.ErrBadResponse.
func (s *session) decode(body []byte, what string, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return s.scrub(fmt.Errorf("mastodon: decode %s: %w: %w", what, feeds.ErrBadResponse, err))
	}
	return nil
}

// scrub removes the session's secrets from err's text, keeping its chain.
func (s *session) scrub(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	clean := msg
	for _, sec := range s.secrets {
		if len(sec) >= 4 {
			clean = strings.ReplaceAll(clean, sec, "[redacted]")
		}
	}
	if clean == msg {
		return err
	}
	return &scrubbed{err: err, msg: clean}
}

type scrubbed struct {
	err error
	msg string
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.err }

// family names the rate-limit budget a call draws on: Mastodon counts media
// uploads apart from the rest of the API.
func family(c call) string {
	if len(c.path) >= 3 && c.path[2] == "media" {
		return "media"
	}
	return "api"
}

// gate refuses to send while the server's rate-limit window for key is
// exhausted, instead of spending a request on a sure 429.
func (n *Network) gate(key string) error {
	return n.holds.Gate("mastodon", key, n.now())
}

// observe notes the server's rate-limit headers (X-RateLimit-Remaining 0
// until X-RateLimit-Reset) and the delay of a 429 or 5xx, to which it adds
// a jittered back-off when the server gave none.
func (n *Network) observe(key string, h http.Header, err error) {
	now := n.now()
	var until time.Time
	if h != nil && h.Get("X-RateLimit-Remaining") == "0" {
		if d := feeds.RetryAfter(h, now); d > 0 {
			until = now.Add(d)
		}
	}
	var ra *feeds.RetryAfterError
	if errors.As(err, &ra) {
		if ra.After <= 0 {
			ra.After = backoff(errors.Is(err, feeds.ErrRateLimited))
		}
		if errors.Is(err, feeds.ErrRateLimited) {
			until = now.Add(ra.After)
		}
	}
	if !until.IsZero() {
		n.holds.Hold(key, until)
	}
}

// backoff is the delay suggested when a server asks to slow down (or
// fails) without saying for how long: 60 s (rate limit) or 10 s (server
// error), plus up to half again, at random, so clients do not return in
// step.
func backoff(rateLimited bool) time.Duration {
	base := 10 * time.Second
	if rateLimited {
		base = 60 * time.Second
	}
	return base + rand.N(base/2)
}
