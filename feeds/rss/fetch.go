package rss

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"chancery/feeds"
)

// Request headers sent with every fetch.
const (
	userAgent = "Chancery feed reader"
	accept    = "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, " +
		"application/feed+json;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
	// maxRetryWait caps how long a Retry-After keeps a feed from being asked.
	maxRetryWait = 24 * time.Hour
)

// feedState is what is remembered of one feed of one account.
type feedState struct {
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	Moved        string    `json:"moved,omitempty"` // final address of an all-permanent redirect chain
	RetryAt      time.Time `json:"retry_at,omitzero"`
	// Seen holds the first-seen times of the feed's undated items, by id.
	Seen map[string]time.Time `json:"seen,omitempty"`
}

func stateKey(address string) string { return "feed:" + address }

// loadState reads a feed's state; a missing or unreadable record is empty.
func (n *Network) loadState(accountID, address string) feedState {
	var st feedState
	raw, err := n.state.NetState(accountID, stateKey(address))
	if err != nil || raw == nil || json.Unmarshal(raw, &st) != nil {
		return feedState{}
	}
	return st
}

// saveState writes a feed's state, best effort: a feed whose state cannot be
// kept is merely fetched in full next time.
func (n *Network) saveState(accountID, address string, st feedState) {
	raw, err := json.Marshal(st)
	if err == nil {
		_ = n.state.SetNetState(accountID, stateKey(address), raw)
	}
}

// fetchFeed fetches one feed of an account and returns its items as posts;
// nil posts and a nil error when the feed has not changed.
func (n *Network) fetchFeed(ctx context.Context, accountID, address string) ([]feeds.Post, error) {
	u, err := FeedURL(address)
	if err != nil {
		return nil, err
	}
	key := u.String()
	st := n.loadState(accountID, key)
	now := n.now()
	if wait := st.RetryAt.Sub(now); wait > 0 {
		return nil, fmt.Errorf("feed %s: %w", key, &feeds.RetryAfterError{Err: feeds.ErrRateLimited, After: wait})
	}
	target := key
	if st.Moved != "" {
		target = st.Moved
	}
	fctx, cancel := context.WithTimeout(ctx, n.timeout)
	defer cancel()
	resp, err := get(fctx, n.client, target, st)
	if err != nil && ctx.Err() == nil && fctx.Err() != nil {
		err = fmt.Errorf("timed out after %s: %w", n.timeout, err) // the feed's own time-out
	}
	err = refusedFeed(key, err)
	switch {
	case isNotModified(err):
		return nil, nil
	case err != nil:
		n.noteFailure(accountID, key, st, now, err)
		return nil, fmt.Errorf("feed %s: %w", key, err)
	}
	feed, err := parseFeed(resp.body, resp.header.Get("Content-Type"))
	if err != nil {
		return nil, fmt.Errorf("feed %s: %w", key, notAFeed(key, resp, err))
	}
	src := source{address: u, base: resp.final, title: feed.Title, lang: feed.Language}
	posts, seen := toPosts(src, feed.Items, st.Seen, now)
	n.saveState(accountID, key, resp.nextState(st, seen))
	return posts, nil
}

// noteFailure remembers until when a rate-limited or failing server asked
// not to be asked again, and forgets a permanent move whose new address
// refuses the request, so the address as configured is asked next time.
func (n *Network) noteFailure(accountID, address string, st feedState, now time.Time, err error) {
	var ra *feeds.RetryAfterError
	switch {
	case errors.As(err, &ra) && ra.After > 0:
		st.RetryAt = now.Add(min(ra.After, maxRetryWait))
	case st.Moved != "" && errors.Is(err, feeds.ErrRejected):
		st.Moved = ""
	default:
		return
	}
	n.saveState(accountID, address, st)
}

func isNotModified(err error) bool {
	var se *feeds.StatusError
	return errors.As(err, &se) && se.Status == http.StatusNotModified
}

// response is a feed body read over HTTP.
type response struct {
	body   []byte
	header http.Header
	final  *url.URL // the address the body came from, after redirects
	// permanent is set when the body came through redirects, all permanent.
	permanent bool
}

// nextState is st after this response: new validators, the permanent new
// address if any, no retry time, and the given first-seen times.
func (r response) nextState(st feedState, seen map[string]time.Time) feedState {
	st.ETag = r.header.Get("ETag")
	st.LastModified = r.header.Get("Last-Modified")
	if r.permanent {
		st.Moved = r.final.String()
	}
	st.RetryAt = time.Time{}
	st.Seen = seen
	return st
}

// get fetches target with the validators of st, through feeds.Do.
func get(ctx context.Context, client *http.Client, target string, st feedState) (response, error) {
	hops := &redirects{}
	req, err := http.NewRequestWithContext(context.WithValue(ctx, redirectsKey{}, hops), http.MethodGet, target, nil)
	if err != nil {
		return response{}, fmt.Errorf("%q: %w: %w", target, feeds.ErrBadURL, err)
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", accept)
	if st.ETag != "" {
		req.Header.Set("If-None-Match", st.ETag)
	}
	if st.LastModified != "" {
		req.Header.Set("If-Modified-Since", st.LastModified)
	}
	body, header, err := feeds.Do(client, req, feeds.MaxBody)
	if refused := hops.refusal(); refused != nil {
		return response{}, refused
	}
	if err != nil {
		return response{}, err
	}
	final, permanent := hops.outcome(req.URL)
	return response{body: body, header: header, final: final, permanent: permanent}, nil
}

// redirects records the redirects of one request, as CheckRedirect sees them.
type redirects struct {
	mu        sync.Mutex
	last      *url.URL
	temporary bool  // some hop was not 301 or 308
	refused   error // why a hop was not followed
}

type redirectsKey struct{}

func (r *redirects) follow(req *http.Request, via []*http.Request) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(via) >= MaxRedirects {
		r.refused = fmt.Errorf("%s: more than %d redirects: %w", via[0].URL.Redacted(), MaxRedirects, feeds.ErrBadResponse)
		return r.refused
	}
	if _, err := FeedURL(req.URL.String()); err != nil {
		r.refused = fmt.Errorf("%s: redirected: %w", via[0].URL.Redacted(), err)
		return r.refused
	}
	r.last = req.URL
	if code := req.Response.StatusCode; code != http.StatusMovedPermanently && code != http.StatusPermanentRedirect {
		r.temporary = true
	}
	return nil
}

func (r *redirects) refusal() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.refused
}

// outcome returns where the body came from and whether every hop that led
// there was permanent.
func (r *redirects) outcome(start *url.URL) (*url.URL, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.last == nil {
		return start, false
	}
	return r.last, !r.temporary
}

// withPolicy returns a copy of c that follows redirects by this package's
// rules: at most MaxRedirects, only to addresses FeedURL accepts.
func withPolicy(c *http.Client) *http.Client {
	if c == nil {
		c = &http.Client{}
	}
	cp := *c
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if hops, ok := req.Context().Value(redirectsKey{}).(*redirects); ok {
			return hops.follow(req, via)
		}
		return (&redirects{}).follow(req, via)
	}
	return &cp
}

// memState is a StateStore in memory, for a Network given none.
type memState struct {
	mu sync.Mutex
	m  map[string][]byte
}

func newMemState() *memState { return &memState{m: map[string][]byte{}} }

func (s *memState) NetState(accountID, key string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[accountID+"\x00"+key], nil
}

func (s *memState) SetNetState(accountID, key string, value []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if value == nil {
		delete(s.m, accountID+"\x00"+key)
	} else {
		s.m[accountID+"\x00"+key] = value
	}
	return nil
}
