package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"chancery/accounts"
	"chancery/cli"
	"chancery/drafts"
	"chancery/feeds"
	"chancery/feeds/mastodon"
	"chancery/feeds/mastodon/mastodontest"
	"chancery/storage"
	"chancery/translations"
)

// deleteEnv is a profile whose Mastodon account lives on a mastodontest
// server.
type deleteEnv struct {
	t   *testing.T
	srv *mastodontest.Server
	db  *storage.DB
	kr  *accounts.Keyring
}

func newDeleteEnv(t *testing.T) *deleteEnv {
	keyring.MockInit()
	e := &deleteEnv{t: t, srv: mastodontest.New(time.Now().UTC()), kr: accounts.NewKeyring()}
	t.Cleanup(e.srv.Close)
	db, err := storage.Open(filepath.Join(t.TempDir(), "chancery.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	e.db = db
	return e
}

func (e *deleteEnv) run(stdin string, args ...string) (int, string, string) {
	e.t.Helper()
	secrets := accounts.NewSessionSecrets(e.kr)
	ws := accounts.NewWorkspace(e.db, secrets, nil)
	if _, err := ws.EnsureDefault(); err != nil {
		e.t.Fatal(err)
	}
	nets := feeds.Registry{accounts.Mastodon: mastodon.New(secrets, e.db)}
	pub := drafts.NetworkPublisher{Accounts: ws, Networks: nets}
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), cli.Services{
		Workspace: ws, Timelines: e.db, Refresher: feeds.NewRefresher(nets, e.db, nil),
		Networks: nets, Keyring: e.kr, Loc: translations.New("en"),
		Drafts: drafts.NewService(e.db, nil, drafts.WithLanguages(ws)), Outbox: drafts.NewOutbox(e.db, pub, nil), Publishing: pub,
		Posts: e.db, In: strings.NewReader(stdin), Out: &out, Err: &errOut,
	}, args)
	return code, out.String(), errOut.String()
}

func (e *deleteEnv) ok(stdin string, args ...string) string {
	e.t.Helper()
	code, out, errOut := e.run(stdin, args...)
	if code != cli.ExitOK {
		e.t.Fatalf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
	}
	return out
}

// ownIDs reads the cached own timeline of acct.
func (e *deleteEnv) ownIDs(acct string) []string {
	e.t.Helper()
	var posts []struct{ ID, Text string }
	out := e.ok("", "timeline", "--account", acct, "--kind", "own", "--json")
	if err := json.Unmarshal([]byte(out), &posts); err != nil {
		e.t.Fatalf("timeline --json: %v: %q", err, out)
	}
	ids := make([]string, len(posts))
	for i, p := range posts {
		ids[i] = p.ID
	}
	return ids
}

func TestDeleteCommand(t *testing.T) {
	e := newDeleteEnv(t)
	out := e.ok(mastodontest.Token, "accounts", "add", "--mission", "vienna", "--network", "mastodon",
		"--server", e.srv.URL, "--secret-stdin", "--json")
	var added []map[string]any
	if err := json.Unmarshal([]byte(out), &added); err != nil || len(added) != 1 {
		t.Fatalf("accounts add --json: %q", out)
	}
	acct := added[0]["id"].(string)
	e.ok("Le consulat sera fermé lundi.\n", "post", "--account", acct, "--lang", "fr", "--text-file", "-")
	e.ok("Visa office hours change.\n", "post", "--account", acct, "--lang", "en", "--text-file", "-")
	e.ok("", "outbox", "flush")
	e.ok("", "refresh", "--account", acct, "--kind", "own")
	ids := e.ownIDs(acct)
	if len(ids) != 2 || len(e.srv.Statuses()) != 2 {
		t.Fatalf("cached %v, server holds %d", ids, len(e.srv.Statuses()))
	}
	victim := ids[0]

	// No terminal to ask on and no --yes: a usage error, nothing deleted.
	if code, _, errOut := e.run("y\n", "delete", "--account", acct, victim); code != cli.ExitUsage || !strings.Contains(errOut, "delete --account") {
		t.Errorf("without --yes: exit %d, %q", code, errOut)
	}
	for _, args := range [][]string{
		{"delete", "--yes", victim},
		{"delete", "--account", acct, "--yes"},
		{"delete", "--account", acct, victim, "other", "--yes"},
	} {
		if code, _, _ := e.run("", args...); code != cli.ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, cli.ExitUsage)
		}
	}
	if len(e.srv.Statuses()) != 2 {
		t.Fatal("a refused command line deleted a post")
	}

	// --yes after the post id, as written in the usage.
	out = e.ok("", "delete", "--account", acct, victim, "--yes")
	if !strings.Contains(out, victim) || !strings.Contains(out, "deleted") {
		t.Errorf("stdout %q", out)
	}
	if st := e.srv.Statuses(); len(st) != 1 || st[0].ID == victim {
		t.Errorf("server holds %+v", st)
	}
	if got := e.ownIDs(acct); len(got) != 1 || got[0] != ids[1] {
		t.Errorf("cache holds %v after the delete", got)
	}
	// Again: the server's 404 means it is gone, which is what was asked.
	e.ok("", "delete", "--yes", "--account", acct, victim)

	if code, _, errOut := e.run("", "delete", "--account", "ghost", "1", "--yes"); code != cli.ExitFailure || errOut == "" {
		t.Errorf("unknown account: exit %d, %q", code, errOut)
	}
	// A refusal is a failure with the reason, and the cache keeps the post.
	e.srv.Close()
	if code, _, errOut := e.run("", "delete", "--account", acct, ids[1], "--yes"); code != cli.ExitFailure || !strings.Contains(errOut, "Error") {
		t.Errorf("server down: exit %d, %q", code, errOut)
	}
	if got := e.ownIDs(acct); len(got) != 1 {
		t.Errorf("a failed delete changed the cache: %v", got)
	}
}
