// Package xtest is a fake X API v2 server for tests, on 127.0.0.1, that
// follows X's documented shapes: responses with data, includes, meta and
// errors; problem JSON (title, detail, type, status) on errors; the
// x-rate-limit-limit, -remaining and -reset headers on every answer;
// pagination tokens; OAuth 2.0 with PKCE (an authorize endpoint that
// approves at once and redirects with the code, a token endpoint with the
// authorization_code and refresh_token grants, one-use refresh tokens);
// the chunked media upload (INIT, APPEND, FINALIZE, STATUS with
// processing_info states pending, in_progress, succeeded, failed) and media
// metadata. Like X, it has no idempotency key: every POST /2/tweets
// creates a post. Other packages' tests use it too.
package xtest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Identities of the fake server.
const (
	ClientID     = "Y2hhbmNlcnktY2xpZW50"
	ClientSecret = "secret-9f8e7d6c5b4a"
	UserID       = "1580661436132757506"
	Username     = "CanadaVienna"
	Name         = "Canada in Austria"
)

// Post is a post the server holds.
type Post struct {
	ID, Text, AuthorID, ReplyTo, Lang string
	MediaKeys                         []string
	Links                             []Link // the t.co links in Text
	Created                           time.Time
	Likes, Retweets                   int
}

// Link is a link X shortened in a post's text.
type Link struct {
	Short, Expanded, MediaKey string
}

// Media is an uploaded image.
type Media struct {
	ID, Type, Alt string
	Size, Got     int
	Finalized     bool
	State         string // pending, in_progress, succeeded, failed
	polls         int
}

type failure struct {
	status int
	body   map[string]any
	header http.Header
}

// Server is the fake X. Its zero value is not usable: see New.
type Server struct {
	URL string
	srv *httptest.Server
	m   *http.ServeMux

	mu        sync.Mutex
	now       func() time.Time
	nextID    int64
	posts     []Post // oldest first, the account's and others'
	users     map[string][2]string
	access    map[string]time.Time // access token → expiry
	refresh   map[string]bool      // refresh token → still usable
	codes     map[string]grant
	media     map[string]*Media
	fail      map[string][]failure // "METHOD /path" → next answers
	calls     map[string]int
	remaining int
	slowMedia int // STATUS polls before succeeded (0: no processing_info)
	failMedia bool
	confident bool // the client must authenticate with its secret
	audience  Audience
}

type grant struct{ challenge, redirect string }

// Option configures a Server.
type Option func(*Server)

// WithClock sets the server's clock.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithProcessing makes FINALIZE answer processing_info pending, then STATUS
// in_progress, for polls checks before succeeded (or failed, with fail).
func WithProcessing(polls int, fail bool) Option {
	return func(s *Server) { s.slowMedia, s.failMedia = polls, fail }
}

// WithConfidentialClient requires the client secret (HTTP Basic) at the
// token endpoint.
func WithConfidentialClient() Option { return func(s *Server) { s.confident = true } }

// New starts a fake X server, closed when t ends.
func New(t testing.TB, opts ...Option) *Server {
	s := &Server{
		now: time.Now, nextID: 1_860_000_000_000_000_000, users: map[string][2]string{UserID: {Username, Name}},
		access: map[string]time.Time{}, refresh: map[string]bool{}, codes: map[string]grant{},
		media: map[string]*Media{}, fail: map[string][]failure{}, calls: map[string]int{}, remaining: 900,
	}
	for _, o := range opts {
		o(s)
	}
	s.m = s.mux()
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// Handler is the server's handler, for putting it behind another server
// (a fault-injecting front) that tests point the client at.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serve) }

func (s *Server) mux() *http.ServeMux {
	m := http.NewServeMux()
	m.HandleFunc("GET /i/oauth2/authorize", s.authorize)
	m.HandleFunc("POST /2/oauth2/token", s.token)
	m.HandleFunc("GET /2/users/me", s.me)
	m.HandleFunc("GET /2/users/{id}/tweets", s.timeline(false))
	m.HandleFunc("GET /2/users/{id}/mentions", s.timeline(true))
	m.HandleFunc("POST /2/tweets", s.create)
	m.HandleFunc("DELETE /2/tweets/{id}", s.deletePost)
	m.HandleFunc("POST /2/users/{id}/{what}", s.interact)
	m.HandleFunc("DELETE /2/users/{id}/{what}/{tweet}", s.uninteract)
	m.HandleFunc("POST /2/media/upload", s.upload)
	m.HandleFunc("GET /2/media/upload", s.status)
	m.HandleFunc("POST /2/media/metadata", s.metadata)
	return m
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	key := r.Method + " " + r.URL.Path
	s.mu.Lock()
	s.calls[key]++
	if s.remaining > 0 {
		s.remaining--
	}
	h := w.Header()
	h.Set("x-rate-limit-limit", "900")
	h.Set("x-rate-limit-remaining", strconv.Itoa(s.remaining))
	h.Set("x-rate-limit-reset", strconv.FormatInt(s.now().Add(15*time.Minute).Unix(), 10))
	var f *failure
	if q := s.fail[key]; len(q) > 0 {
		f, s.fail[key] = &q[0], q[1:]
	}
	authorized := s.authorized(r)
	s.mu.Unlock()
	switch {
	case f != nil:
		for k, v := range f.header {
			h[k] = v
		}
		writeJSON(w, f.status, f.body)
	case !authorized && !strings.HasPrefix(r.URL.Path, "/i/") && r.URL.Path != "/2/oauth2/token":
		Problem(w, http.StatusUnauthorized, "Unauthorized", "Unauthorized", "about:blank")
	default:
		s.m.ServeHTTP(w, r)
	}
}

// authorized checks the bearer token; s.mu is held.
func (s *Server) authorized(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	exp, known := s.access[tok]
	return ok && known && s.now().Before(exp)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// Problem writes X's problem JSON.
func Problem(w http.ResponseWriter, status int, title, detail, typ string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"title": title, "detail": detail, "type": typ, "status": status})
}

// FailNext makes the next answer to "METHOD /path" status with body (X's
// problem JSON, or an OAuth error) and the given headers.
func (s *Server) FailNext(methodPath string, status int, body map[string]any, header http.Header) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail[methodPath] = append(s.fail[methodPath], failure{status: status, body: body, header: header})
}

// Calls returns how many requests "METHOD /path" received.
func (s *Server) Calls(methodPath string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[methodPath]
}

func (s *Server) newID() string {
	s.nextID += 1_000_003
	return strconv.FormatInt(s.nextID, 10)
}

// Secret returns a kept secret (the JSON of x.Tokens) with a fresh access
// token valid for life and a refresh token.
func (s *Server) Secret(life time.Duration) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	access, refresh := s.issue(life)
	b, _ := json.Marshal(map[string]any{
		"client_id": ClientID, "access_token": access, "refresh_token": refresh,
		"expires_at": s.now().Add(life).UTC().Format(time.RFC3339Nano),
	})
	return string(b)
}

// issue makes a token pair; s.mu is held.
func (s *Server) issue(life time.Duration) (access, refresh string) {
	access, refresh = "acc-"+s.newID(), "ref-"+s.newID()
	s.access[access] = s.now().Add(life)
	s.refresh[refresh] = true
	return access, refresh
}

// ExpireAccessTokens makes every access token expired (as two hours later).
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.access)
}

// Revoke withdraws every token: the grant is gone.
func (s *Server) Revoke() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.access)
	clear(s.refresh)
}

// authorize approves at once: it redirects to redirect_uri with a code and
// the state, as X does after the user's consent.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect := q.Get("redirect_uri")
	switch {
	case q.Get("client_id") != ClientID, q.Get("response_type") != "code", redirect == "":
		http.Error(w, "Something went wrong. You weren't able to give access to the App.", http.StatusBadRequest)
		return
	case q.Get("code_challenge_method") != "S256", q.Get("code_challenge") == "", q.Get("state") == "":
		http.Error(w, "Something went wrong. You weren't able to give access to the App.", http.StatusBadRequest)
		return
	case !strings.Contains(q.Get("scope"), "offline.access"):
		http.Error(w, "missing offline.access", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	code := "code-" + s.newID()
	s.codes[code] = grant{challenge: q.Get("code_challenge"), redirect: redirect}
	s.mu.Unlock()
	http.Redirect(w, r, fmt.Sprintf("%s?state=%s&code=%s", redirect, q.Get("state"), code), http.StatusFound)
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.PostForm.Get("client_id") != ClientID {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": "Missing valid authorization header"})
		return
	}
	if user, pass, ok := r.BasicAuth(); s.confident && (!ok || user != ClientID || pass != ClientSecret) {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "unauthorized_client", "error_description": "Missing valid authorization header"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f := r.PostForm
	switch f.Get("grant_type") {
	case "authorization_code":
		g, ok := s.codes[f.Get("code")]
		delete(s.codes, f.Get("code"))
		sum := sha256.Sum256([]byte(f.Get("code_verifier")))
		if !ok || g.redirect != f.Get("redirect_uri") || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": "Value passed for the authorization code was invalid."})
			return
		}
	case "refresh_token":
		if !s.refresh[f.Get("refresh_token")] {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": "Value passed for the token was invalid."})
			return
		}
		delete(s.refresh, f.Get("refresh_token")) // one use
	default:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type"})
		return
	}
	access, refresh := s.issue(2 * time.Hour)
	writeJSON(w, http.StatusOK, map[string]any{
		"token_type": "bearer", "expires_in": 7200, "access_token": access, "refresh_token": refresh,
		"scope": "tweet.read tweet.write users.read like.write media.write offline.access",
	})
}
