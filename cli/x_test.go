package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"chancery/accounts"
	"chancery/cli"
	"chancery/drafts"
	"chancery/feeds"
	"chancery/feeds/x"
	"chancery/feeds/x/xtest"
	"chancery/storage"
	"chancery/translations"
)

// xEnv is a profile whose X accounts talk to an xtest server.
type xEnv struct {
	t       *testing.T
	db      *storage.DB
	ws      *accounts.Workspace
	keyring *accounts.Keyring
	nets    feeds.Registry
	srv     *xtest.Server
	dbPath  string
}

func newXEnv(t *testing.T) *xEnv {
	t.Helper()
	keyring.MockInit()
	e := &xEnv{t: t, keyring: accounts.NewKeyring(), srv: xtest.New(t)}
	e.dbPath = filepath.Join(t.TempDir(), "chancery.db")
	db, err := storage.Open(e.dbPath, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	e.db = db
	secrets := accounts.NewSessionSecrets(e.keyring)
	e.ws = accounts.NewWorkspace(db, secrets, nil)
	if _, err := e.ws.EnsureDefault(); err != nil {
		t.Fatal(err)
	}
	e.nets = feeds.Registry{accounts.X: x.New(secrets, db)}
	return e
}

// browserErr is standard error as a user reads it: each address printed
// there is opened, as a browser would, following X's redirect back to
// Chancery's loopback address.
type browserErr struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *browserErr) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, line := range strings.Split(string(p), "\n") {
		if strings.HasPrefix(line, "http") {
			go func() {
				if resp, err := http.Get(line); err == nil {
					resp.Body.Close()
				}
			}()
		}
	}
	return b.buf.Write(p)
}

func (b *browserErr) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (e *xEnv) run(stdin string, args ...string) (int, string, string) {
	e.t.Helper()
	var out bytes.Buffer
	errOut := &browserErr{}
	pub := drafts.NetworkPublisher{Accounts: e.ws, Networks: e.nets}
	refresher := feeds.NewRefresher(e.nets, e.db, nil)
	refresher.OnAccountState = func(id string, s accounts.State) { _ = e.ws.SetState(id, s) }
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	code := cli.Run(ctx, cli.Services{
		Workspace: e.ws, Timelines: e.db, Refresher: refresher,
		Networks: e.nets, Keyring: e.keyring, Loc: translations.New("en"),
		Drafts: drafts.NewService(e.db, nil, drafts.WithLanguages(e.ws)), Outbox: drafts.NewOutbox(e.db, pub, nil), Publishing: pub,
		In: strings.NewReader(stdin), Out: &out, Err: errOut,
	}, args)
	return code, out.String(), errOut.String()
}

func (e *xEnv) ok(stdin string, args ...string) string {
	e.t.Helper()
	code, out, errOut := e.run(stdin, args...)
	if code != cli.ExitOK {
		e.t.Fatalf("%v: exit %d: %s", args, code, errOut)
	}
	return out
}

// addX adds the xtest account to vienna through the browser sign-in.
func (e *xEnv) addX() string {
	e.t.Helper()
	return strings.TrimSpace(e.ok(xtest.ClientID+"\n", "accounts", "add", "--mission", "vienna", "--network", "x",
		"--server", e.srv.URL, "--secret-stdin"))
}

func (e *xEnv) listed(id string) map[string]any {
	e.t.Helper()
	var list []map[string]any
	if err := json.Unmarshal([]byte(e.ok("", "accounts", "list", "--json")), &list); err != nil {
		e.t.Fatal(err)
	}
	for _, a := range list {
		if a["id"] == id {
			return a
		}
	}
	e.t.Fatalf("%s not listed", id)
	return nil
}

func TestXAccountsAddSignsInThroughTheBrowser(t *testing.T) {
	e := newXEnv(t)
	id := e.addX()
	a := e.listed(id)
	usage, _ := a["usage"].(map[string]any)
	if a["network"] != "x" || a["handle"] != "@"+xtest.Username || usage == nil || usage["budget_reached"] != false {
		t.Fatalf("account %v", a)
	}
	secret, err := e.keyring.Secret(id)
	tok, perr := x.ParseTokens(secret)
	if err != nil || perr != nil || tok.RefreshToken == "" || tok.ClientID != xtest.ClientID {
		t.Fatalf("keyring holds %+v (%v, %v)", tok, err, perr)
	}
	if dump, _ := json.Marshal(a); strings.Contains(string(dump), tok.AccessToken) {
		t.Error("the token shows in accounts list")
	}
	// After reading, publishing and a refreshed token, neither the old nor
	// the new tokens are anywhere in the profile's database.
	e.srv.AddPost("Visa office: new hours", time.Now())
	e.ok("", "refresh", "--account", id)
	e.ok("Bonjour.", "post", "--account", id, "--lang", "fr", "--text-file", "-")
	e.srv.ExpireAccessTokens()
	e.ok("", "refresh", "--account", id)
	secret2, _ := e.keyring.Secret(id)
	tok2, _ := x.ParseTokens(secret2)
	if tok2.AccessToken == tok.AccessToken {
		t.Fatal("the token was not refreshed")
	}
	raw, err := os.ReadFile(e.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, sec := range []string{tok.AccessToken, tok.RefreshToken, tok2.AccessToken, tok2.RefreshToken} {
		if bytes.Contains(raw, []byte(sec)) {
			t.Errorf("the database holds a token")
		}
	}
}

func TestXRefreshTimelinePostAndReply(t *testing.T) {
	e := newXEnv(t)
	id := e.addX()
	e.srv.AddPost("Visa office: new hours", time.Now().Add(-2*time.Hour))
	mention := e.srv.AddMention("jan_dv", "Jan de Vries", "ook op zaterdag?", "", time.Now().Add(-time.Hour))
	e.ok("", "refresh", "--account", id)
	e.ok("", "refresh", "--account", id, "--kind", "mentions")
	var own, mentions []map[string]any
	_ = json.Unmarshal([]byte(e.ok("", "timeline", "--account", id, "--kind", "own", "--json")), &own)
	_ = json.Unmarshal([]byte(e.ok("", "timeline", "--account", id, "--kind", "mentions", "--json")), &mentions)
	if len(own) != 1 || len(mentions) != 1 || mentions[0]["id"] != mention || mentions[0]["author"] != "Jan de Vries" {
		t.Fatalf("own %v, mentions %v", own, mentions)
	}
	e.ok("Le consulat sera fermé lundi.", "post", "--account", id, "--lang", "fr", "--text-file", "-")
	posts := e.srv.Posts()
	if last := posts[len(posts)-1]; last.Text != "Le consulat sera fermé lundi." {
		t.Fatalf("server holds %+v", posts)
	}
	// A language the mission does not publish in is not sent to X (the
	// languages check of drafts, as on every network).
	code, _, _ := e.run("こんにちは", "post", "--account", id, "--lang", "ja", "--text-file", "-")
	if code == cli.ExitOK || len(e.srv.Posts()) != len(posts) {
		t.Errorf("a Japanese post went to Vienna's X account: exit %d", code)
	}
}

func TestXBudgetStopsReadingFromTheCommandLine(t *testing.T) {
	e := newXEnv(t)
	id := e.addX()
	for i := range 5 {
		e.srv.AddPost("post "+strings.Repeat("!", i), time.Now().Add(-time.Hour))
	}
	out := e.ok("", "accounts", "budget", id, "--monthly", "0.02")
	if !strings.Contains(out, "US$0.02") || !strings.Contains(out, "estimates") {
		t.Errorf("budget output %q", out)
	}
	e.ok("", "refresh", "--account", id) // 5 posts and a user: about $0.045
	code, _, errOut := e.run("", "refresh", "--account", id)
	if code != cli.ExitFailure || !strings.Contains(errOut, "Reading stopped") {
		t.Fatalf("over budget: exit %d, %q", code, errOut)
	}
	usage, _ := e.listed(id)["usage"].(map[string]any)
	if usage["budget_reached"] != true || usage["monthly_budget_usd"] != 0.02 || usage["read_calls"].(float64) < 2 {
		t.Errorf("usage %v", usage)
	}
	e.ok("Toujours publié.", "post", "--account", id, "--lang", "fr", "--text-file", "-")
	var j []map[string]any
	_ = json.Unmarshal([]byte(e.ok("", "accounts", "budget", id, "--monthly", "0", "--json")), &j)
	if len(j) != 1 || j[0]["usage"].(map[string]any)["budget_reached"] != false {
		t.Errorf("budget removed: %v", j)
	}
	if code, _, _ := e.run("", "accounts", "budget", id, "--monthly", "lots"); code != cli.ExitUsage {
		t.Errorf("bad amount: exit %d", code)
	}
	if code, _, _ := e.run("", "accounts", "budget"); code != cli.ExitUsage {
		t.Errorf("no account: exit %d", code)
	}
}

func TestXRevokedSignInSaysSignInAgain(t *testing.T) {
	e := newXEnv(t)
	id := e.addX()
	e.srv.Revoke()
	code, _, errOut := e.run("", "refresh", "--account", id)
	if code != cli.ExitFailure || !strings.Contains(errOut, "Sign in again") {
		t.Fatalf("exit %d: %q", code, errOut)
	}
	if acct, err := e.ws.Account(id); err != nil || acct.State != accounts.StateNeedsSignIn {
		t.Errorf("state %q, %v", acct.State, err)
	}
}
