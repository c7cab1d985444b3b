package x

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"chancery/feeds"
	"chancery/translations"
)

// maxProblemBody caps what is read of an error body to find X's reason.
const maxProblemBody = 64 << 10

// Problem is X's explanation of a refused request (its problem JSON:
// title, detail, type), kept in front of the error feeds.Do classified, so
// that the user reads X's reason. A 403 is a refusal (a permission, a
// duplicate post), not an expired sign-in: it wraps feeds.ErrRejected.
type Problem struct {
	Status int
	Title  string
	Detail string
	Type   string
	err    error
}

func (p *Problem) Error() string {
	return fmt.Sprintf("%v (x: %s)", p.err, p.reason())
}

// Unwrap keeps the classified error in the chain.
func (p *Problem) Unwrap() error { return p.err }

func (p *Problem) reason() string { return cmp.Or(p.Detail, p.Title, p.Type) }

// Explain implements translations.Explainer: what X said, in a sentence
// that says what it means for the user.
func (p *Problem) Explain(l *translations.Localizer) string {
	switch {
	case p.Status == http.StatusUnauthorized:
		return l.T("x.error.unauthorized", "Reason", p.reason())
	case p.Status == http.StatusTooManyRequests:
		return l.T("x.error.rate_limited", "Reason", p.reason())
	}
	return l.T("x.error.refused", "Reason", p.reason())
}

// problemJSON is X's error body: RFC 7807 problem details.
type problemJSON struct {
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Type   string `json:"type"`
	Status int    `json:"status"`
	// The token endpoint answers OAuth errors instead.
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// slot receives the problem of one request from the transport.
type slot struct {
	status int
	body   problemJSON
	found  bool
}

type slotKey struct{}

// captureTransport reads X's problem JSON from error answers into the
// request's slot and hands the body on unchanged, so that feeds.Do still
// classifies the answer.
type captureTransport struct{ base http.RoundTripper }

func (t captureTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil || resp.StatusCode < 400 || resp.StatusCode >= 500 {
		return resp, err
	}
	s, _ := req.Context().Value(slotKey{}).(*slot)
	if s == nil {
		return resp, nil
	}
	b, rerr := io.ReadAll(io.LimitReader(resp.Body, maxProblemBody))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	if rerr == nil && json.Unmarshal(b, &s.body) == nil {
		s.status, s.found = resp.StatusCode, true
	}
	return resp, nil
}

// withProblemCapture returns a copy of c whose transport captures problems.
func withProblemCapture(c *http.Client) *http.Client {
	cc := *c
	base := cc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	cc.Transport = captureTransport{base: base}
	return &cc
}

// explain puts X's problem, if the transport captured one, in front of
// err, the classified failure of the request described by what.
func explain(s *slot, what string, err error) error {
	if err == nil || s == nil || !s.found {
		return err
	}
	b := s.body
	p := &Problem{
		Status: s.status, Title: b.Title, Detail: cmp.Or(b.Detail, b.Description), Type: cmp.Or(b.Type, b.Error), err: err,
	}
	if s.status == http.StatusForbidden {
		p.err = fmt.Errorf("%s: %w", what, &feeds.StatusError{Status: s.status, Message: p.reason()})
	}
	return p
}

// withSlot returns ctx carrying a fresh slot.
func withSlot(ctx context.Context) (context.Context, *slot) {
	s := &slot{}
	return context.WithValue(ctx, slotKey{}, s), s
}
