package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"chancery/accounts"
	"chancery/cli"
	"chancery/drafts"
	"chancery/feeds"
	"chancery/feeds/demo"
	"chancery/storage"
	"chancery/translations"
)

// env is a profile with the default workspace, go-keyring's mock keyring
// (this package never runs the real-keyring test), a token server and the
// fake network that talks to it.
type env struct {
	t       *testing.T
	dir     string
	db      *storage.DB
	ws      *accounts.Workspace
	keyring *accounts.Keyring
	server  *tokenServer
	nets    feeds.Registry
	feed    *fakeFeed
	lang    string
}

func newEnv(t *testing.T, marker string) *env {
	t.Helper()
	keyring.MockInit()
	e := &env{t: t, dir: t.TempDir(), lang: "en", keyring: accounts.NewKeyring()}
	db, err := storage.Open(filepath.Join(e.dir, "chancery.db"), storage.Options{})
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
	e.server = newTokenServer(t, marker)
	e.feed = &fakeFeed{}
	e.nets = feeds.Registry{
		accounts.Mastodon: &fakeNet{secrets: secrets, client: &http.Client{}},
		accounts.RSS:      e.feed,
		accounts.Demo:     demo.New(),
	}
	return e
}

// run runs one command line with stdin, as the binary would.
func (e *env) run(stdin string, args ...string) (code int, stdout, stderr string) {
	e.t.Helper()
	var out, errOut bytes.Buffer
	pub := drafts.NetworkPublisher{Accounts: e.ws, Networks: e.nets}
	code = cli.Run(context.Background(), cli.Services{
		Workspace: e.ws, Timelines: e.db, Refresher: feeds.NewRefresher(e.nets, e.db, nil),
		Networks: e.nets, Keyring: e.keyring, Loc: translations.New(e.lang),
		Drafts: drafts.NewService(e.db, nil), Outbox: drafts.NewOutbox(e.db, pub, nil), Publishing: pub,
		In: strings.NewReader(stdin), Out: &out, Err: &errOut,
	}, args)
	return code, out.String(), errOut.String()
}

// add runs "accounts add" for a mastodon account on the token server.
func (e *env) add(mission, stdin string, extra ...string) (int, string, string) {
	args := append([]string{
		"accounts", "add", "--mission", mission, "--network", "mastodon",
		"--server", e.server.URL, "--secret-stdin",
	}, extra...)
	return e.run(stdin, args...)
}

func (e *env) accountCount() int {
	e.t.Helper()
	as, err := e.ws.Accounts()
	if err != nil {
		e.t.Fatal(err)
	}
	return len(as)
}

var idRE = regexp.MustCompile(`^vienna-mastodon-[a-z2-7]{6}\n$`)

func TestAccountsAddVerifiesAndKeepsSecretInKeyring(t *testing.T) {
	e := newEnv(t, "")
	e.server.allow("tok-vienna", "press")
	code, out, errOut := e.add("vienna", "tok-vienna\n", "--handle", "press")
	if code != cli.ExitOK || !idRE.MatchString(out) {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	id := strings.TrimSpace(out)
	if got, err := keyring.Get(accounts.KeyringService, id); err != nil || got != "tok-vienna" {
		t.Errorf("keyring holds %q, %v (the trailing newline must be trimmed)", got, err)
	}
	a, err := e.ws.Account(id)
	if err != nil || a.Handle != "@press@"+strings.TrimPrefix(e.server.URL, "http://") || a.Mission != "vienna" {
		t.Errorf("stored %+v, %v", a, err)
	}
	// CRLF from a Windows pipe is trimmed too.
	e.server.allow("tok-crlf", "crlf")
	if code, out, _ := e.add("vienna", "tok-crlf\r\n"); code != cli.ExitOK {
		t.Errorf("CRLF secret: exit %d", code)
	} else if got, _ := keyring.Get(accounts.KeyringService, strings.TrimSpace(out)); got != "tok-crlf" {
		t.Errorf("CRLF secret stored as %q", got)
	}
}

func TestAccountsAddJSON(t *testing.T) {
	e := newEnv(t, "")
	e.server.allow("tok", "press")
	code, out, errOut := e.add("vienna", "tok", "--json")
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got []map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != 1 {
		t.Fatalf("stdout %q: %v", out, err)
	}
	a := got[0]
	for _, k := range []string{"id", "mission", "network", "server", "handle", "demo", "state"} {
		if _, ok := a[k]; !ok {
			t.Errorf("field %q missing in %v", k, a)
		}
	}
	if a["mission"] != "vienna" || a["network"] != "mastodon" || a["demo"] != false || a["state"] != "ok" {
		t.Errorf("account %v", a)
	}
}

func TestAccountsAddFailures(t *testing.T) {
	e := newEnv(t, "")
	e.server.allow("right", "press")
	before := e.accountCount()

	code, _, errOut := e.add("vienna", "wrong-Yx7\n")
	if code != cli.ExitFailure || !strings.Contains(errOut, "The account was not added") ||
		!strings.Contains(errOut, "did not accept these credentials") {
		t.Errorf("wrong password: exit %d, stderr %q", code, errOut)
	}
	if strings.Contains(errOut, "wrong-Yx7") {
		t.Errorf("stderr shows the secret: %q", errOut)
	}

	down := newTokenServer(t, "")
	down.Close()
	code, _, errOut = e.run("right", "accounts", "add", "--mission", "vienna", "--network", "mastodon", "--server", down.URL, "--secret-stdin")
	if code != cli.ExitFailure || !strings.Contains(errOut, "cannot be reached") {
		t.Errorf("server down: exit %d, stderr %q", code, errOut)
	}

	code, _, errOut = e.add("vienna", "")
	if code != cli.ExitFailure || !strings.Contains(errOut, "No token or password") {
		t.Errorf("empty stdin: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = e.add("atlantis", "right")
	if code != cli.ExitFailure || !strings.Contains(errOut, "no mission") {
		t.Errorf("unknown mission: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = e.run("", "accounts", "add", "--mission", "vienna", "--network", "bluesky", "--server", "https://bsky.social")
	if code != cli.ExitFailure || !strings.Contains(errOut, "cannot connect to that network") {
		t.Errorf("network without a client: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = e.run("", "accounts", "add", "--mission", "vienna", "--network", "myspace", "--server", "https://x")
	if code != cli.ExitFailure || !strings.Contains(errOut, "network is not known") {
		t.Errorf("unknown network: exit %d, stderr %q", code, errOut)
	}
	if n := e.accountCount(); n != before {
		t.Errorf("%d accounts after failures, want %d", n, before)
	}
}

func TestAccountsAddKeyringUnavailable(t *testing.T) {
	e := newEnv(t, "")
	e.server.allow("right", "press")
	keyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	code, _, errOut := e.add("vienna", "right")
	if code != cli.ExitFailure || !strings.Contains(errOut, "system keyring is not available") ||
		!strings.Contains(errOut, "GNOME Keyring") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	if n := e.server.requestCount(); n != 0 {
		t.Errorf("the server was asked %d times although the secret could not be kept", n)
	}
	if n := e.accountCount(); n != 5 {
		t.Errorf("%d accounts", n)
	}
}

func TestAccountsAddTranslated(t *testing.T) {
	e := newEnv(t, "")
	e.lang = "fr"
	code, _, errOut := e.add("vienna", "faux")
	if code != cli.ExitFailure || !strings.Contains(errOut, "Le compte n'a pas été ajouté") ||
		!strings.Contains(errOut, "n'a pas accepté ces identifiants") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestAccountsAddDemoNeedsNoSecret(t *testing.T) {
	e := newEnv(t, "")
	code, out, errOut := e.run("", "accounts", "add", "--mission", "beijing", "--network", "demo", "--server", "demo")
	if code != cli.ExitOK || !strings.HasPrefix(out, "beijing-demo-") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestAccountsAddFeedIsCheckedWithoutSecret(t *testing.T) {
	e := newEnv(t, "")
	code, out, errOut := e.run("", "accounts", "add", "--mission", "the-hague", "--network", "rss", "--server", "https://example.org/feed.xml")
	if code != cli.ExitOK || !strings.HasPrefix(out, "the-hague-rss-") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if len(e.feed.secrets) != 1 || e.feed.secrets[0] != "" {
		t.Errorf("SignIn calls %q, want one without a secret", e.feed.secrets)
	}
	// A feed takes no secret, so it can be removed while the keyring is down.
	keyring.MockInitWithError(errors.New("failed to unlock correct collection"))
	if code, _, errOut := e.run("", "accounts", "remove", strings.TrimSpace(out)); code != cli.ExitOK {
		t.Errorf("remove a feed with the keyring down: exit %d, stderr %q", code, errOut)
	}
}

func TestAccountsUsage(t *testing.T) {
	e := newEnv(t, "")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no mission", []string{"accounts", "add", "--network", "demo", "--server", "demo"}, "accounts add --mission"},
		{"secret needed", []string{"accounts", "add", "--mission", "vienna", "--network", "mastodon", "--server", e.server.URL}, "need a token or app password"},
		{"no secret taken", []string{"accounts", "add", "--mission", "vienna", "--network", "demo", "--server", "demo", "--secret-stdin"}, "take no token or password"},
		{"secret as argument", []string{"accounts", "add", "--mission", "vienna", "--network", "mastodon", "--server", e.server.URL, "--secret", "x"}, "Usage"},
		{"remove without id", []string{"accounts", "remove"}, "accounts remove ACCOUNT-ID"},
		{"remove two ids", []string{"accounts", "remove", "a", "b"}, "Usage"},
		{"unknown subcommand", []string{"accounts", "frobnicate"}, "Usage"},
	}
	for _, c := range cases {
		code, _, errOut := e.run("secret", c.args...)
		if code != cli.ExitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d, stderr %q, want %q", c.name, code, errOut, c.want)
		}
	}
}

func TestAccountsRemove(t *testing.T) {
	e := newEnv(t, "")
	e.server.allow("tok", "press")
	_, out, _ := e.add("vienna", "tok")
	id := strings.TrimSpace(out)
	code, out, errOut := e.run("", "accounts", "remove", id)
	if code != cli.ExitOK || !strings.Contains(out, id+" removed") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, err := keyring.Get(accounts.KeyringService, id); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("secret still in the keyring: %v", err)
	}
	if _, err := e.ws.Account(id); !errors.Is(err, accounts.ErrNoAccount) {
		t.Errorf("account still there: %v", err)
	}
	if code, _, errOut := e.run("", "accounts", "remove", id); code != cli.ExitFailure || !strings.Contains(errOut, "no account") {
		t.Errorf("removing again: exit %d, stderr %q", code, errOut)
	}
	if code, _, _ := e.run("", "accounts", "remove", "vienna-demo"); code != cli.ExitOK {
		t.Errorf("removing a demo account: exit %d", code)
	}
}
