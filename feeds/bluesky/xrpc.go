package bluesky

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"chancery/feeds"
)

// XRPC error names that mean the access token is no longer good.
var tokenErrors = []string{"ExpiredToken", "InvalidToken", "AuthenticationRequired", "AuthMissing"}

// request is one XRPC call (or, with a full path, one plain GET).
type request struct {
	base        string // server base URL, as kept in the session
	method      string // http.MethodGet (query) or http.MethodPost (procedure)
	nsid        string // method id; empty when path is set
	path        string // plain path (DID documents), instead of /xrpc/nsid
	params      url.Values
	body        []byte
	contentType string
	token       string // bearer token, if any
}

// query builds a GET of an XRPC query.
func query(nsid string, params url.Values) request {
	return request{method: http.MethodGet, nsid: nsid, params: params}
}

// procedure builds a POST of an XRPC procedure with a JSON input.
func procedure(nsid string, input any) (request, error) {
	r := request{method: http.MethodPost, nsid: nsid}
	if input == nil {
		return r, nil
	}
	body, err := json.Marshal(input)
	if err != nil {
		return r, fmt.Errorf("%s: encode input: %w", nsid, err)
	}
	r.body, r.contentType = body, "application/json"
	return r, nil
}

// name labels the request in errors.
func (r request) name() string {
	if r.nsid != "" {
		return r.nsid
	}
	return r.path
}

// do sends r and decodes the JSON response into out (when not nil). The
// server must be https, or http on a loopback host. Each call is bounded by
// the Network's timeout; what a failure means is feeds.Do's to say (see
// feeds.Classify).
func (n *Network) do(ctx context.Context, r request, out any) error {
	body, err := n.send(ctx, r)
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("%s: %w: %w", r.name(), feeds.ErrBadResponse, err)
	}
	return nil
}

func (n *Network) send(ctx context.Context, r request) ([]byte, error) {
	u, err := endpoint(r)
	if err != nil {
		return nil, err
	}
	callCtx, cancel := context.WithTimeout(ctx, n.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(callCtx, r.method, u, bytes.NewReader(r.body))
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %w", r.name(), feeds.ErrBadURL, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "Chancery")
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	body, _, err := feeds.Do(n.client, req, feeds.MaxBody)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r.name(), err)
	}
	return body, nil
}

// endpoint checks the server of r and returns the URL to call.
func endpoint(r request) (string, error) {
	base, err := feeds.ServerURL(r.base)
	if err != nil {
		return "", fmt.Errorf("%s: %w", r.name(), err)
	}
	if r.path != "" {
		base.Path += r.path
	} else {
		base.Path += "/xrpc/" + r.nsid
	}
	base.RawQuery = r.params.Encode()
	return base.String(), nil
}

// errorName returns the XRPC error name ("ExpiredToken", "RecordNotFound")
// of a refusal, or "" when err is not one.
func errorName(err error) string {
	var se *feeds.StatusError
	if errors.As(err, &se) {
		name, _, _ := strings.Cut(se.Message, ":")
		return strings.TrimSpace(name)
	}
	if errors.Is(err, feeds.ErrUnauthorized) {
		for _, name := range tokenErrors {
			if strings.Contains(err.Error(), name) {
				return name
			}
		}
	}
	return ""
}

// isAuthError reports whether err means the credentials used were refused:
// HTTP 401/403, or a 400 naming an expired or invalid token.
func isAuthError(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, feeds.ErrUnauthorized) {
		return true
	}
	name := errorName(err)
	for _, t := range tokenErrors {
		if name == t {
			return true
		}
	}
	return false
}

// isRefusal reports whether err is a 4xx refusal (other than auth) whose
// XRPC error name is one of names.
func isRefusal(err error, names ...string) bool {
	var se *feeds.StatusError
	if !errors.As(err, &se) {
		return false
	}
	name := errorName(err)
	for _, want := range names {
		if name == want {
			return true
		}
	}
	return len(names) == 0
}
