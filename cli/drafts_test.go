package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/cli"
	"chancery/drafts"
	"chancery/feeds"
	"chancery/feeds/demo"
	"chancery/translations"
)

// pubEnv is env with drafts, an outbox and publishing wired as the
// application wires them (wiring.go): the demo network publishes into the
// profile's own database, and the outbox publishes through every network
// in e.nets, so a test may put its own network there.
type pubEnv struct {
	*env
	demo       *countingDemo
	drafts     *drafts.Service
	outbox     *drafts.Outbox
	publishing drafts.NetworkPublisher
}

// countingDemo is the real demo network, made WithPublishing over the
// profile's database, that counts the Publish calls it gets: the demo
// network answers a repeated idempotency key with the first post, so only
// the count shows whether a sent entry was sent again.
type countingDemo struct {
	*demo.Network
	calls chan struct{}
}

func (c *countingDemo) Publish(ctx context.Context, acct accounts.Account, out feeds.Outgoing) (feeds.Published, error) {
	c.calls <- struct{}{}
	return c.Network.Publish(ctx, acct, out)
}

func (c *countingDemo) count() int { return len(c.calls) }

var _ feeds.Publisher = (*countingDemo)(nil)

func newPubEnv(t *testing.T) *pubEnv {
	t.Helper()
	e := newEnv(t, "")
	d := &countingDemo{Network: demo.New(demo.WithPublishing(e.db, nil)), calls: make(chan struct{}, 1000)}
	e.nets[accounts.Demo] = d
	pub := drafts.NetworkPublisher{Accounts: e.ws, Networks: e.nets}
	return &pubEnv{
		env: e, demo: d, publishing: pub,
		drafts: drafts.NewService(e.db, nil, drafts.WithLanguages(e.ws)),
		outbox: drafts.NewOutbox(e.db, pub, nil),
	}
}

// run runs one command line with stdin on the full services.
func (p *pubEnv) run(stdin string, args ...string) (code int, stdout, stderr string) {
	p.t.Helper()
	var out, errOut bytes.Buffer
	code = cli.Run(context.Background(), cli.Services{
		Workspace: p.ws, Timelines: p.db, Refresher: feeds.NewRefresher(p.nets, p.db, nil),
		Networks: p.nets, Keyring: p.keyring, Loc: translations.New(p.lang),
		Drafts: p.drafts, Outbox: p.outbox, Publishing: p.publishing,
		In: strings.NewReader(stdin), Out: &out, Err: &errOut,
	}, args)
	return code, out.String(), errOut.String()
}

// ok runs a command that must succeed and returns its stdout.
func (p *pubEnv) ok(stdin string, args ...string) string {
	p.t.Helper()
	code, out, errOut := p.run(stdin, args...)
	if code != cli.ExitOK {
		p.t.Fatalf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
	}
	return out
}

// decodeArray checks that out is exactly one JSON array of objects and
// returns it.
func decodeArray(t *testing.T, out string) []map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	var list []map[string]any
	if err := dec.Decode(&list); err != nil {
		t.Fatalf("stdout is not a JSON array of objects: %v\n%s", err, out)
	}
	if list == nil {
		t.Fatalf("stdout is %q, want an array (even when empty)", out)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Fatalf("stdout holds more than one JSON value: %q", out)
	}
	return list
}

// missingFields returns the fields of want that obj lacks.
func missingFields(obj map[string]any, want ...string) []string {
	var missing []string
	for _, k := range want {
		if _, ok := obj[k]; !ok {
			missing = append(missing, k)
		}
	}
	return missing
}

// rfc3339 checks that v is a string holding an RFC 3339 time near now.
func rfc3339(t *testing.T, what string, v any) {
	t.Helper()
	s, _ := v.(string)
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Errorf("%s = %v: not RFC 3339: %v", what, v, err)
		return
	}
	if d := time.Since(at); d < -time.Minute || d > time.Hour {
		t.Errorf("%s = %s, not about now", what, s)
	}
}

// draftFields are the fields §9 promises for a draft.
var draftFields = []string{"id", "accounts", "variants", "state", "remote_id", "updated_at"}

var draftIDRE = regexp.MustCompile(`^[0-9a-f]{24}\n$`)

func TestDraftsNewListShowDelete(t *testing.T) {
	p := newPubEnv(t)
	out := p.ok("Bonjour de Vienne.\n", "drafts", "new", "--account", "vienna-demo", "--lang", "fr", "--text-file", "-")
	if !draftIDRE.MatchString(out) {
		t.Fatalf("drafts new printed %q, want one id", out)
	}
	id := strings.TrimSpace(out)

	list := decodeArray(t, p.ok("", "drafts", "list", "--json"))
	if len(list) != 1 {
		t.Fatalf("drafts list: %d drafts, want 1: %v", len(list), list)
	}
	d := list[0]
	if m := missingFields(d, draftFields...); len(m) > 0 {
		t.Errorf("draft lacks %v: %v", m, d)
	}
	if d["id"] != id || d["state"] != "draft" || d["remote_id"] != "" {
		t.Errorf("draft %v, want id %s in state draft without remote id", d, id)
	}
	if accts, _ := d["accounts"].([]any); len(accts) != 1 || accts[0] != "vienna-demo" {
		t.Errorf("accounts = %v", d["accounts"])
	}
	// The trailing newline of the input is not part of the text.
	want := []any{map[string]any{"lang": "fr", "text": "Bonjour de Vienne."}}
	if got, _ := json.Marshal(d["variants"]); string(got) != string(mustJSON(t, want)) {
		t.Errorf("variants = %s, want %s", got, mustJSON(t, want))
	}
	rfc3339(t, "updated_at", d["updated_at"])

	// The text form names the draft, its account, language and text.
	text := p.ok("", "drafts", "list")
	for _, s := range []string{id, "vienna-demo", "fr", "Bonjour de Vienne."} {
		if !strings.Contains(text, s) {
			t.Errorf("drafts list lacks %q:\n%s", s, text)
		}
	}
	if shown := p.ok("", "drafts", "show", id); !strings.Contains(shown, id) || !strings.Contains(shown, "Bonjour de Vienne.") {
		t.Errorf("drafts show: %q", shown)
	}
	shown := decodeArray(t, p.ok("", "drafts", "show", id, "--json"))
	if len(shown) != 1 || shown[0]["id"] != id {
		t.Errorf("drafts show --json: %v", shown)
	}

	if out := p.ok("", "drafts", "delete", id); out != "" {
		t.Errorf("drafts delete printed %q", out)
	}
	code, out, errOut := p.run("", "drafts", "show", id)
	if code != cli.ExitFailure || out != "" || !strings.Contains(errOut, "There is no draft with that id.") {
		t.Errorf("show after delete: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, _, errOut = p.run("", "drafts", "delete", id)
	if code != cli.ExitFailure || !strings.Contains(errOut, "There is no draft with that id.") {
		t.Errorf("delete twice: exit %d, stderr %q", code, errOut)
	}
	if got := strings.TrimSpace(p.ok("", "drafts", "list", "--json")); got != "[]" {
		t.Errorf("drafts list --json after delete = %q, want []", got)
	}

	p.lang = "fr"
	code, _, errOut = p.run("", "drafts", "show", id)
	if code != cli.ExitFailure || !strings.Contains(errOut, "Aucun brouillon ne porte cet identifiant.") {
		t.Errorf("French: exit %d, stderr %q", code, errOut)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDraftsNewVariants(t *testing.T) {
	p := newPubEnv(t)
	// Without text: an empty draft with empty lists, not nulls.
	empty := strings.TrimSpace(p.ok("", "drafts", "new"))
	// From a file, for two accounts, as JSON; the language defaults to en.
	file := filepath.Join(t.TempDir(), "post.txt")
	if err := os.WriteFile(file, []byte("Visa office closed on Friday.\n\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	created := decodeArray(t, p.ok("", "drafts", "new", "--account", "vienna-demo,the-hague-demo", "--text-file", file, "--json"))
	if len(created) != 1 || missingFields(created[0], draftFields...) != nil {
		t.Fatalf("drafts new --json: %v", created)
	}
	byID := map[string]map[string]any{}
	for _, d := range decodeArray(t, p.ok("", "drafts", "list", "--json")) {
		byID[d["id"].(string)] = d
	}
	if len(byID) != 2 {
		t.Fatalf("drafts: %v", byID)
	}
	e := byID[empty]
	if e == nil || string(mustJSON(t, e["accounts"])) != "[]" || string(mustJSON(t, e["variants"])) != "[]" {
		t.Errorf("empty draft %v: want accounts [] and variants []", e)
	}
	f := byID[created[0]["id"].(string)]
	if got := string(mustJSON(t, f["accounts"])); got != `["vienna-demo","the-hague-demo"]` {
		t.Errorf("accounts = %s", got)
	}
	if got := string(mustJSON(t, f["variants"])); got != `[{"lang":"en","text":"Visa office closed on Friday."}]` {
		t.Errorf("variants = %s", got)
	}
}

// A text file that cannot be read fails the command and leaves no empty
// draft behind.
func TestDraftsNewUnreadableFile(t *testing.T) {
	p := newPubEnv(t)
	code, out, errOut := p.run("", "drafts", "new", "--account", "vienna-demo", "--text-file", filepath.Join(t.TempDir(), "missing.txt"))
	if code != cli.ExitFailure || out != "" || !strings.Contains(errOut, "missing.txt") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if got := strings.TrimSpace(p.ok("", "drafts", "list", "--json")); got != "[]" {
		t.Errorf("drafts after a failed drafts new: %s", got)
	}
}

func TestDraftsUsage(t *testing.T) {
	p := newPubEnv(t)
	id := strings.TrimSpace(p.ok("hello", "drafts", "new", "--text-file", "-"))
	cases := [][]string{
		{"drafts"},
		{"drafts", "show"},
		{"drafts", "show", "--json"},
		{"drafts", "delete"},
		{"drafts", "frobnicate"},
		{"drafts", "list", "extra"},
		{"drafts", "list", "--bogus"},
		{"drafts", "show", id, "other"},
	}
	for _, args := range cases {
		code, out, errOut := p.run("", args...)
		if code != cli.ExitUsage || out != "" || !strings.Contains(errOut, "Usage") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	// Usage errors changed nothing.
	if list := decodeArray(t, p.ok("", "drafts", "list", "--json")); len(list) != 1 || list[0]["id"] != id {
		t.Errorf("drafts after usage errors: %v", list)
	}
}
