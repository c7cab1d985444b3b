package cli_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chancery/cli"
)

// entryFields are the fields §9 promises for an outbox entry.
var entryFields = []string{"id", "account", "text", "state", "remote_id", "updated_at"}

// outboxList returns `outbox list --json`, checking every entry's fields.
func (p *pubEnv) outboxList() []map[string]any {
	p.t.Helper()
	list := decodeArray(p.t, p.ok("", "outbox", "list", "--json"))
	for _, e := range list {
		if m := missingFields(e, entryFields...); len(m) > 0 {
			p.t.Errorf("outbox entry lacks %v: %v", m, e)
		}
		rfc3339(p.t, "updated_at", e["updated_at"])
	}
	return list
}

func writeText(t *testing.T, text string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "post.txt")
	if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// timeline refreshes an account and returns the texts, by id, of its
// cached timeline.
func (p *pubEnv) timeline(account string) map[string]string {
	p.t.Helper()
	p.ok("", "refresh", "--account", account)
	byID := map[string]string{}
	for _, post := range decodeArray(p.t, p.ok("", "timeline", "--account", account, "--json")) {
		byID[post["id"].(string)] = post["text"].(string)
	}
	return byID
}

func countText(posts map[string]string, text string) int {
	n := 0
	for _, t := range posts {
		if t == text {
			n++
		}
	}
	return n
}

func TestPostToTwoDemoAccounts(t *testing.T) {
	p := newPubEnv(t)
	const text = "Consular hours change on Monday."
	file := writeText(t, text+"\n")
	out := p.ok("", "post", "--account", "vienna-demo,the-hague-demo", "--lang", "en", "--text-file", file)
	for _, s := range []string{"vienna-demo", "the-hague-demo", "Sent", text, "https://demo.invalid/"} {
		if !strings.Contains(out, s) {
			t.Errorf("post output lacks %q:\n%s", s, out)
		}
	}
	list := p.outboxList()
	if len(list) != 2 {
		t.Fatalf("outbox holds %d entries, want 2: %v", len(list), list)
	}
	remote := map[string]string{}
	for i, want := range []string{"vienna-demo", "the-hague-demo"} {
		e := list[i]
		if e["account"] != want || e["state"] != "sent" || e["text"] != text || e["lang"] != "en" || e["remote_id"] == "" {
			t.Errorf("entry %d = %v, want a sent entry of %s with a remote id", i, e, want)
		}
		remote[want], _ = e["remote_id"].(string)
	}
	if got := strings.TrimSpace(p.ok("", "drafts", "list", "--json")); got != "[]" {
		t.Errorf("the published draft is still a draft: %s", got)
	}
	if n := p.demo.count(); n != 2 {
		t.Errorf("demo network asked to publish %d times, want 2", n)
	}
	// The posts are in each account's timeline, under their remote ids.
	for account, id := range remote {
		if got := p.timeline(account)[id]; got != text {
			t.Errorf("%s's timeline has %q under %s, want the post", account, got, id)
		}
	}

	// The same text again is a new draft, so new posts.
	p.ok("", "post", "--account", "vienna-demo,the-hague-demo", "--lang", "en", "--text-file", file)
	list = p.outboxList()
	if len(list) != 4 {
		t.Fatalf("outbox holds %d entries, want 4", len(list))
	}
	seen := map[string]bool{}
	for _, e := range list {
		key := fmt.Sprint(e["account"], "/", e["remote_id"])
		if e["state"] != "sent" || seen[key] {
			t.Errorf("entry %v: not sent, or a remote id used twice", e)
		}
		seen[key] = true
	}
	if n := p.demo.count(); n != 4 {
		t.Errorf("demo network asked to publish %d times, want 4", n)
	}

	// A flush has nothing left to send and sends nothing again.
	code, out, errOut := p.run("", "outbox", "flush")
	if code != cli.ExitOK || out != "" || !strings.Contains(errOut, "Outbox: 0 sent, 0 failed, 0 waiting.") {
		t.Errorf("flush: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if n := p.demo.count(); n != 4 {
		t.Errorf("a flush re-sent sent posts: %d publish calls, want 4", n)
	}
	for _, account := range []string{"vienna-demo", "the-hague-demo"} {
		if n := countText(p.timeline(account), text); n != 2 {
			t.Errorf("%s's timeline holds the post %d times, want 2", account, n)
		}
	}
}

func TestPostFromStdinJSON(t *testing.T) {
	p := newPubEnv(t)
	list := decodeArray(t, p.ok("Willkommen in Wien.\n", "post", "--account", "vienna-demo", "--lang", "de", "--text-file", "-", "--json"))
	if len(list) != 1 || missingFields(list[0], entryFields...) != nil {
		t.Fatalf("post --json: %v", list)
	}
	if e := list[0]; e["text"] != "Willkommen in Wien." || e["lang"] != "de" || e["state"] != "sent" {
		t.Errorf("entry %v", e)
	}
}

func TestPostTooLong(t *testing.T) {
	p := newPubEnv(t)
	// 501 characters (1002 bytes): one over the demo network's limit.
	long := strings.Repeat("é", 501)
	code, out, errOut := p.run(long, "post", "--account", "vienna-demo,the-hague-demo", "--text-file", "-")
	if code != cli.ExitFailure || out != "" || !strings.Contains(errOut, "The text counts 501 characters; this network allows 500.") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if list := p.outboxList(); len(list) != 0 {
		t.Errorf("a refused text was queued: %v", list)
	}
	if got := strings.TrimSpace(p.ok("", "drafts", "list", "--json")); got != "[]" {
		t.Errorf("a refused post left a draft: %s", got)
	}
	if n := p.demo.count(); n != 0 {
		t.Errorf("demo network asked to publish %d times", n)
	}
	p.lang = "fr"
	if code, _, errOut := p.run(long, "post", "--account", "vienna-demo", "--text-file", "-"); code != cli.ExitFailure ||
		!strings.Contains(errOut, "Le texte compte 501 caractères ; ce réseau en autorise 500.") {
		t.Errorf("French: exit %d, stderr %q", code, errOut)
	}
	// Exactly the limit, counted in characters, goes out.
	p.ok(strings.Repeat("é", 500), "post", "--account", "vienna-demo", "--text-file", "-")
	if list := p.outboxList(); len(list) != 1 || list[0]["state"] != "sent" {
		t.Errorf("a text of 500 characters: %v", list)
	}
}

func TestPostRefusedBeforeQueueing(t *testing.T) {
	p := newPubEnv(t)
	file := writeText(t, "Hello")
	code, out, errOut := p.run("", "post", "--account", "vienna-demo,atlantis-demo", "--text-file", file)
	if code != cli.ExitFailure || out != "" || !strings.Contains(errOut, "There is no account with that id.") {
		t.Errorf("unknown account: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	// An account whose network cannot post (a feed).
	_, feedOut, _ := p.run("", "accounts", "add", "--mission", "vienna", "--network", "rss", "--server", "https://example.org/feed.xml")
	feedID := strings.TrimSpace(feedOut)
	code, _, errOut = p.run("", "post", "--account", "vienna-demo,"+feedID, "--text-file", file)
	if code != cli.ExitFailure || !strings.Contains(errOut, "This account cannot publish.") {
		t.Errorf("feed account: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = p.run("", "post", "--account", "vienna-demo", "--text-file", filepath.Join(t.TempDir(), "missing.txt"))
	if code != cli.ExitFailure || !strings.Contains(errOut, "missing.txt") {
		t.Errorf("missing file: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = p.run("  \n\n", "post", "--account", "vienna-demo", "--text-file", "-")
	if code != cli.ExitFailure || !strings.Contains(errOut, "The draft has no text to publish.") {
		t.Errorf("blank text: exit %d, stderr %q", code, errOut)
	}
	if list := p.outboxList(); len(list) != 0 {
		t.Errorf("queued: %v", list)
	}
	if got := strings.TrimSpace(p.ok("", "drafts", "list", "--json")); got != "[]" {
		t.Errorf("drafts left behind: %s", got)
	}
	if n := p.demo.count(); n != 0 {
		t.Errorf("demo network asked to publish %d times", n)
	}
}

func TestPostAndOutboxUsage(t *testing.T) {
	p := newPubEnv(t)
	file := writeText(t, "Hello")
	cases := [][]string{
		{"post", "--account", "vienna-demo"},
		{"post", "--text-file", file},
		{"post", "--account", "", "--text-file", file},
		{"post", "--account", "vienna-demo", "--text-file", file, "extra"},
		{"post", "--account", "vienna-demo", "--text", "Hello"},
		{"outbox"},
		{"outbox", "send"},
		{"outbox", "list", "extra"},
		{"outbox", "flush", "--force"},
	}
	for _, args := range cases {
		code, out, errOut := p.run("Hello", args...)
		if code != cli.ExitUsage || out != "" || !strings.Contains(errOut, "Usage") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	if list := p.outboxList(); len(list) != 0 || p.demo.count() != 0 {
		t.Errorf("usage errors queued %v", list)
	}
}
