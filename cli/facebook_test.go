package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
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
	"chancery/feeds/facebook"
	"chancery/feeds/facebook/fbtest"
	"chancery/storage"
	"chancery/translations"
)

// fbEnv is a profile whose Facebook accounts talk to an fbtest Graph
// server, on the real clock shared with the server.
type fbEnv struct {
	t       *testing.T
	db      *storage.DB
	ws      *accounts.Workspace
	keyring *accounts.Keyring
	nets    feeds.Registry
	srv     *fbtest.Server
	dbPath  string

	mu  sync.Mutex
	now time.Time // the clock of the outbox, --at and the server
}

func (e *fbEnv) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *fbEnv) advance(d time.Duration) {
	e.mu.Lock()
	e.now = e.now.Add(d)
	e.mu.Unlock()
}

func newFBEnv(t *testing.T) *fbEnv {
	t.Helper()
	keyring.MockInit()
	e := &fbEnv{t: t, keyring: accounts.NewKeyring(), srv: fbtest.New(time.Now()), now: time.Now().UTC()}
	e.srv.UseClock(e.clock)
	t.Cleanup(e.srv.Close)
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
	e.nets = feeds.Registry{accounts.Facebook: facebook.New(secrets, facebook.WithClock(e.clock))}
	return e
}

func (e *fbEnv) run(stdin string, args ...string) (int, string, string) {
	e.t.Helper()
	var out, errOut bytes.Buffer
	pub := drafts.NetworkPublisher{Accounts: e.ws, Networks: e.nets}
	refresher := feeds.NewRefresher(e.nets, e.db, nil)
	refresher.OnAccountState = func(id string, s accounts.State) { _ = e.ws.SetState(id, s) }
	code := cli.Run(context.Background(), cli.Services{
		Workspace: e.ws, Timelines: e.db, Refresher: refresher,
		Networks: e.nets, Keyring: e.keyring, Loc: translations.New("en"),
		Drafts: drafts.NewService(e.db, e.clock), Outbox: drafts.NewOutbox(e.db, pub, e.clock), Publishing: pub,
		Now: e.clock, In: strings.NewReader(stdin), Out: &out, Err: &errOut,
	}, args)
	return code, out.String(), errOut.String()
}

func (e *fbEnv) ok(stdin string, args ...string) string {
	e.t.Helper()
	code, out, errOut := e.run(stdin, args...)
	if code != cli.ExitOK {
		e.t.Fatalf("%v: exit %d: %s", args, code, errOut)
	}
	return out
}

// addPage adds the fbtest Page to vienna with the user token.
func (e *fbEnv) addPage() string {
	e.t.Helper()
	return strings.TrimSpace(e.ok(fbtest.UserToken+"\n", "accounts", "add", "--mission", "vienna", "--network", "facebook",
		"--server", e.srv.URL, "--handle", fbtest.PageID, "--secret-stdin"))
}

func TestFacebookAccountsAddKeepsOnlyThePageToken(t *testing.T) {
	e := newFBEnv(t)
	id := e.addPage()
	secret, err := e.keyring.Secret(id)
	if err != nil || secret != fbtest.PageToken {
		t.Fatalf("keyring holds %q, %v; want the page token", secret, err)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(e.ok("", "accounts", "list", "--json")), &list); err != nil {
		t.Fatal(err)
	}
	var a map[string]any
	for _, l := range list {
		if l["id"] == id {
			a = l
		}
	}
	if a["network"] != "facebook" || a["handle"] != fbtest.PageID || a["server"] != e.srv.URL+"/"+facebook.DefaultVersion {
		t.Errorf("account %v", a)
	}
	raw, err := os.ReadFile(e.dbPath)
	if err != nil || bytes.Contains(raw, []byte(fbtest.PageToken)) || bytes.Contains(raw, []byte(fbtest.UserToken)) {
		t.Errorf("the profile database holds a token (or cannot be read: %v)", err)
	}
	code, _, errOut := e.run("EAAwrong\n", "accounts", "add", "--mission", "vienna", "--network", "facebook",
		"--server", e.srv.URL, "--handle", fbtest.PageID, "--secret-stdin")
	if code != cli.ExitFailure || !strings.Contains(errOut, "Sign in again") {
		t.Errorf("wrong token: exit %d, %q", code, errOut)
	}
}

func TestFacebookRefreshTimelineAndPost(t *testing.T) {
	e := newFBEnv(t)
	id := e.addPage()
	post := e.srv.AddPost("Visa : nouveaux horaires", e.clock().Add(-time.Hour))
	e.srv.AddComment(post, "201", "Jan de Vries", "Ook op zaterdag?", e.clock().Add(-time.Minute))
	e.ok("", "refresh", "--account", id)
	e.ok("", "refresh", "--account", id, "--kind", "mentions")
	var own, mentions []map[string]any
	_ = json.Unmarshal([]byte(e.ok("", "timeline", "--account", id, "--kind", "own", "--json")), &own)
	_ = json.Unmarshal([]byte(e.ok("", "timeline", "--account", id, "--kind", "mentions", "--json")), &mentions)
	if len(own) != 1 || own[0]["id"] != post || len(mentions) != 1 || mentions[0]["reply_to"] != post {
		t.Fatalf("own %v, mentions %v", own, mentions)
	}
	e.ok("Le consulat sera fermé lundi.", "post", "--account", id, "--lang", "fr", "--text-file", "-")
	posts := e.srv.Posts()
	if last := posts[len(posts)-1]; last.Message != "Le consulat sera fermé lundi." || !last.Published {
		t.Fatalf("server holds %+v", posts)
	}
}

func TestFacebookScheduledPostIsHandedToGraph(t *testing.T) {
	e := newFBEnv(t)
	id := e.addPage()
	at := e.clock().Add(3 * time.Hour).Truncate(time.Second)
	e.ok("Bonne fête nationale !", "post", "--account", id, "--lang", "fr", "--text-file", "-", "--at", at.Format(time.RFC3339))
	posts := e.srv.Posts()
	if len(posts) != 1 || posts[0].Published || !posts[0].Scheduled.Equal(at) {
		t.Fatalf("server holds %+v", posts)
	}
	var entries []map[string]any
	_ = json.Unmarshal([]byte(e.ok("", "outbox", "list", "--json")), &entries)
	if len(entries) != 1 || entries[0]["scheduled_id"] != posts[0].ID || entries[0]["where"] != "server" {
		t.Fatalf("outbox %v", entries)
	}
	// Facebook publishes it at its time, Chancery closed; the next flush
	// finds it among the Page's posts and marks it sent.
	e.advance(4 * time.Hour)
	e.ok("", "outbox", "flush")
	_ = json.Unmarshal([]byte(e.ok("", "outbox", "list", "--json")), &entries)
	if len(entries) != 1 || entries[0]["state"] != "sent" || entries[0]["remote_id"] != posts[0].ID {
		t.Fatalf("outbox after publication %v", entries)
	}
	if posts := e.srv.Posts(); len(posts) != 1 || !posts[0].Published {
		t.Fatalf("server holds %+v", posts)
	}
}

// Less than 10 minutes ahead, Facebook would refuse the time: Chancery
// keeps the post and says why.
func TestFacebookTooSoonStaysInTheOutbox(t *testing.T) {
	e := newFBEnv(t)
	id := e.addPage()
	at := e.clock().Add(8 * time.Minute)
	e.ok("Dans huit minutes.", "post", "--account", id, "--lang", "fr", "--text-file", "-", "--at", at.Format(time.RFC3339))
	if n := len(e.srv.Posts()); n != 0 {
		t.Fatalf("%d posts handed to Facebook", n)
	}
	var entries []map[string]any
	_ = json.Unmarshal([]byte(e.ok("", "outbox", "list", "--json")), &entries)
	reason, _ := entries[0]["local_reason"].(string)
	if len(entries) != 1 || entries[0]["where"] != "local" || entries[0]["state"] != "queued" || !strings.Contains(reason, "10 minutes to 75 days") {
		t.Fatalf("outbox %v", entries)
	}
	e.advance(9 * time.Minute)
	e.ok("", "outbox", "flush")
	if posts := e.srv.Posts(); len(posts) != 1 || posts[0].Message != "Dans huit minutes." || !posts[0].Published {
		t.Fatalf("server holds %+v", posts)
	}
}

func TestFacebookExpiredTokenSaysSignInAgain(t *testing.T) {
	e := newFBEnv(t)
	id := e.addPage()
	e.srv.Expire()
	code, _, errOut := e.run("", "refresh", "--account", id)
	if code != cli.ExitFailure || !strings.Contains(errOut, "Sign in again") {
		t.Fatalf("exit %d: %q", code, errOut)
	}
	acct, err := e.ws.Account(id)
	if err != nil || acct.State != accounts.StateNeedsSignIn {
		t.Errorf("state %q, %v", acct.State, err)
	}
}
