package cli_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"chancery/accounts"
	"chancery/cli"
	"chancery/feeds"
)

// statusServer is a Mastodon-like status API on 127.0.0.1 that can be taken
// down and brought back on the same address. Like Mastodon, it answers a
// repeated Idempotency-Key with the post it already created.
type statusServer struct {
	t    *testing.T
	addr string
	URL  string
	srv  *httptest.Server

	mu       sync.Mutex
	token    string
	mode     string            // "", "refuse" (422) or "drop" (create, then drop the connection)
	byKey    map[string]string // idempotency key -> post id
	created  []string          // texts, in creation order
	requests int
}

func newStatusServer(t *testing.T, token string) *statusServer {
	s := &statusServer{t: t, token: token, byKey: map[string]string{}}
	s.start("127.0.0.1:0")
	s.addr = s.srv.Listener.Addr().String()
	s.URL = "http://" + s.addr
	t.Cleanup(s.stop)
	return s
}

func (s *statusServer) start(addr string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		s.t.Fatalf("listen again on %s: %v", addr, err)
	}
	s.srv = &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(s.handle)}}
	s.srv.Start()
}

func (s *statusServer) stop() {
	if s.srv != nil {
		s.srv.Close()
		s.srv = nil
	}
}

func (s *statusServer) restart() { s.start(s.addr) }

func (s *statusServer) setMode(m string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mode = m
}

func (s *statusServer) posts() (created []string, requests int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.created...), s.requests
}

func (s *statusServer) handle(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	if r.Method != http.MethodPost || r.URL.Path != "/api/v1/statuses" {
		http.NotFound(w, r)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+s.token {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":"The access token is invalid"}`)
		return
	}
	if s.mode == "refuse" {
		w.WriteHeader(http.StatusUnprocessableEntity)
		fmt.Fprint(w, `{"error":"Validation failed: Text contains a forbidden word"}`)
		return
	}
	key := r.Header.Get("Idempotency-Key")
	id, seen := s.byKey[key]
	if !seen || key == "" {
		s.created = append(s.created, r.FormValue("status"))
		id = fmt.Sprint(len(s.created))
		s.byKey[key] = id
	}
	if s.mode == "drop" {
		// The post exists, but its answer is lost on the way.
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"id": id, "url": s.URL + "/@press/" + id})
}

// statusNet is a network registered as mastodon that signs in without
// asking the server and publishes to a statusServer with the account's
// secret as bearer token and the entry's key as Idempotency-Key.
type statusNet struct {
	secrets accounts.SecretStore
	client  *http.Client
}

var (
	_ feeds.Publisher = (*statusNet)(nil)
	_ feeds.SignIn    = (*statusNet)(nil)
)

func (n *statusNet) ID() accounts.Network { return accounts.Mastodon }

func (n *statusNet) Capabilities() feeds.Capabilities {
	return feeds.Capabilities{Kinds: []feeds.Kind{feeds.Home}, Post: true, MaxLength: 500}
}

func (n *statusNet) Fetch(context.Context, accounts.Account, feeds.Kind) ([]feeds.Post, error) {
	return nil, nil
}

func (n *statusNet) SignIn(_ context.Context, a accounts.Account, secret string) (accounts.Account, string, error) {
	a.Handle = "@press@" + strings.TrimPrefix(a.Server, "http://")
	return a, secret, nil
}

func (n *statusNet) Length(_ accounts.Account, text string) (int, int) {
	return len([]rune(text)), 500
}

func (n *statusNet) Publish(ctx context.Context, a accounts.Account, out feeds.Outgoing) (feeds.Published, error) {
	token, err := n.secrets.Secret(a.ID)
	if err != nil {
		return feeds.Published{}, err
	}
	form := url.Values{"status": {out.Text}, "language": {out.Lang}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.Server+"/api/v1/statuses", strings.NewReader(form.Encode()))
	if err != nil {
		return feeds.Published{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", out.IdempotencyKey)
	body, _, err := feeds.Do(n.client, req, 1<<20)
	if err != nil {
		return feeds.Published{}, err
	}
	var res struct{ ID, URL string }
	if err := json.Unmarshal(body, &res); err != nil {
		return feeds.Published{}, fmt.Errorf("%w: %w", feeds.ErrBadResponse, err)
	}
	return feeds.Published{RemoteID: res.ID, URL: res.URL}, nil
}

// newHTTPEnv is a pubEnv with a statusNet account, added through the CLI,
// on a running statusServer.
func newHTTPEnv(t *testing.T) (*pubEnv, *statusServer, string) {
	t.Helper()
	p := newPubEnv(t)
	p.nets[accounts.Mastodon] = &statusNet{
		secrets: accounts.NewSessionSecrets(p.keyring),
		client:  &http.Client{Transport: &http.Transport{}},
	}
	srv := newStatusServer(t, "tok-"+t.Name())
	out := p.ok("tok-"+t.Name()+"\n", "accounts", "add", "--mission", "vienna", "--network", "mastodon", "--server", srv.URL, "--secret-stdin")
	return p, srv, strings.TrimSpace(out)
}

func TestOutboxOfflineThenBack(t *testing.T) {
	p, srv, id := newHTTPEnv(t)
	const text = "The embassy is closed for the holiday."
	srv.stop()

	code, out, errOut := p.run(text+"\n", "post", "--account", id, "--text-file", "-")
	if code != cli.ExitOK || !strings.Contains(out, "Waiting") || !strings.Contains(out, text) {
		t.Fatalf("post while offline: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	list := p.outboxList()
	if len(list) != 1 || list[0]["state"] != "queued" || list[0]["remote_id"] != "" || list[0]["account"] != id {
		t.Fatalf("outbox while offline: %v", list)
	}
	entryID := list[0]["id"]

	code, _, errOut = p.run("", "outbox", "flush")
	if code != cli.ExitOK || !strings.Contains(errOut, "Outbox: 0 sent, 0 failed, 1 waiting.") ||
		!strings.Contains(errOut, "The network cannot be reached.") {
		t.Errorf("flush while offline: exit %d, stderr %q", code, errOut)
	}

	srv.restart()
	code, _, errOut = p.run("", "outbox", "flush")
	if code != cli.ExitOK || !strings.Contains(errOut, "Outbox: 1 sent, 0 failed, 0 waiting.") ||
		strings.Contains(errOut, "cannot be reached") {
		t.Errorf("flush when back: exit %d, stderr %q", code, errOut)
	}
	list = p.outboxList()
	if len(list) != 1 || list[0]["id"] != entryID || list[0]["state"] != "sent" || list[0]["remote_id"] != "1" ||
		list[0]["url"] != srv.URL+"/@press/1" {
		t.Errorf("outbox when back: %v", list)
	}
	code, _, errOut = p.run("", "outbox", "flush")
	if code != cli.ExitOK || !strings.Contains(errOut, "Outbox: 0 sent, 0 failed, 0 waiting.") {
		t.Errorf("flush again: exit %d, stderr %q", code, errOut)
	}
	created, requests := srv.posts()
	if len(created) != 1 || created[0] != text || requests != 1 {
		t.Errorf("server created %q in %d requests, want the post once in one request", created, requests)
	}
}

// When the post is created but its answer is lost, the outcome is unknown:
// the entry waits, marked uncertain, and the next flush does not send it
// again before the account's posts were checked (drafts.Outbox), so the
// server holds the post once.
func TestOutboxLostAnswerIsNotPostedTwice(t *testing.T) {
	p, srv, id := newHTTPEnv(t)
	srv.setMode("drop")
	code, out, errOut := p.run("Visa appointments open.", "post", "--account", id, "--text-file", "-")
	if code != cli.ExitOK {
		t.Fatalf("post: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if list := p.outboxList(); len(list) != 1 || list[0]["state"] != "queued" || list[0]["uncertain"] != true {
		t.Fatalf("outbox after a lost answer: %v", list)
	}
	srv.setMode("")
	code, _, errOut = p.run("", "outbox", "flush")
	if code != cli.ExitOK || !strings.Contains(errOut, "Outbox: 0 sent, 0 failed, 1 waiting.") {
		t.Errorf("flush: exit %d, stderr %q", code, errOut)
	}
	created, requests := srv.posts()
	if len(created) != 1 || requests != 1 {
		t.Errorf("server created %q in %d requests, want the post once from one request", created, requests)
	}
}

func TestOutboxRefused(t *testing.T) {
	p, srv, id := newHTTPEnv(t)
	srv.setMode("refuse")
	// Refused at once by post.
	code, out, errOut := p.run("Forbidden words.", "post", "--account", id, "--text-file", "-")
	if code != cli.ExitFailure || !strings.Contains(out, "Failed") || !strings.Contains(out, "Validation failed") ||
		!strings.Contains(errOut, "Error:") {
		t.Errorf("post refused: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	// Queued while the server is down, refused by a later flush.
	srv.stop()
	if code, _, errOut := p.run("More forbidden words.", "post", "--account", id, "--text-file", "-"); code != cli.ExitOK {
		t.Fatalf("post while offline: exit %d, stderr %q", code, errOut)
	}
	srv.restart()
	code, _, errOut = p.run("", "outbox", "flush")
	if code != cli.ExitFailure || !strings.Contains(errOut, "Outbox: 0 sent, 1 failed, 0 waiting.") {
		t.Errorf("flush refused: exit %d, stderr %q", code, errOut)
	}
	list := p.outboxList()
	if len(list) != 2 {
		t.Fatalf("outbox: %v", list)
	}
	for _, e := range list {
		reason, _ := e["error"].(string)
		if e["state"] != "failed" || e["remote_id"] != "" || !strings.Contains(reason, "422") ||
			!strings.Contains(reason, "Validation failed: Text contains a forbidden word") {
			t.Errorf("entry %v: want failed with the server's reason", e)
		}
	}
	// A failed entry is not sent again by a flush.
	_, before := srv.posts()
	code, _, errOut = p.run("", "outbox", "flush")
	if code != cli.ExitOK || !strings.Contains(errOut, "Outbox: 0 sent, 0 failed, 0 waiting.") {
		t.Errorf("flush after refusal: exit %d, stderr %q", code, errOut)
	}
	if created, after := srv.posts(); len(created) != 0 || after != before {
		t.Errorf("server created %q; %d requests after the refusals, want %d", created, after, before)
	}
	// The text list shows the translated state and the reason.
	text := p.ok("", "outbox", "list")
	if strings.Count(text, "Failed") != 2 || strings.Count(text, "Validation failed") != 2 {
		t.Errorf("outbox list:\n%s", text)
	}
}

// One unreachable server holds only its own accounts' posts: a post on
// another network (here the demo network, which needs no network at all)
// still goes out.
func TestOutboxUnreachableServerHoldsOnlyItsAccounts(t *testing.T) {
	p, srv, id := newHTTPEnv(t)
	srv.stop()
	if code, _, errOut := p.run("To the dead server.", "post", "--account", id, "--text-file", "-"); code != cli.ExitOK {
		t.Fatalf("post: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := p.run("To the demo network.", "post", "--account", "vienna-demo", "--text-file", "-"); code != cli.ExitOK {
		t.Fatalf("post: exit %d, stderr %q", code, errOut)
	}
	for _, e := range p.outboxList() {
		if e["account"] == "vienna-demo" && e["state"] != "sent" {
			t.Errorf("the demo post is %s because another account's server is down", e["state"])
		}
	}
}
