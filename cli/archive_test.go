package cli_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
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

// archiveServer is a Mastodon-API server on 127.0.0.1: mastodontest's
// statuses, plus GET /api/v1/notifications in the documented shape
// (Notification entities holding a Status), where a citizen replies to
// each status published so far and others mention the account.
type archiveServer struct {
	*httptest.Server
	mt       *mastodontest.Server
	mentions []time.Time // times of the mentions that reply to nothing
}

func newArchiveServer(t *testing.T, mentions []time.Time) *archiveServer {
	s := &archiveServer{mt: mastodontest.New(time.Now().UTC()), mentions: mentions}
	t.Cleanup(s.mt.Close)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/notifications" {
			s.mt.Config.Handler.ServeHTTP(w, r)
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+mastodontest.Token {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":"The access token is invalid"}`))
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_ = json.NewEncoder(w).Encode(s.notifications())
	}))
	t.Cleanup(s.Close)
	return s
}

func citizen() map[string]any {
	return map[string]any{
		"id": "2", "username": "citizen", "acct": "citizen@other.example", "display_name": "A Citizen",
		"url": "https://other.example/@citizen", "avatar": "", "created_at": "2020-01-01T00:00:00.000Z",
	}
}

func notification(id, kind, replyTo, text string, at time.Time) map[string]any {
	var reply any
	if replyTo != "" {
		reply = replyTo
	}
	stamp := at.UTC().Format(time.RFC3339Nano)
	return map[string]any{
		"id": id, "type": kind, "created_at": stamp, "account": citizen(),
		"status": map[string]any{
			"id": "9" + id, "created_at": stamp, "in_reply_to_id": reply, "in_reply_to_account_id": nil,
			"sensitive": false, "spoiler_text": "", "visibility": "public", "language": "en",
			"uri": "https://other.example/users/citizen/statuses/9" + id, "url": "https://other.example/@citizen/9" + id,
			"replies_count": 0, "reblogs_count": 0, "favourites_count": 0, "content": "<p>" + text + "</p>",
			"reblog": nil, "account": citizen(), "media_attachments": []any{}, "tags": []any{},
			"mentions": []any{map[string]any{"id": "1", "username": "ambassade", "acct": "ambassade", "url": "https://social.example/@ambassade"}},
		},
	}
}

// notifications are, newest first: a reply to each published status, a
// favourite (not a record) and the other mentions.
func (s *archiveServer) notifications() []map[string]any {
	var out []map[string]any
	statuses := s.mt.Statuses()
	for i, st := range slices.Backward(statuses) {
		out = append(out, notification(fmt.Sprint(500+i), "mention", st.ID, "@ambassade Question about your post", time.Now().Add(-time.Minute)))
	}
	if len(statuses) > 0 {
		out = append(out, notification("400", "favourite", "", "liked", time.Now().Add(-time.Hour)))
	}
	for i, at := range slices.Backward(s.mentions) {
		out = append(out, notification(fmt.Sprint(100+i), "mention", "", fmt.Sprintf("@ambassade Visa question %d", i), at))
	}
	return out
}

// archiveEnv runs the CLI on a profile whose mastodon account lives on an
// archiveServer.
type archiveEnv struct {
	t   *testing.T
	dir string
	srv *archiveServer
	db  *storage.DB
	kr  *accounts.Keyring
}

func newArchiveEnv(t *testing.T, mentions []time.Time) *archiveEnv {
	keyring.MockInit()
	e := &archiveEnv{t: t, dir: t.TempDir(), srv: newArchiveServer(t, mentions), kr: accounts.NewKeyring()}
	e.open(storage.Options{})
	t.Cleanup(func() { _ = e.db.Close() })
	return e
}

// open (re)opens the profile's database with opts.
func (e *archiveEnv) open(opts storage.Options) {
	e.t.Helper()
	if e.db != nil {
		_ = e.db.Close()
	}
	db, err := storage.Open(filepath.Join(e.dir, "chancery.db"), opts)
	if err != nil {
		e.t.Fatal(err)
	}
	e.db = db
}

func (e *archiveEnv) run(stdin string, args ...string) (int, string, string) {
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
		Archive: e.db, In: strings.NewReader(stdin), Out: &out, Err: &errOut,
	}, args)
	return code, out.String(), errOut.String()
}

func (e *archiveEnv) ok(stdin string, args ...string) string {
	e.t.Helper()
	code, out, errOut := e.run(stdin, args...)
	if code != cli.ExitOK {
		e.t.Fatalf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
	}
	return out
}

// addAccount adds the server's account to Vienna and returns its id.
func (e *archiveEnv) addAccount() string {
	e.t.Helper()
	out := e.ok(mastodontest.Token, "accounts", "add", "--mission", "vienna", "--network", "mastodon",
		"--server", e.srv.URL, "--secret-stdin", "--json")
	var added []map[string]any
	if err := json.Unmarshal([]byte(out), &added); err != nil || len(added) != 1 {
		e.t.Fatalf("accounts add --json: %q", out)
	}
	return added[0]["id"].(string)
}

// readManifest reads and checks an archive export: every file it lists has
// the rows and the SHA-256 it says. It returns the rows by file name.
func readManifest(t *testing.T, dir string) (map[string]any, map[string]int) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Files []struct {
			Name, Kind, Format, SHA256 string
			Rows                       int
		}
	}
	var top map[string]any
	if err := json.Unmarshal(raw, &m); err != nil || json.Unmarshal(raw, &top) != nil {
		t.Fatalf("manifest: %v\n%s", err, raw)
	}
	rows := map[string]int{}
	for _, f := range m.Files {
		data, err := os.ReadFile(filepath.Join(dir, f.Name))
		if err != nil {
			t.Fatal(err)
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != f.SHA256 {
			t.Errorf("%s: SHA-256 differs from the manifest's", f.Name)
		}
		if n := countRows(t, f.Format, data); n != f.Rows {
			t.Errorf("%s holds %d rows, the manifest says %d", f.Name, n, f.Rows)
		}
		rows[f.Name] = f.Rows
	}
	return top, rows
}

// countRows parses a JSON array or a CSV file with its header row.
func countRows(t *testing.T, format string, data []byte) int {
	t.Helper()
	if format == "json" {
		var list []map[string]any
		if err := json.Unmarshal(data, &list); err != nil || list == nil {
			t.Fatalf("not a JSON array: %v", err)
		}
		return len(list)
	}
	r := csv.NewReader(bytes.NewReader(data))
	recs, err := r.ReadAll()
	if err != nil || len(recs) == 0 || recs[0][0] != "account" {
		t.Fatalf("CSV without its header row: %v", err)
	}
	return len(recs) - 1
}

func readRecords(t *testing.T, path string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var list []map[string]any
	if err := json.Unmarshal(data, &list); err != nil {
		t.Fatal(err)
	}
	return list
}

// mentionTimes are n mentions a fortnight apart from 5 January 2026.
func mentionTimes(n int) []time.Time {
	out := make([]time.Time, n)
	for i := range out {
		out[i] = time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC).AddDate(0, 0, 14*i)
	}
	return out
}

func TestExportArchiveKeepsWhatRetentionTrimmed(t *testing.T) {
	mentions := mentionTimes(20)
	e := newArchiveEnv(t, mentions)
	id := e.addAccount()
	en, fr := filepath.Join(e.dir, "en.txt"), filepath.Join(e.dir, "fr.txt")
	_ = os.WriteFile(en, []byte("The consulate is closed on Monday."), 0o600)
	_ = os.WriteFile(fr, []byte("Le consulat est fermé lundi."), 0o600)
	e.ok("", "post", "--account", id, "--variant", "en="+en, "--variant", "fr="+fr)
	e.ok("Visa appointments open on Tuesday.", "post", "--account", id, "--lang", "en", "--text-file", "-")
	e.ok("", "outbox", "flush")
	published := e.srv.mt.Statuses()
	if len(published) != 3 {
		t.Fatalf("the server holds %d statuses, want 3", len(published))
	}
	e.ok("", "refresh", "--account", id, "--kind", "mentions")
	key := feeds.TimelineKey{Account: id, Kind: feeds.Mentions}
	if n, _ := e.db.CountPosts(key); n != 24 {
		t.Fatalf("%d mentions cached, want 24 (3 replies, 1 favourite, 20 mentions)", n)
	}

	e.open(storage.Options{Retention: 2})
	if _, _, err := e.db.Compact(); err != nil {
		t.Fatal(err)
	}
	if n, _ := e.db.CountPosts(key); n != 2 {
		t.Fatalf("retention kept %d mentions, want 2", n)
	}
	out := filepath.Join(t.TempDir(), "archive")
	code, _, errOut := e.run("", "export", "--archive", "--out", out)
	if code != cli.ExitOK || !strings.Contains(errOut, "3 published and 23 received") {
		t.Fatalf("export --archive: exit %d, %s", code, errOut)
	}
	top, rows := readManifest(t, out)
	want := map[string]int{"published.json": 3, "published.csv": 3, "received.json": 23, "received.csv": 23}
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Errorf("manifest rows %v, want %v", rows, want)
	}
	if top["profile"] != e.dir || top["since"] != "" || top["exported_at"] == "" {
		t.Errorf("manifest %v", top)
	}
	pub := readRecords(t, filepath.Join(out, "published.json"))
	var remote, langs []string
	for _, r := range pub {
		remote, langs = append(remote, r["remote_id"].(string)), append(langs, r["lang"].(string))
		if r["writer"] != drafts.Writer() || r["account"] != id || r["mission"] != "vienna" || r["draft"] == "" || r["url"] == "" {
			t.Errorf("published record %v", r)
		}
	}
	slices.Sort(langs)
	var serverIDs []string
	for _, st := range published {
		serverIDs = append(serverIDs, st.ID)
	}
	slices.Sort(remote)
	if !slices.Equal(remote, serverIDs) || !slices.Equal(langs, []string{"en", "en", "fr"}) {
		t.Errorf("published %v in %v, the server has %v", remote, langs, serverIDs)
	}
	noSecretIn(t, out)
	noSecretIn(t, e.dir) // the profile, archive included
}

func TestExportArchiveSince(t *testing.T) {
	mentions := mentionTimes(20)
	e := newArchiveEnv(t, mentions)
	id := e.addAccount()
	e.ok("Consular hours change in June.", "post", "--account", id, "--lang", "en", "--text-file", "-")
	e.ok("", "outbox", "flush")
	e.ok("", "refresh", "--account", id, "--kind", "mentions")
	since := time.Date(2026, 6, 1, 0, 0, 0, 0, time.Local)
	wantReceived := 1 // the reply to the post, written now
	for _, at := range mentions {
		if !at.Before(since) {
			wantReceived++
		}
	}
	out := filepath.Join(t.TempDir(), "since")
	e.ok("", "export", "--archive", "--out", out, "--since", "2026-06-01")
	top, rows := readManifest(t, out)
	if rows["received.csv"] != wantReceived || rows["published.json"] != 1 {
		t.Errorf("since June: %v, want %d received and 1 published", rows, wantReceived)
	}
	if top["since"] != since.UTC().Format(time.RFC3339) {
		t.Errorf("manifest since %v", top["since"])
	}
	for _, r := range readRecords(t, filepath.Join(out, "received.json")) {
		at, err := time.Parse(time.RFC3339, r["at"].(string))
		if err != nil || at.Before(since) {
			t.Errorf("a record of %v is before --since", r["at"])
		}
	}

	for _, args := range [][]string{
		{"export", "--out", out, "--since", "2026-06-01"},
		{"export", "--archive", "--out", out, "--since", "June"},
		{"export", "--archive"},
	} {
		if code, _, _ := e.run("", args...); code != cli.ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, cli.ExitUsage)
		}
	}
	// An export that fails half way leaves no manifest, not even the
	// last one, to vouch for its files.
	if err := os.Remove(filepath.Join(out, "received.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(out, "received.json"), 0o700); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := e.run("", "export", "--archive", "--out", out); code != cli.ExitFailure {
		t.Errorf("export over a folder named received.json: exit %d, want %d", code, cli.ExitFailure)
	}
	if _, err := os.Stat(filepath.Join(out, "manifest.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed export left manifest.json (%v)", err)
	}
	blocked := filepath.Join(t.TempDir(), "a-file")
	_ = os.WriteFile(blocked, nil, 0o600)
	code, _, errOut := e.run("", "export", "--archive", "--out", filepath.Join(blocked, "archive"))
	if code != cli.ExitFailure || !strings.Contains(errOut, "The archive could not be written") {
		t.Errorf("export into a file: exit %d, %s", code, errOut)
	}
}

// noSecretIn fails if the account's token is in any file under dir.
func noSecretIn(t *testing.T, dir string) {
	t.Helper()
	_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, _ := os.ReadFile(path)
		if bytes.Contains(data, []byte(mastodontest.Token)) {
			t.Errorf("%s holds the account's token", path)
		}
		return nil
	})
}
