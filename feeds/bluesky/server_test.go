package bluesky

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/accounts"
)

// The fake below plays an entryway (createSession, resolveHandle and the PLC
// directory, like bsky.social and plc.directory) and the account's own PDS,
// on two loopback servers. Its requests and answers follow the documented
// XRPC shapes, error bodies included: {"error":"ExpiredToken",...} with 400,
// AuthenticationRequired with 401, InvalidRequest/RecordNotFound with 400,
// and ratelimit-* headers.

const (
	testDID      = "did:plc:vienna2mission3test4abc"
	testHandle   = "vienna.bsky.social"
	testPassword = "abcd-efgh-ijkl-mnop"
	aliceDID     = "did:plc:alice5example6test7abcd"
	bobDID       = "did:plc:bob8example9test2abcdef"
)

// reply is a canned answer queued for one XRPC method.
type reply struct {
	status  int
	body    string
	headers map[string]string
}

type fakeServer struct {
	t     *testing.T
	entry *httptest.Server
	pds   *httptest.Server
	clock *testClock

	mu       sync.Mutex
	did      string
	password string
	ttl      time.Duration
	seq      int
	access   map[string]bool // valid access tokens
	expired  map[string]bool // access tokens the server calls expired
	refresh  map[string]bool // valid refresh tokens
	calls    map[string]int  // requests per "host nsid"
	queued   map[string][]reply
	handles  map[string]string // handle → DID, for resolveHandle
	records  map[string]json.RawMessage
	blobs    map[string]string // CID → MIME
	dupReply reply             // answer to a create on an existing key
	loseNext bool              // commit the next post, then answer 502
	webDoc   bool              // serve the account as did:web from the PDS
	lastQ    map[string]string // last query string per nsid
	stall    string            // nsid whose calls hang until the client gives up
	movedTo  *httptest.Server  // the account's new PDS, once it has moved
}

func newFakeServer(t *testing.T) *fakeServer {
	f := &fakeServer{
		t: t, clock: newTestClock(), did: testDID, password: testPassword, ttl: 2 * time.Hour,
		access: map[string]bool{}, expired: map[string]bool{}, refresh: map[string]bool{},
		calls: map[string]int{}, queued: map[string][]reply{}, records: map[string]json.RawMessage{},
		blobs: map[string]string{}, lastQ: map[string]string{},
		handles: map[string]string{testHandle: testDID, "alice.bsky.social": aliceDID, "bob.bsky.social": bobDID},
		// What the reference PDS answers today for a duplicate record key.
		dupReply: reply{status: 500, body: `{"error":"InternalServerError","message":"Internal Server Error"}`},
	}
	f.seedRecords()
	f.entry = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { f.serve(w, r, "entry") }))
	f.pds = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { f.serve(w, r, "pds") }))
	t.Cleanup(f.entry.Close)
	t.Cleanup(f.pds.Close)
	return f
}

// network returns a client pointed at the fake, with the fake's clock.
func (f *fakeServer) network(secrets *memSecrets, opts ...Option) *Network {
	all := append([]Option{
		WithEntryway(f.entry.URL), WithPLCDirectory(f.entry.URL), WithClock(f.clock.Now),
		WithHTTPClient(&http.Client{}), WithTimeout(5 * time.Second),
	}, opts...)
	return New(secrets, newMemState(), all...)
}

// queue makes the next call of nsid answer r.
func (f *fakeServer) queue(nsid string, r reply) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queued[nsid] = append(f.queued[nsid], r)
}

func (f *fakeServer) count(host, nsid string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[host+" "+nsid]
}

func (f *fakeServer) serve(w http.ResponseWriter, r *http.Request, host string) {
	f.mu.Lock()
	stall := f.stall != "" && r.URL.Path == "/xrpc/"+f.stall
	f.mu.Unlock()
	if stall {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if strings.HasPrefix(r.URL.Path, "/did:") && host == "entry" {
		f.plcDoc(w, strings.TrimPrefix(r.URL.Path, "/"))
		return
	}
	if r.URL.Path == "/.well-known/did.json" && host == "pds" && f.webDoc {
		writeJSON(w, 200, f.didDocument())
		return
	}
	nsid, ok := strings.CutPrefix(r.URL.Path, "/xrpc/")
	if !ok {
		xrpcError(w, 404, "NotFound", "no such path")
		return
	}
	f.calls[host+" "+nsid]++
	f.lastQ[nsid] = r.URL.RawQuery
	if q := f.queued[nsid]; len(q) > 0 {
		f.queued[nsid] = q[1:]
		for k, v := range q[0].headers {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(q[0].status)
		_, _ = io.WriteString(w, q[0].body)
		return
	}
	switch {
	case nsid == "com.atproto.server.createSession":
		f.createSession(w, r)
	case nsid == "com.atproto.identity.resolveHandle":
		f.resolveHandle(w, r)
	case nsid == "com.atproto.server.refreshSession":
		f.refreshSession(w, r)
	case host == "entry":
		xrpcError(w, 501, "MethodNotImplemented", "the entryway only handles sessions")
	default:
		if f.authorized(w, r) {
			f.data(w, r, nsid)
		}
	}
}

func (f *fakeServer) didDocument() map[string]any {
	id := f.did
	return map[string]any{
		"@context":    []string{"https://www.w3.org/ns/did/v1"},
		"id":          id,
		"alsoKnownAs": []string{"at://" + testHandle},
		"service": []map[string]string{
			{"id": "#atproto_labeler", "type": "AtprotoLabeler", "serviceEndpoint": "https://mod.example.net"},
			{"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": f.endpoint()},
		},
	}
}

// endpoint is the PDS the account's DID document names.
func (f *fakeServer) endpoint() string {
	if f.movedTo != nil {
		return f.movedTo.URL
	}
	return f.pds.URL
}

// moveAccount starts a second PDS and names it in the DID document, as
// when an account migrates.
func (f *fakeServer) moveAccount() *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { f.serve(w, r, "pds2") }))
	f.t.Cleanup(srv.Close)
	f.set(func(f *fakeServer) { f.movedTo = srv })
	return srv
}

func (f *fakeServer) plcDoc(w http.ResponseWriter, did string) {
	if did != f.did {
		w.WriteHeader(404)
		_, _ = io.WriteString(w, `{"message":"DID not registered: `+did+`"}`)
		return
	}
	writeJSON(w, 200, f.didDocument())
}

// issue makes a fresh token pair and returns the session output.
func (f *fakeServer) issue() map[string]any {
	f.seq++
	now := f.clock.Now()
	access := fakeJWT(f.did, f.seq, "com.atproto.appPass", now.Add(f.ttl))
	refresh := fakeJWT(f.did, f.seq, "com.atproto.refresh", now.Add(60*24*time.Hour))
	f.access[access], f.refresh[refresh] = true, true
	return map[string]any{
		"accessJwt": access, "refreshJwt": refresh, "handle": testHandle, "did": f.did,
		"didDoc": f.didDocument(), "active": true,
	}
}

func (f *fakeServer) createSession(w http.ResponseWriter, r *http.Request) {
	var in struct{ Identifier, Password string }
	if json.NewDecoder(r.Body).Decode(&in) != nil || in.Identifier == "" || in.Password == "" {
		xrpcError(w, 400, "InvalidRequest", "Input/identifier and password are required")
		return
	}
	known := in.Identifier == testHandle || in.Identifier == f.did
	if !known || in.Password != f.password {
		xrpcError(w, 401, "AuthenticationRequired", "Invalid identifier or password")
		return
	}
	writeJSON(w, 200, f.issue())
}

func (f *fakeServer) refreshSession(w http.ResponseWriter, r *http.Request) {
	token := bearer(r)
	if !f.refresh[token] {
		xrpcError(w, 400, "ExpiredToken", "Token has been revoked")
		return
	}
	delete(f.refresh, token) // refresh tokens are single use
	writeJSON(w, 200, f.issue())
}

func (f *fakeServer) resolveHandle(w http.ResponseWriter, r *http.Request) {
	did, ok := f.handles[strings.ToLower(r.URL.Query().Get("handle"))]
	if !ok {
		xrpcError(w, 400, "InvalidRequest", "Unable to resolve handle")
		return
	}
	writeJSON(w, 200, map[string]string{"did": did})
}

// authorized checks the bearer access token like a PDS.
func (f *fakeServer) authorized(w http.ResponseWriter, r *http.Request) bool {
	token := bearer(r)
	switch {
	case token == "":
		xrpcError(w, 401, "AuthenticationRequired", "Authentication Required")
	case f.expired[token]:
		xrpcError(w, 400, "ExpiredToken", "Token has expired")
	case !f.access[token]:
		xrpcError(w, 400, "InvalidToken", "Token could not be verified")
	default:
		return true
	}
	return false
}

// expireAll makes the server refuse every access token issued so far.
func (f *fakeServer) expireAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for t := range f.access {
		f.expired[t] = true
	}
}

// set changes the fake's state under its lock.
func (f *fakeServer) set(change func(f *fakeServer)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	change(f)
}

// isExpired reports whether the server refuses an access token as expired.
func (f *fakeServer) isExpired(token string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.expired[token]
}

// revokeRefresh makes the server refuse every refresh token issued so far.
func (f *fakeServer) revokeRefresh() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refresh = map[string]bool{}
}

func bearer(r *http.Request) string {
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return token
}

func fakeJWT(sub string, jti int, scope string, exp time.Time) string {
	enc := base64.RawURLEncoding
	head := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"at+jwt"}`))
	body := enc.EncodeToString(fmt.Appendf(nil, `{"scope":%q,"sub":%q,"iat":%d,"exp":%d,"jti":"%d"}`,
		scope, sub, exp.Add(-time.Hour).Unix(), exp.Unix(), jti))
	return head + "." + body + ".c2lnbmF0dXJl"
}

func xrpcError(w http.ResponseWriter, status int, name, msg string) {
	writeJSON(w, status, map[string]string{"error": name, "message": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("RateLimit-Limit", "3000")
	w.Header().Set("RateLimit-Remaining", "2999")
	w.Header().Set("RateLimit-Policy", "3000;w=300")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// testClock is a settable clock shared by the fake and the client.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock {
	return &testClock{t: time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// memSecrets is an in-memory accounts.SecretStore.
type memSecrets struct {
	mu sync.Mutex
	m  map[string]string
}

func newMemSecrets() *memSecrets { return &memSecrets{m: map[string]string{}} }

func (s *memSecrets) Secret(id string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[id]
	if !ok {
		return "", fmt.Errorf("%s: %w", id, accounts.ErrNoSecret)
	}
	return v, nil
}

func (s *memSecrets) SetSecret(id, v string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[id] = v
	return nil
}

func (s *memSecrets) DeleteSecret(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
	return nil
}

// memState is an in-memory feeds.StateStore.
type memState struct {
	mu sync.Mutex
	m  map[string][]byte
}

func newMemState() *memState { return &memState{m: map[string][]byte{}} }

func (s *memState) NetState(id, key string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[id+"/"+key], nil
}

func (s *memState) SetNetState(id, key string, v []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[id+"/"+key] = v
	return nil
}
