package feeds

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// APIRequest is one call to a network's JSON web API, built the same way
// for every network.
type APIRequest struct {
	Method string
	Base   *url.URL // the API's base address
	// Path are the segments after Base, each escaped; an empty, "." or
	// ".." segment is refused (ErrRejected), so an id from outside can
	// never climb out of the path it is put in.
	Path  []string
	Query url.Values
	Body  []byte
	Type  string // Content-Type of Body
	Token string // bearer token, if any
}

// Build returns the request under ctx; network names it in errors. A
// request other than GET is never replayed by net/http on its own (after a
// reused connection closed before the answer): a write goes out again only
// through the outbox, after it looked for the post.
func (r APIRequest) Build(ctx context.Context, network string) (*http.Request, error) {
	segs := make([]string, len(r.Path))
	for i, p := range r.Path {
		if p == "" || p == "." || p == ".." {
			return nil, fmt.Errorf("%s: bad path segment %q: %w", network, p, ErrRejected)
		}
		segs[i] = url.PathEscape(p)
	}
	u := r.Base.JoinPath(segs...)
	u.RawQuery = r.Query.Encode()
	var rd io.Reader
	if r.Body != nil {
		rd = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, u.String(), rd)
	if err != nil {
		return nil, fmt.Errorf("%s: request: %w", network, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "Chancery")
	if r.Type != "" {
		req.Header.Set("Content-Type", r.Type)
	}
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	if r.Method != http.MethodGet {
		req.GetBody = nil
	}
	return req, nil
}
