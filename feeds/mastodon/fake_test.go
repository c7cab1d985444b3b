package mastodon

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// testToken is the only token the fake server accepts.
const testToken = "tok-Zq8cWm3Vx1bY7kP4nR2s"

// recorded is one request the fake server received.
type recorded struct {
	Method, Path string
	Query        url.Values
	Header       http.Header
	Form         url.Values
	Files        map[string]string // multipart file field → content type
}

// fakeMastodon is an httptest server answering like a Mastodon server,
// with the documented shapes: statuses, notifications, instance, media,
// idempotent status creation, Link headers and rate-limit headers.
type fakeMastodon struct {
	t   *testing.T
	srv *httptest.Server

	mu         sync.Mutex
	requests   []recorded
	byKey      map[string]string // Idempotency-Key → status id
	created    int               // statuses
	uploads    int
	processing map[string]int // media id → 206 answers left
	remaining  int            // X-RateLimit-Remaining
	// hook, when set, may answer a request itself (returning true).
	hook func(w http.ResponseWriter, r *http.Request) bool
}

func newFake(t *testing.T) *fakeMastodon {
	t.Helper()
	f := &fakeMastodon{t: t, byKey: map[string]string{}, processing: map[string]int{}, remaining: 300}
	mux := http.NewServeMux()
	fixture := func(name string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { f.file(w, name) }
	}
	mux.HandleFunc("GET /api/v1/accounts/verify_credentials", fixture("verify_credentials.json"))
	mux.HandleFunc("GET /api/v2/instance", fixture("instance_v2.json"))
	mux.HandleFunc("GET /api/v1/timelines/home", f.home)
	mux.HandleFunc("GET /api/v1/notifications", f.notifications)
	mux.HandleFunc("GET /api/v1/accounts/{id}/statuses", f.simpleTimeline)
	mux.HandleFunc("GET /api/v1/timelines/tag/{tag}", f.simpleTimeline)
	mux.HandleFunc("GET /api/v1/timelines/list/{id}", f.simpleTimeline)
	mux.HandleFunc("GET /api/v2/search", f.search)
	mux.HandleFunc("GET /api/v1/statuses/{id}", f.getStatus)
	mux.HandleFunc("GET /api/v1/statuses/{id}/context", fixture("context.json"))
	mux.HandleFunc("POST /api/v1/statuses", f.createStatus)
	mux.HandleFunc("POST /api/v1/statuses/{id}/{verb}", f.act)
	mux.HandleFunc("POST /api/v2/media", f.uploadMedia)
	mux.HandleFunc("GET /api/v1/media/{id}", f.mediaStatus)
	mux.HandleFunc("POST /api/v1/apps", f.apps)
	mux.HandleFunc("POST /oauth/token", f.token)
	f.srv = httptest.NewServer(f.record(mux))
	t.Cleanup(f.srv.Close)
	return f
}

// public lists the paths that need no token.
var public = []string{"/api/v2/instance", "/api/v1/instance", "/api/v1/apps", "/oauth/token"}

func (f *fakeMastodon) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := recorded{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.Query(), Header: r.Header.Clone()}
		body, _ := io.ReadAll(r.Body)
		rec.Form, rec.Files = parseBody(r.Header.Get("Content-Type"), body)
		f.mu.Lock()
		f.requests = append(f.requests, rec)
		f.remaining = max(f.remaining-1, 0)
		remaining := f.remaining
		hook := f.hook
		f.mu.Unlock()
		h := w.Header()
		h.Set("X-RateLimit-Limit", "300")
		h.Set("X-RateLimit-Remaining", fmt.Sprint(remaining))
		h.Set("X-RateLimit-Reset", time.Now().Add(5*time.Minute).UTC().Format(time.RFC3339Nano))
		r.Body = io.NopCloser(bytes.NewReader(body))
		if hook != nil && hook(w, r) {
			return
		}
		isPublic := false
		for _, p := range public {
			isPublic = isPublic || r.URL.Path == p
		}
		if !isPublic && r.Header.Get("Authorization") != "Bearer "+testToken {
			writeJSON(w, http.StatusUnauthorized, `{"error": "The access token is invalid"}`)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func parseBody(ctype string, body []byte) (url.Values, map[string]string) {
	mt, params, _ := mime.ParseMediaType(ctype)
	switch mt {
	case "application/x-www-form-urlencoded":
		form, _ := url.ParseQuery(string(body))
		return form, nil
	case "multipart/form-data":
		form, files := url.Values{}, map[string]string{}
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				return form, files
			}
			data, _ := io.ReadAll(p)
			if p.FileName() != "" {
				files[p.FormName()] = p.Header.Get("Content-Type") + ";" + p.FileName() + ";" + fmt.Sprint(len(data))
			} else {
				form.Add(p.FormName(), string(data))
			}
		}
	}
	return nil, nil
}

func writeJSON(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_, _ = io.WriteString(w, body)
}

func (f *fakeMastodon) file(w http.ResponseWriter, name string) {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		f.t.Errorf("fixture: %v", err)
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, string(b))
}

// home serves the fixture as the first page, with a Link header whose next
// page is empty (the end of the timeline).
func (f *fakeMastodon) home(w http.ResponseWriter, r *http.Request) {
	base := f.srv.URL + "/api/v1/timelines/home"
	if r.URL.Query().Get("max_id") != "" {
		w.Header().Set("Link", fmt.Sprintf(`<%s?min_id=112999999999999990>; rel="prev"`, base))
		writeJSON(w, http.StatusOK, `[]`)
		return
	}
	w.Header().Set("Link", fmt.Sprintf(`<%s?limit=40&max_id=113000000000000001>; rel="next", <%s?limit=40&min_id=113000000000000003>; rel="prev"`, base, base))
	f.file(w, "home.json")
}

func (f *fakeMastodon) notifications(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Link", fmt.Sprintf(`<%s/api/v1/notifications?max_id=491>; rel="next"`, f.srv.URL))
	f.file(w, "notifications.json")
}

func (f *fakeMastodon) simpleTimeline(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, statusJSON("300", "Timeline "+r.URL.EscapedPath(), ""))
}

func (f *fakeMastodon) search(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, `{"accounts": [], "hashtags": [], "statuses": `+statusJSON("301", "found: "+r.URL.Query().Get("q"), "")+`}`)
}

func (f *fakeMastodon) getStatus(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, strings.Trim(statusJSON(r.PathValue("id"), "Third", "101"), "[]"))
}

// statusJSON is a one-status array.
func statusJSON(id, text, replyTo string) string {
	b, _ := json.Marshal([]map[string]any{{
		"id": id, "created_at": "2025-03-01T09:00:00.000Z", "content": "<p>" + text + "</p>",
		"in_reply_to_id": replyTo, "url": "https://social.example/@ambassade/" + id,
		"account": map[string]any{"id": "1", "username": "ambassade", "acct": "ambassade", "display_name": "Ambassade du Canada"},
	}})
	return string(b)
}

// createStatus implements Idempotency-Key as Mastodon does: a key seen
// before returns the status it created.
func (f *fakeMastodon) createStatus(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	if strings.TrimSpace(r.PostForm.Get("status")) == "" && len(r.PostForm["media_ids[]"]) == 0 {
		writeJSON(w, http.StatusUnprocessableEntity, `{"error": "Validation failed: Text can't be blank"}`)
		return
	}
	key := r.Header.Get("Idempotency-Key")
	f.mu.Lock()
	id, seen := f.byKey[key]
	if !seen || key == "" {
		f.created++
		id = fmt.Sprint(114000000000000000 + f.created)
		f.byKey[key] = id
	}
	f.mu.Unlock()
	writeJSON(w, http.StatusOK, strings.Trim(statusJSON(id, r.PostForm.Get("status"), r.PostForm.Get("in_reply_to_id")), "[]"))
}

func (f *fakeMastodon) act(w http.ResponseWriter, r *http.Request) {
	switch r.PathValue("verb") {
	case "reblog", "unreblog", "favourite", "unfavourite":
		writeJSON(w, http.StatusOK, strings.Trim(statusJSON(r.PathValue("id"), "acted", ""), "[]"))
	default:
		writeJSON(w, http.StatusNotFound, `{"error": "Record not found"}`)
	}
}

// uploadMedia answers 202 with a null url; GET /api/v1/media/:id then
// answers 206 twice before 200.
func (f *fakeMastodon) uploadMedia(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.uploads++
	id := fmt.Sprint(22348000 + f.uploads)
	f.processing[id] = 2
	f.mu.Unlock()
	_ = r.ParseMultipartForm(1 << 20)
	writeJSON(w, http.StatusAccepted, fmt.Sprintf(`{"id": %q, "type": "image", "url": null, "preview_url": "https://files.social.example/small/%s.png", "description": %q}`,
		id, id, r.FormValue("description")))
}

func (f *fakeMastodon) mediaStatus(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f.mu.Lock()
	left, ok := f.processing[id]
	if ok && left > 0 {
		f.processing[id] = left - 1
	}
	f.mu.Unlock()
	switch {
	case !ok:
		writeJSON(w, http.StatusNotFound, `{"error": "Record not found"}`)
	case left > 0:
		w.WriteHeader(http.StatusPartialContent)
	default:
		writeJSON(w, http.StatusOK, fmt.Sprintf(`{"id": %q, "type": "image", "url": "https://files.social.example/original/%s.png"}`, id, id))
	}
}

func (f *fakeMastodon) apps(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	if r.PostForm.Get("redirect_uris") == "" {
		writeJSON(w, http.StatusUnprocessableEntity, `{"error": "Validation failed: Redirect URI must be an absolute URI."}`)
		return
	}
	writeJSON(w, http.StatusOK, `{"id": "563419", "name": "Chancery", "scopes": ["read", "write"], "redirect_uris": [`+
		fmt.Sprintf("%q", r.PostForm.Get("redirect_uris"))+`], "client_id": "cid-TWhM", "client_secret": "csecret-ZEaFUFmF0umgBX1q", "client_secret_expires_at": 0}`)
}

func (f *fakeMastodon) token(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	switch {
	case r.PostForm.Get("client_secret") != "csecret-ZEaFUFmF0umgBX1q":
		writeJSON(w, http.StatusUnauthorized, `{"error": "invalid_client", "error_description": "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method."}`)
	case r.PostForm.Get("code") != "good-code" || r.PostForm.Get("code_verifier") == "":
		writeJSON(w, http.StatusBadRequest, `{"error": "invalid_grant", "error_description": "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."}`)
	default:
		writeJSON(w, http.StatusOK, fmt.Sprintf(`{"access_token": %q, "token_type": "Bearer", "scope": "read write", "created_at": 1573979017}`, testToken))
	}
}

// last returns the last request to path (method and path as "GET /x").
func (f *fakeMastodon) last(t *testing.T, route string) recorded {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.requests) - 1; i >= 0; i-- {
		if r := f.requests[i]; r.Method+" "+r.Path == route {
			return r
		}
	}
	t.Fatalf("no request %s among %d", route, len(f.requests))
	return recorded{}
}

// statuses returns how many statuses were created.
func (f *fakeMastodon) statuses() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.created
}

// count returns how many requests matched route.
func (f *fakeMastodon) count(route string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, r := range f.requests {
		if r.Method+" "+r.Path == route {
			n++
		}
	}
	return n
}

func (f *fakeMastodon) setHook(h func(w http.ResponseWriter, r *http.Request) bool) {
	f.mu.Lock()
	f.hook = h
	f.mu.Unlock()
}

// memSecrets and memState are in-memory stores.
type memSecrets struct{ m sync.Map }

func (s *memSecrets) Secret(id string) (string, error) {
	if v, ok := s.m.Load(id); ok {
		return v.(string), nil
	}
	return "", fmt.Errorf("secret %q: %w", id, accounts.ErrNoSecret)
}
func (s *memSecrets) SetSecret(id, v string) error { s.m.Store(id, v); return nil }
func (s *memSecrets) DeleteSecret(id string) error { s.m.Delete(id); return nil }

type memState struct{ m sync.Map }

func (s *memState) NetState(id, key string) ([]byte, error) {
	if v, ok := s.m.Load(id + "/" + key); ok {
		return v.([]byte), nil
	}
	return nil, nil
}

func (s *memState) SetNetState(id, key string, v []byte) error {
	s.m.Store(id+"/"+key, bytes.Clone(v))
	return nil
}

// setup returns the fake server, a client signed in to it as account
// "acct-1" (token stored, nothing cached) and that account.
func setup(t *testing.T, opts ...Option) (*fakeMastodon, *Network, accounts.Account, *memState) {
	t.Helper()
	f := newFake(t)
	secrets, state := &memSecrets{}, &memState{}
	_ = secrets.SetSecret("acct-1", testToken)
	n := New(secrets, state, append([]Option{WithHTTPClient(f.srv.Client())}, opts...)...)
	n.poll = 5 * time.Millisecond
	acct := accounts.Account{ID: "acct-1", Mission: "vienna", Network: accounts.Mastodon, Server: f.srv.URL}
	return f, n, acct, state
}

var (
	_ feeds.StateStore     = (*memState)(nil)
	_ accounts.SecretStore = (*memSecrets)(nil)
)
