package cli_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"chancery/cli"
	"chancery/feeds"
	"chancery/team"
	"chancery/team/pgtest"
	"chancery/translations"
)

// postgres is the cluster of this test binary, started by the first test
// that needs it.
var postgres pgtest.Shared

func TestMain(m *testing.M) {
	code := m.Run()
	if err := postgres.Stop(); err != nil {
		code = max(code, 1)
	}
	os.Exit(code)
}

// teamEnv is a pubEnv (demo accounts publishing into the profile) with the
// team review service wired as wiring.go wires it.
type teamEnv struct {
	*pubEnv
	team *team.Service
}

func newTeamEnv(t *testing.T) *teamEnv {
	t.Helper()
	p := newPubEnv(t)
	return &teamEnv{pubEnv: p, team: team.New(team.Options{
		Store: p.db, Accounts: p.ws, Secrets: p.keyring, Planner: p.drafts, Outbox: p.db, Flusher: p.outbox,
	})}
}

func (e *teamEnv) run(stdin string, args ...string) (code int, stdout, stderr string) {
	e.t.Helper()
	var out, errOut bytes.Buffer
	code = cli.Run(context.Background(), cli.Services{
		Workspace: e.ws, Timelines: e.db, Refresher: feeds.NewRefresher(e.nets, e.db, nil),
		Networks: e.nets, Keyring: e.keyring, Loc: translations.New(e.lang),
		Drafts: e.drafts, Outbox: e.outbox, Publishing: e.publishing, Team: e.team,
		In: strings.NewReader(stdin), Out: &out, Err: &errOut,
	}, args)
	return code, out.String(), errOut.String()
}

func (e *teamEnv) ok(stdin string, args ...string) string {
	e.t.Helper()
	code, out, errOut := e.run(stdin, args...)
	if code != cli.ExitOK {
		e.t.Fatalf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
	}
	return out
}

// teamDatabase makes a database, applies the schema exactly as IT would
// (the output of `team schema`, twice, through psql), and makes alice
// (staff) and bob (approver) members of vienna.
func teamDatabase(t *testing.T, e *teamEnv) (*pgtest.Cluster, string) {
	t.Helper()
	c := postgres.Get(t)
	name, admin := c.NewDatabase(t)
	schema := filepath.Join(t.TempDir(), "schema.sql")
	if err := os.WriteFile(schema, []byte(e.ok("", "team", "schema")), 0o600); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		out, err := exec.Command("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", schema, c.AdminDSN(name)).CombinedOutput()
		if err != nil {
			t.Fatalf("psql -f schema: %v\n%s", err, out)
		}
	}
	c.Login(t, "alice", "chancery_staff", "chancery_approver") // the author rule holds for approvers too
	c.Login(t, "bob", "chancery_approver")
	if _, err := admin.Exec(context.Background(), "INSERT INTO chancery.members VALUES ('alice', 'vienna'), ('bob', 'vienna')"); err != nil {
		t.Fatal(err)
	}
	return c, name
}

func TestTeamReviewThroughTheCLI(t *testing.T) {
	alice, bob := newTeamEnv(t), newTeamEnv(t)
	c, db := teamDatabase(t, alice)

	out := alice.ok("pw-alice\n", "team", "connect", "--dsn", c.DSN("alice", "", db), "--secret-stdin")
	if !strings.Contains(out, "Connected to the team server as alice.") {
		t.Fatalf("connect: %q", out)
	}
	// bob gives his password on standard input without a final newline.
	bob.ok("pw-bob", "team", "connect", "--dsn", c.DSN("bob", "", db), "--secret-stdin")
	for _, e := range []*teamEnv{alice, bob} {
		cfg, err := e.db.TeamConfig()
		if err != nil || strings.Contains(cfg.DSN, "pw-") {
			t.Fatalf("saved DSN %q (%v)", cfg.DSN, err)
		}
		if secret, err := e.keyring.Secret(cfg.SecretID()); err != nil || !strings.HasPrefix(secret, "pw-") {
			t.Fatalf("keyring: %q, %v", secret, err)
		}
	}
	raw, err := os.ReadFile(filepath.Join(alice.dir, "chancery.db"))
	if err != nil || bytes.Contains(raw, []byte("pw-alice")) {
		t.Fatalf("the password is in the profile (%v)", err)
	}

	draft := strings.TrimSpace(alice.ok("Consulate closed on Monday.\n", "drafts", "new", "--account", "vienna-demo", "--text-file", "-"))
	out = alice.ok("", "review", "submit", draft)
	if !strings.Contains(out, "Recorded for "+draft) {
		t.Fatalf("submit: %q", out)
	}
	list := decodeArray(t, bob.ok("", "review", "list", "--mission", "vienna", "--json"))
	if len(list) == 0 {
		bob.ok("", "team", "sync")
		list = decodeArray(t, bob.ok("", "review", "list", "--mission", "vienna", "--json"))
	}
	if len(list) != 1 || list[0]["id"] != draft || list[0]["state"] != "submitted" || list[0]["author"] != "alice" {
		t.Fatalf("bob's list: %v", list)
	}
	if missing := missingFields(list[0], "id", "mission", "author", "state", "revision", "accounts", "variants", "comments", "updated_at"); len(missing) > 0 {
		t.Fatalf("missing fields %v", missing)
	}

	if code, _, _ := bob.run("", "review", "return", draft); code != cli.ExitUsage {
		t.Fatalf("return without comment: exit %d", code)
	}
	bob.ok("", "review", "return", draft, "--comment", "Say which consulate.")
	alice.ok("", "team", "sync")
	list = decodeArray(t, alice.ok("", "review", "list", "--json"))
	comments, _ := list[0]["comments"].([]any)
	if list[0]["state"] != "returned" || len(comments) != 1 {
		t.Fatalf("alice's list after return: %v", list)
	}

	d, err := alice.drafts.Get(draft)
	if err != nil {
		t.Fatal(err)
	}
	d.SetText("en", "The consulate in Salzburg is closed on Monday.")
	if _, err := alice.drafts.Save(d); err != nil {
		t.Fatal(err)
	}
	alice.ok("", "review", "submit", draft)
	diff := alice.ok("", "review", "diff", draft)
	if !strings.Contains(diff, "- Consulate closed on Monday.") || !strings.Contains(diff, "+ The consulate in Salzburg") {
		t.Fatalf("diff: %q", diff)
	}

	code, _, errOut := alice.run("", "review", "approve", draft)
	if code != cli.ExitFailure || !strings.Contains(errOut, "You cannot approve or return your own post.") {
		t.Fatalf("self-approval: exit %d, stderr %q", code, errOut)
	}

	list = decodeArray(t, alice.ok("", "review", "list", "--json"))
	refused, _ := list[0]["refused"].([]any)
	if len(refused) != 1 {
		t.Fatalf("alice's refused events: %v", list[0])
	}
	alice.ok("", "review", "dismiss", refused[0].(map[string]any)["id"].(string))
	list = decodeArray(t, alice.ok("", "review", "list", "--json"))
	if refused, _ := list[0]["refused"].([]any); len(refused) != 0 {
		t.Fatalf("dismissed refusal still listed: %v", refused)
	}

	bob.ok("", "team", "sync")
	bob.ok("", "review", "approve", draft)
	if bob.demo.count() != 0 {
		t.Fatal("the approver's laptop published")
	}
	out = alice.ok("", "team", "sync", "--json")
	if !strings.Contains(out, `"published": 1`) || alice.demo.count() != 1 {
		t.Fatalf("alice's sync: %q, %d posts", out, alice.demo.count())
	}
	alice.ok("", "team", "sync")
	if alice.demo.count() != 1 {
		t.Fatal("published twice")
	}
	bob.ok("", "team", "sync")
	list = decodeArray(t, bob.ok("", "review", "list", "--json", "--state", "published"))
	if len(list) != 1 {
		t.Fatalf("published list: %v", list)
	}
}

func TestTeamRequireReviewAndOffline(t *testing.T) {
	alice := newTeamEnv(t)
	code, _, errOut := alice.run("", "review", "submit", "nothing")
	if code != cli.ExitFailure {
		t.Fatalf("review without a draft: exit %d %q", code, errOut)
	}
	draft := strings.TrimSpace(alice.ok("Hello.\n", "drafts", "new", "--account", "vienna-demo", "--text-file", "-"))
	code, _, errOut = alice.run("", "review", "submit", draft)
	if code != cli.ExitFailure || !strings.Contains(errOut, "chancery team connect") {
		t.Fatalf("submit unconnected: exit %d, %q", code, errOut)
	}
	if code, _, _ := alice.run("", "team", "connect"); code != cli.ExitUsage {
		t.Fatalf("connect without --dsn: exit %d", code)
	}
	if code, _, _ := alice.run("", "team", "connect", "--dsn", "postgres://alice@203.0.113.1:5432/db?sslmode=disable"); code != cli.ExitFailure {
		t.Fatalf("connect without TLS: exit %d", code)
	}

	alice.ok("", "team", "require-review", "--mission", "vienna")
	code, _, errOut = alice.run("Hello.\n", "post", "--account", "vienna-demo", "--text-file", "-")
	if code != cli.ExitFailure || !strings.Contains(errOut, "publishes only through review") || alice.demo.count() != 0 {
		t.Fatalf("post to a mission that requires review: exit %d, %q", code, errOut)
	}
	alice.ok("Hello.\n", "post", "--account", "beijing-demo", "--text-file", "-")
	alice.ok("", "team", "require-review", "--mission", "vienna", "--off")
	alice.ok("Hello.\n", "post", "--account", "vienna-demo", "--text-file", "-")
}

// A refused password is reported without being repeated, and nothing is
// saved: neither the address nor the secret.
func TestTeamConnectWrongPassword(t *testing.T) {
	alice := newTeamEnv(t)
	c, db := teamDatabase(t, alice)
	code, out, errOut := alice.run("wrong-secret-4711\n", "team", "connect", "--dsn", c.DSN("alice", "", db), "--secret-stdin")
	if code != cli.ExitFailure || strings.Contains(out+errOut, "wrong-secret-4711") ||
		!strings.Contains(errOut, "The team server could not be reached or did not answer.") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, err := alice.db.TeamConfig(); err == nil {
		t.Fatal("a refused connection was saved")
	}
	// A password on the command line (seen in ps, kept in the shell's
	// history) is refused, even the right one, and nothing is saved.
	code, out, errOut = alice.run("", "team", "connect", "--dsn", c.DSN("alice", "pw-alice", db))
	if code != cli.ExitFailure || strings.Contains(out+errOut, "pw-alice") ||
		!strings.Contains(errOut, "The password goes on standard input (--secret-stdin)") {
		t.Fatalf("password in the DSN: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, err := alice.db.TeamConfig(); err == nil {
		t.Fatal("a connection with the password on the command line was saved")
	}
	code, out, errOut = alice.run("", "team", "connect", "--dsn", "postgres://alice:leaked-4713@127.0.0.1:notaport/db")
	if code != cli.ExitFailure || strings.Contains(out+errOut, "leaked-4713") ||
		!strings.Contains(errOut, "The password goes on standard input") {
		t.Fatalf("malformed DSN with a password: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, errOut = alice.run("leaked-4714\n", "team", "connect", "--dsn", "postgres://alice@127.0.0.1:notaport/db", "--secret-stdin")
	if code != cli.ExitFailure || strings.Contains(out+errOut, "leaked-4714") ||
		!strings.Contains(errOut, "The team server address is not valid.") {
		t.Fatalf("malformed DSN: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
