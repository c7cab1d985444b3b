package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/cli"
	"chancery/feeds"
	"chancery/search"
	"chancery/storage"
	"chancery/translations"
)

// searchEnv is a profile with the default workspace and posts cached for
// the Vienna and Beijing demo accounts.
type searchEnv struct {
	t    *testing.T
	dir  string
	db   *storage.DB
	ws   *accounts.Workspace
	lang string
}

var searchT0 = time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)

func newSearchEnv(t *testing.T) *searchEnv {
	t.Helper()
	e := &searchEnv{t: t, dir: t.TempDir(), lang: "en"}
	db, err := storage.Open(filepath.Join(e.dir, "chancery.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	e.db = db
	e.ws = accounts.NewWorkspace(db, accounts.NewSessionSecrets(accounts.NewKeyring()), nil)
	if _, err := e.ws.EnsureDefault(); err != nil {
		t.Fatal(err)
	}
	e.put("vienna-demo", feeds.Home,
		searchPost("v1", "fr", "Les services CONSULAIRES et les visas restent ouverts lundi.", 1),
		searchPost("v2", "de", "Visumanträge werden bis Freitag bearbeitet.", 2),
	)
	e.put("beijing-demo", feeds.Home,
		searchPost("b1", "zh-Hans", "警惕签证诈骗：大使馆从不通过电话收费。", 3),
		searchPost("b2", "en", "Consular help and visa appointments for citizens in Pékin.", 4),
	)
	return e
}

func searchPost(id, lang, text string, minutes int) feeds.Post {
	return feeds.Post{
		ID: id, Network: accounts.Demo, Author: "Author " + id, Text: text, Lang: lang,
		CreatedAt: searchT0.Add(time.Duration(minutes) * time.Minute), URL: "https://example.org/" + id,
		ReplyTo: "", Counts: feeds.Counts{Likes: 3},
	}
}

func (e *searchEnv) put(account string, kind feeds.Kind, posts ...feeds.Post) {
	e.t.Helper()
	for i := range posts {
		posts[i].Account = account
	}
	if _, err := e.db.PutPosts(feeds.TimelineKey{Account: account, Kind: kind}, posts, searchT0); err != nil {
		e.t.Fatal(err)
	}
}

// run runs one command line as the binary would: the index follows the
// database while the command runs, and is closed after it.
func (e *searchEnv) run(args ...string) (code int, stdout, stderr string) {
	e.t.Helper()
	idx, err := search.New(filepath.Join(e.dir, "search-index"), e.db)
	if err != nil {
		e.t.Fatal(err)
	}
	e.db.ObservePosts(idx.Observe)
	defer func() {
		e.db.ObservePosts(nil)
		if err := idx.Close(); err != nil {
			e.t.Error(err)
		}
	}()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	code = cli.Run(ctx, cli.Services{
		Workspace: e.ws, Timelines: e.db, Loc: translations.New(e.lang),
		Search: idx, Out: &out, Err: &errOut,
	}, args)
	return code, out.String(), errOut.String()
}

func TestSearchBuildsTheIndexThenFinds(t *testing.T) {
	e := newSearchEnv(t)
	code, out, errOut := e.run("search", "visa")
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "Building the search index") {
		t.Errorf("no build progress on stderr: %q", errOut)
	}
	for _, want := range []string{"Beijing", "Vienna", "Author b2", "**visa**", "**visas**", "https://example.org/v1"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Index(out, "b2") > strings.Index(out, "v1") {
		t.Errorf("not newest first:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(e.dir, "search-index", "format.json")); err != nil {
		t.Errorf("index not kept beside the database: %v", err)
	}
	// The second search opens the index as it is.
	code, out, errOut = e.run("search", "签证")
	if code != cli.ExitOK || strings.Contains(errOut, "Building") || !strings.Contains(out, "**签证**") {
		t.Fatalf("second search: exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestSearchJSON(t *testing.T) {
	e := newSearchEnv(t)
	code, out, errOut := e.run("search", "--json", "visumantrage")
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	hits := decodeArray(t, out)
	if len(hits) != 1 {
		t.Fatalf("%d hits: %s", len(hits), out)
	}
	h := hits[0]
	if missing := missingFields(h, "id", "account", "network", "author", "text", "lang", "created_at", "url",
		"reply_to", "counts", "mission", "kinds", "snippet", "matches"); len(missing) > 0 {
		t.Fatalf("missing fields %v in %s", missing, out)
	}
	if h["created_at"] != "2026-03-14T09:02:00Z" {
		t.Errorf("created_at %v", h["created_at"])
	}
	if h["id"] != "v2" || h["account"] != "vienna-demo" || h["mission"] != "vienna" || h["network"] != "demo" {
		t.Errorf("hit: %v", h)
	}
	matches, _ := h["matches"].([]any)
	var marked []string
	for _, m := range matches {
		if span, _ := m.(map[string]any); span["match"] == true {
			marked = append(marked, span["text"].(string))
		}
	}
	if strings.Join(marked, ",") != "Visumanträge" {
		t.Errorf("marked %v", marked)
	}
}

func TestSearchFiltersFromTheCommandLine(t *testing.T) {
	e := newSearchEnv(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"visa"}, "b2,v1"},
		{[]string{"visa", "--mission", "vienna"}, "v1"},
		{[]string{"--account", "beijing-demo", "visa"}, "b2"},
		{[]string{"visa", "--since", "2026-03-14T09:03:00Z"}, "b2"},
		{[]string{"visa", "--limit=1"}, "b2"},
		{[]string{"visa", "--mission", "new-york"}, ""},
		{[]string{"visa", "-consular"}, "v1"},
		{[]string{"--", "visa", "-consulaires"}, "b2"},
		{[]string{"PEKIN", "visa"}, "b2"},
		{[]string{"consulaire"}, "v1"},
	}
	for _, c := range cases {
		args := append([]string{"search", "--json"}, c.args...)
		code, out, errOut := e.run(args...)
		if code != cli.ExitOK {
			t.Fatalf("%v: exit %d: %s", c.args, code, errOut)
		}
		var ids []string
		for _, h := range decodeArray(t, out) {
			ids = append(ids, h["id"].(string))
		}
		if got := strings.Join(ids, ","); got != c.want {
			t.Errorf("%v: %s, want %s", c.args, got, c.want)
		}
	}
}

func TestSearchRefusals(t *testing.T) {
	e := newSearchEnv(t)
	cases := []struct {
		lang string
		args []string
		code int
		want string
	}{
		{"en", []string{"search", `"visa fraud`}, cli.ExitUsage, "quotation mark is not closed"},
		{"fr", []string{"search", `"visa fraud`}, cli.ExitUsage, "guillemet n'est pas fermé"},
		{"en", []string{"search", "-visa"}, cli.ExitUsage, "only leaves words out"},
		{"en", []string{"search", "!!!"}, cli.ExitUsage, "no letters or digits"},
		{"de", []string{"search", "visa", "--since", "gestern"}, cli.ExitUsage, "Datum ist nicht verständlich"},
		{"en", []string{"search"}, cli.ExitUsage, "Usage:"},
		{"en", []string{"search", "visa", "--limit", "0"}, cli.ExitUsage, "Usage:"},
		{"en", []string{"search", "visa", "--mission", "atlantis"}, cli.ExitFailure, "Error:"},
	}
	for _, c := range cases {
		e.lang = c.lang
		code, out, errOut := e.run(c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) || out != "" || strings.Contains(errOut, "bad input") {
			t.Errorf("%v (%s): exit %d, stdout %q, stderr %q; want exit %d and %q", c.args, c.lang, code, out, errOut, c.code, c.want)
		}
	}
}
