package x

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

// session is one account's connection to X.
type session struct {
	n      *Network
	acct   accounts.Account
	server *url.URL
	tokens Tokens
}

// call is one API request. Path segments are escaped here; an empty or
// dot segment is refused, so ids cannot climb the path.
type call struct {
	method   string
	path     []string
	query    url.Values
	json     any    // sent as application/json
	body     []byte // sent as is, with ctype
	ctype    string
	endpoint string // rate-limit family; the path's first two segments by default
	timeout  time.Duration
}

// session opens acct's connection, refreshing its access token first when
// it is about to expire.
func (n *Network) session(ctx context.Context, acct accounts.Account) (*session, error) {
	server, err := feeds.ServerURL(cmp.Or(acct.Server, DefaultServer))
	if err != nil {
		return nil, fmt.Errorf("x %s: %w", acct.ID, err)
	}
	tok, err := n.tokensOf(acct)
	if err != nil {
		return nil, err
	}
	s := &session{n: n, acct: acct, server: server, tokens: tok}
	if tok.expiring(n.now()) {
		if err := s.refresh(ctx, tok.AccessToken); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// do sends c; after a 401 it refreshes the token once and sends c again
// (X did not act on a request it refused).
func (s *session) do(ctx context.Context, c call) ([]byte, http.Header, error) {
	body, h, err := s.send(ctx, c)
	if err != nil && feeds.Classify(err) == feeds.OutcomeUnauthorized && s.tokens.RefreshToken != "" {
		if rerr := s.refresh(ctx, s.tokens.AccessToken); rerr != nil {
			return nil, h, s.scrub(rerr)
		}
		body, h, err = s.send(ctx, c)
	}
	return body, h, s.scrub(err)
}

func (s *session) send(ctx context.Context, c call) ([]byte, http.Header, error) {
	key := s.acct.ID + "|" + cmp.Or(c.endpoint, endpoint(c))
	if err := s.n.gate(key); err != nil {
		return nil, nil, err
	}
	req, err := s.request(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	callCtx, cancel := withTimeout(ctx, cmp.Or(c.timeout, s.n.timeout))
	defer cancel()
	callCtx, sl := withSlot(callCtx)
	body, h, err := feeds.Do(s.n.client, req.WithContext(callCtx), feeds.MaxBody)
	s.n.observe(key, h, err)
	return body, h, explain(sl, req.Method+" "+req.URL.Redacted(), err)
}

// endpoint names the rate-limit window a call draws on: X limits each
// endpoint apart ("GET 2/users/:id/mentions"), ids aside.
func endpoint(c call) string {
	segs := make([]string, len(c.path))
	for i, p := range c.path {
		segs[i] = p
		if i > 0 && strings.Trim(p, "0123456789") == "" {
			segs[i] = ":id"
		}
	}
	return c.method + " " + strings.Join(segs, "/")
}

func (s *session) request(ctx context.Context, c call) (*http.Request, error) {
	body, ctype := c.body, c.ctype
	if c.json != nil {
		b, err := json.Marshal(c.json)
		if err != nil {
			return nil, fmt.Errorf("x: encode request: %w", err)
		}
		body, ctype = b, "application/json"
	}
	// X has no idempotency key: Build never lets net/http replay a write.
	return feeds.APIRequest{
		Method: c.method, Base: s.server, Path: c.path, Query: c.query,
		Body: body, Type: ctype, Token: s.tokens.AccessToken,
	}.Build(ctx, "x")
}

// getJSON GETs path with query and decodes the body into v.
func (s *session) getJSON(ctx context.Context, v any, query url.Values, path ...string) error {
	body, _, err := s.do(ctx, call{method: http.MethodGet, path: path, query: query})
	if err != nil {
		return err
	}
	return decode(body, strings.Join(path, "/"), v)
}

// decode unmarshals a response body; anything unreadable or of the wrong
// shape is an error wrapping feeds.ErrBadResponse.
func decode(body []byte, what string, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("x: decode %s: %w: %w", what, feeds.ErrBadResponse, err)
	}
	return nil
}

// scrub removes the session's tokens from err's text, keeping its chain.
func (s *session) scrub(err error) error {
	return scrubSecrets(err, s.tokens.AccessToken, s.tokens.RefreshToken, s.tokens.ClientSecret)
}

// scrubSecrets removes secrets from err's text and from the texts of X's
// Problem and of a feeds.StatusError in its chain, which the translated
// message reads on their own.
func scrubSecrets(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	redact := func(text string) string {
		for _, sec := range secrets {
			if len(sec) >= 4 {
				text = strings.ReplaceAll(text, sec, "[redacted]")
			}
		}
		return text
	}
	var p *Problem
	if errors.As(err, &p) {
		p.Title, p.Detail, p.Type = redact(p.Title), redact(p.Detail), redact(p.Type)
	}
	var se *feeds.StatusError
	if errors.As(err, &se) {
		se.Message = redact(se.Message)
	}
	msg := err.Error()
	if clean := redact(msg); clean != msg {
		return &scrubbed{err: err, msg: clean}
	}
	return err
}

type scrubbed struct {
	err error
	msg string
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.err }

// gate refuses to send while X's rate-limit window for key is exhausted,
// instead of paying for a sure 429.
func (n *Network) gate(key string) error {
	return n.holds.Gate("x", key, n.now())
}

// observe notes X's rate-limit headers (x-rate-limit-remaining 0 until
// x-rate-limit-reset, a Unix time) and the delay of a 429, adding a
// jittered back-off when X gave none.
func (n *Network) observe(key string, h http.Header, err error) {
	now := n.now()
	var until time.Time
	if h != nil && h.Get("X-Rate-Limit-Remaining") == "0" {
		if d := feeds.RetryAfter(h, now); d > 0 {
			until = now.Add(d)
		}
	}
	var ra *feeds.RetryAfterError
	if errors.As(err, &ra) && errors.Is(err, feeds.ErrRateLimited) {
		if ra.After <= 0 {
			ra.After = time.Minute + rand.N(30*time.Second)
		}
		until = now.Add(ra.After)
	}
	if !until.IsZero() {
		n.holds.Hold(key, until)
	}
}
