package cli_test

import (
	"bytes"
	"context"
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
	"chancery/feeds/demo"
	"chancery/feeds/mastodon"
	"chancery/feeds/mastodon/mastodontest"
	"chancery/storage"
	"chancery/translations"
)

// procEnv runs each command line as the binary would in a process of its
// own: it opens the profile's database, wires the real Mastodon client and
// the outbox, runs the command and closes everything. Between two runs
// nothing of ours runs. The clock is the test's, moved with the server's.
type procEnv struct {
	t   *testing.T
	dir string
	srv *mastodontest.Server

	mu  sync.Mutex
	now time.Time
}

func newProcEnv(t *testing.T) *procEnv {
	t.Helper()
	keyring.MockInit()
	start := time.Now().UTC().Truncate(time.Second)
	p := &procEnv{t: t, dir: t.TempDir(), srv: mastodontest.New(start), now: start}
	t.Cleanup(p.srv.Close)
	return p
}

func (p *procEnv) clock() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.now
}

func (p *procEnv) advance(d time.Duration) {
	p.mu.Lock()
	p.now = p.now.Add(d)
	p.mu.Unlock()
	p.srv.Advance(d)
}

func (p *procEnv) run(stdin string, args ...string) (code int, stdout, stderr string) {
	p.t.Helper()
	db, err := storage.Open(filepath.Join(p.dir, "chancery.db"), storage.Options{})
	if err != nil {
		p.t.Fatal(err)
	}
	defer db.Close()
	kr := accounts.NewKeyring()
	secrets := accounts.NewSessionSecrets(kr)
	nets := feeds.Registry{
		accounts.Mastodon: mastodon.New(secrets, db, mastodon.WithHTTPClient(p.srv.Client()), mastodon.WithClock(p.clock)),
		accounts.Demo:     demo.New(demo.WithPublishing(db, nil)),
	}
	ws := accounts.NewWorkspace(db, secrets, nil)
	if _, err := ws.EnsureDefault(); err != nil {
		p.t.Fatal(err)
	}
	pub := drafts.NetworkPublisher{Accounts: ws, Networks: nets}
	var out, errOut bytes.Buffer
	code = cli.Run(context.Background(), cli.Services{
		Workspace: ws, Timelines: db, Refresher: feeds.NewRefresher(nets, db, nil),
		Networks: nets, Keyring: kr, Loc: translations.New("en"),
		Drafts: drafts.NewService(db, p.clock, drafts.WithLanguages(ws)), Outbox: drafts.NewOutbox(db, pub, p.clock),
		Publishing: pub, Now: p.clock,
		In: strings.NewReader(stdin), Out: &out, Err: &errOut,
	}, args)
	return code, out.String(), errOut.String()
}

func (p *procEnv) ok(stdin string, args ...string) string {
	p.t.Helper()
	code, out, errOut := p.run(stdin, args...)
	if code != cli.ExitOK {
		p.t.Fatalf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
	}
	return out
}

// addAccount signs in to the test server for Vienna and returns the id.
func (p *procEnv) addAccount() string {
	p.t.Helper()
	return strings.TrimSpace(p.ok(mastodontest.Token+"\n", "accounts", "add", "--mission", "vienna",
		"--network", "mastodon", "--server", p.srv.URL, "--secret-stdin"))
}

func (p *procEnv) entries() []map[string]any {
	p.t.Helper()
	list := decodeArray(p.t, p.ok("", "outbox", "list", "--json"))
	for _, e := range list {
		if m := missingFields(e, append(entryFields, "where")...); len(m) > 0 {
			p.t.Errorf("outbox entry lacks %v: %v", m, e)
		}
	}
	return list
}

// Issue 17's done-when: a post scheduled six minutes ahead is handed to the
// server by one flush, then nothing of ours runs while the server's clock
// passes its time and publishes it; a later flush marks it sent with its
// link.
func TestScheduledPostGoesOutWhileChanceryIsClosed(t *testing.T) {
	p := newProcEnv(t)
	id := p.addAccount()
	at := p.clock().Add(6 * time.Minute)
	const text = "Good morning from Vienna: the consular section opens at 9:00."
	out := p.ok(text, "post", "--account", id, "--text-file", "-", "--at", at.Format(time.RFC3339))
	if !strings.Contains(out, "On the server") {
		t.Errorf("post output does not say the server holds it:\n%s", out)
	}
	list := p.entries()
	if len(list) != 1 || list[0]["where"] != "server" || list[0]["state"] != "queued" {
		t.Fatalf("after post: %v", list)
	}
	vienna, _ := time.LoadLocation("Europe/Vienna")
	if want := at.In(vienna).Format(time.RFC3339); list[0]["scheduled_at"] != want {
		t.Errorf("scheduled_at %v, want %s (Vienna's zone)", list[0]["scheduled_at"], want)
	}
	held := p.srv.ScheduledStatuses()
	if len(held) != 1 || held[0].Text != text || !held[0].At.Equal(at) || len(p.srv.Statuses()) != 0 {
		t.Fatalf("server holds %+v, published %d", held, len(p.srv.Statuses()))
	}
	// The profile's process is gone; the server publishes at its time.
	p.advance(6*time.Minute + 30*time.Second)
	if st := p.srv.Statuses(); len(st) != 1 || st[0].Text != text {
		t.Fatalf("server published %+v", st)
	}
	code, _, errOut := p.run("", "outbox", "flush")
	if code != cli.ExitOK || !strings.Contains(errOut, "Outbox: 1 sent, 0 failed, 0 waiting.") {
		t.Fatalf("flush after its time: exit %d, stderr %q", code, errOut)
	}
	st := p.srv.Statuses()[0]
	list = p.entries()
	if list[0]["state"] != "sent" || list[0]["remote_id"] != st.ID || list[0]["url"] != mastodontest.StatusURL(st.ID) {
		t.Errorf("after its time: %v", list[0])
	}
	if n := p.srv.Count("POST /api/v1/statuses"); n != 1 {
		t.Errorf("%d POST /api/v1/statuses, want the one hand-off", n)
	}
}

func TestOutboxEditRescheduleCancelThroughTheCLI(t *testing.T) {
	p := newProcEnv(t)
	id := p.addAccount()
	// A local time in the mission's zone: tomorrow 09:00 in Vienna.
	vienna, _ := time.LoadLocation("Europe/Vienna")
	day := p.clock().In(vienna).Add(24 * time.Hour)
	local := time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, vienna)
	p.ok("First version.", "post", "--account", id, "--text-file", "-", "--at", local.Format("2006-01-02 15:04"), "--zone", "vienna")
	p.ok("To be cancelled.", "post", "--account", id, "--text-file", "-", "--at", local.Add(time.Hour).Format(time.RFC3339))
	list := p.entries()
	if len(list) != 2 || list[0]["where"] != "server" || list[1]["where"] != "server" {
		t.Fatalf("after posts: %v", list)
	}
	first, second := list[0]["id"].(string), list[1]["id"].(string)

	p.ok("Second version.\n", "outbox", "edit", first, "--text-file", "-")
	later := local.Add(2 * time.Hour)
	p.ok("", "outbox", "reschedule", first, "--at", later.Format("2006-01-02 15:04"), "--zone", "vienna")
	code, _, errOut := p.run("", "outbox", "cancel", second)
	if code != cli.ExitOK || !strings.Contains(errOut, "cancelled") {
		t.Fatalf("cancel: exit %d, stderr %q", code, errOut)
	}
	p.ok("", "outbox", "flush")
	held := p.srv.ScheduledStatuses()
	if len(held) != 1 || held[0].Text != "Second version." || !held[0].At.Equal(later) {
		t.Fatalf("server holds %+v, want the second version at %s", held, later)
	}
	list = p.entries()
	if len(list) != 1 || list[0]["id"] != first || list[0]["text"] != "Second version." || list[0]["where"] != "server" {
		t.Fatalf("outbox: %v", list)
	}

	// Send now: taken back from the server and published at once.
	p.ok("", "outbox", "send-now", first)
	if held := p.srv.ScheduledStatuses(); len(held) != 0 {
		t.Errorf("still held after send-now: %+v", held)
	}
	if st := p.srv.Statuses(); len(st) != 1 || st[0].Text != "Second version." {
		t.Errorf("published %+v", st)
	}
	if list := p.entries(); list[0]["state"] != "sent" {
		t.Errorf("after send-now: %v", list[0])
	}
}

func TestPostAtRefusesThePastAndBadTimes(t *testing.T) {
	p := newProcEnv(t)
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--at", p.clock().Add(-time.Minute).Format(time.RFC3339)}, cli.ExitFailure, "That time is in the past."},
		{[]string{"--at", "2026-12-07 09:00"}, cli.ExitUsage, "Usage"},
		{[]string{"--at", "tomorrow", "--zone", "vienna"}, cli.ExitUsage, "Usage"},
		{[]string{"--zone", "vienna"}, cli.ExitUsage, "Usage"},
		{[]string{"--at", "2099-12-07 09:00", "--zone", "atlantis"}, cli.ExitFailure, "mission"},
	}
	for _, c := range cases {
		args := append([]string{"post", "--account", "vienna-demo", "--text-file", "-"}, c.args...)
		code, out, errOut := p.run("Hello", args...)
		if code != c.code || out != "" || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d and %q", c.args, code, out, errOut, c.code, c.want)
		}
	}
	if list := p.entries(); len(list) != 0 {
		t.Errorf("refused times queued %v", list)
	}
	// A demo account waits here: its network cannot hold scheduled posts.
	p.ok("Hello", "post", "--account", "vienna-demo", "--text-file", "-", "--at", "2099-12-07 09:00", "--zone", "beijing")
	list := p.entries()
	if len(list) != 1 || list[0]["where"] != "local" || list[0]["scheduled_at"] != "2099-12-07T09:00:00+08:00" {
		t.Errorf("demo entry: %v", list)
	}
}
