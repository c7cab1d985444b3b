package team_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/zalando/go-keyring"

	"chancery/accounts"
	"chancery/drafts"
	"chancery/feeds"
	"chancery/feeds/mastodon"
	"chancery/storage"
	"chancery/team"
	"chancery/team/pgtest"
)

var cluster *pgtest.Cluster

func TestMain(m *testing.M) {
	keyring.MockInit()
	os.Exit(pgtest.Main(m, &cluster))
}

// server is one test's database on the shared cluster, with the schema.
type server struct {
	t     *testing.T
	name  string
	mu    sync.Mutex // admin is one connection; the proxy asks it too
	admin *pgx.Conn
}

func newServer(t *testing.T) *server {
	t.Helper()
	pgtest.Need(t, cluster)
	name, admin := cluster.NewDatabase(t)
	if err := team.Migrate(context.Background(), admin); err != nil {
		t.Fatal(err)
	}
	return &server{t: t, name: name, admin: admin}
}

// member makes login a member of missions with the given roles and
// returns its DSN (password included, as a user would paste it).
func (s *server) member(login, role string, missions ...string) string {
	s.t.Helper()
	pw := cluster.Login(s.t, login, role)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range missions {
		if _, err := s.admin.Exec(context.Background(),
			"INSERT INTO chancery.members (login, mission) VALUES ($1, $2) ON CONFLICT DO NOTHING", login, m); err != nil {
			s.t.Fatal(err)
		}
	}
	return cluster.DSN(login, pw, s.name)
}

// as connects to the database directly as login, bypassing the client.
func (s *server) as(login string) *pgx.Conn {
	s.t.Helper()
	conn, err := pgx.Connect(context.Background(), cluster.DSN(login, "pw-"+login, s.name))
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

func (s *server) count(where string, args ...any) int {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var n int
	if err := s.admin.QueryRow(context.Background(), "SELECT count(*) FROM chancery.events WHERE "+where, args...).Scan(&n); err != nil {
		s.t.Fatal(err)
	}
	return n
}

// has is count > 0 for other goroutines (the proxy's): it never fails the
// test, and says false when the database cannot tell.
func (s *server) has(where string, args ...any) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n int
	err := s.admin.QueryRow(context.Background(), "SELECT count(*) FROM chancery.events WHERE "+where, args...).Scan(&n)
	return err == nil && n > 0
}

// network is a Mastodon-API server that counts the statuses posted and,
// like GoToSocial, ignores Idempotency-Key: only the count shows a second
// post.
type network struct {
	*httptest.Server
	mu    sync.Mutex
	posts []string
}

func newNetwork(t *testing.T) *network {
	n := &network{}
	n.Server = httptest.NewServer(http.HandlerFunc(n.serve))
	t.Cleanup(func() { n.Close() })
	return n
}

// stop takes the network down (connections refused); start brings it back
// on the same address.
func (n *network) stop() { n.Close() }

func (n *network) start(t *testing.T) {
	ln, err := net.Listen("tcp", n.Listener.Addr().String())
	if err != nil {
		t.Fatalf("listen again: %v", err)
	}
	n.Server = &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(n.serve)}}
	n.Start()
}

func (n *network) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/api/v1/statuses" {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error":"Record not found"}`)
		return
	}
	if r.Header.Get("Authorization") != "Bearer press-token" {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":"The access token is invalid"}`)
		return
	}
	n.mu.Lock()
	n.posts = append(n.posts, r.FormValue("language")+": "+r.FormValue("status"))
	id := len(n.posts)
	n.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"id": fmt.Sprint(id), "uri": fmt.Sprintf("%s/users/press/statuses/%d", n.URL, id),
		"url": fmt.Sprintf("%s/@press/%d", n.URL, id), "created_at": time.Now().UTC().Format(time.RFC3339),
		"content": "<p>" + r.FormValue("status") + "</p>", "language": r.FormValue("language"),
		"account": map[string]any{"id": "1", "username": "press", "acct": "press"},
	})
}

func (n *network) published() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.posts...)
}

// laptop is one profile: bbolt, workspace, the press account of Vienna on
// the network, drafts, outbox and the team service, wired as the app.
type laptop struct {
	t       *testing.T
	dir     string
	db      *storage.DB
	ws      *accounts.Workspace
	drafts  *drafts.Service
	outbox  *drafts.Outbox
	svc     *team.Service
	account string
}

func newLaptop(t *testing.T, net *network) *laptop {
	t.Helper()
	l := &laptop{t: t, dir: t.TempDir()}
	l.open()
	a, err := l.ws.AddAccount(context.Background(), accounts.Account{
		Mission: "vienna", Network: accounts.Mastodon, Server: net.URL, Handle: "@press@127.0.0.1",
	}, "press-token", nil)
	if err != nil {
		t.Fatal(err)
	}
	l.account = a.ID
	return l
}

// open opens (or opens again, after a kill) the laptop's profile.
func (l *laptop) open() {
	l.t.Helper()
	db, err := storage.Open(filepath.Join(l.dir, "chancery.db"), storage.Options{})
	if err != nil {
		l.t.Fatal(err)
	}
	l.t.Cleanup(func() { _ = db.Close() })
	l.db = db
	secrets := accounts.NewKeyring()
	l.ws = accounts.NewWorkspace(db, secrets, nil)
	if _, err := l.ws.EnsureDefault(); err != nil {
		l.t.Fatal(err)
	}
	pub := drafts.NetworkPublisher{Accounts: l.ws, Networks: feeds.Registry{accounts.Mastodon: mastodon.New(secrets, db)}}
	l.drafts = drafts.NewService(db, nil, drafts.WithLanguages(l.ws))
	l.outbox = drafts.NewOutbox(db, pub, nil)
	l.svc = team.New(team.Options{
		Store: db, Accounts: l.ws, Secrets: secrets, Planner: l.drafts, Outbox: db, Flusher: l.outbox,
	})
}

// restart closes the profile as a killed process leaves it and opens it.
func (l *laptop) restart() {
	l.t.Helper()
	_ = l.db.Close()
	l.open()
}

func (l *laptop) connect(dsn string) team.Config {
	l.t.Helper()
	cfg, err := l.svc.Connect(context.Background(), dsn, "", "")
	if err != nil {
		l.t.Fatal(err)
	}
	return cfg
}

// write saves a draft to the press account in English and French.
func (l *laptop) write(en, fr string) drafts.Draft {
	l.t.Helper()
	d, err := l.drafts.New([]string{l.account})
	if err != nil {
		l.t.Fatal(err)
	}
	d.SetText("en", en)
	d.SetText("fr", fr)
	if d, err = l.drafts.Save(d); err != nil {
		l.t.Fatal(err)
	}
	return d
}

func (l *laptop) sync() team.SyncResult {
	l.t.Helper()
	res, err := l.svc.Sync(context.Background())
	if err != nil {
		l.t.Fatalf("sync: %v", err)
	}
	return res
}

func (l *laptop) item(post string) team.Item {
	l.t.Helper()
	it, err := l.svc.Item(post)
	if err != nil {
		l.t.Fatal(err)
	}
	return it
}

func (l *laptop) must(err error) {
	l.t.Helper()
	if err != nil {
		l.t.Fatal(err)
	}
}

// refused returns the reasons (message ids) of the refused events queued.
func (l *laptop) refused() []string {
	l.t.Helper()
	q, err := l.svc.Queued()
	if err != nil {
		l.t.Fatal(err)
	}
	var out []string
	for _, e := range q {
		if e.Refused != "" {
			out = append(out, string(e.Kind)+":"+e.Refused)
		}
	}
	return out
}

func sqlstate(err error) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	if i := strings.LastIndex(s, "(SQLSTATE "); i >= 0 {
		return strings.TrimSuffix(s[i+len("(SQLSTATE "):], ")")
	}
	return s
}
