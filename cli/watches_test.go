package cli_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/cli"
	"chancery/feeds"
	"chancery/translations"
)

// desk runs a command line with the watches and the inbox wired, at now.
func (e *env) desk(now time.Time, args ...string) (code int, stdout, stderr string) {
	e.t.Helper()
	var out, errOut bytes.Buffer
	code = cli.Run(context.Background(), cli.Services{
		Workspace: e.ws, Timelines: e.db, Loc: translations.New(e.lang),
		Watches: e.db, Inbox: e.db, Now: func() time.Time { return now },
		Out: &out, Err: &errOut,
	}, args)
	return code, out.String(), errOut.String()
}

func TestWatchesListSetAndQuietHours(t *testing.T) {
	e := newEnv(t, "")
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	code, out, errOut := e.desk(now, "watches", "list", "--json")
	if code != cli.ExitOK {
		t.Fatalf("list: %d %s", code, errOut)
	}
	byMission := map[string]map[string]any{}
	for _, w := range decodeArray(t, out) {
		byMission[w["mission"].(string)] = w
	}
	if len(byMission) != 5 || !strings.Contains(mustString(t, byMission["beijing"]["words"]), "签证") ||
		!strings.Contains(mustString(t, byMission["vienna"]["words"]), "Betrug") ||
		strings.Contains(mustString(t, byMission["new-york"]["words"]), "Betrug") {
		t.Fatalf("default watches: %s", out)
	}
	if code, _, errOut := e.desk(now, "watches", "set", "vienna", "Visum", "visa fraud", "VISUM"); code != cli.ExitOK {
		t.Fatalf("set: %d %s", code, errOut)
	}
	if code, _, _ := e.desk(now, "watches", "quiet", "vienna", "22:00", "7h"); code != cli.ExitFailure {
		t.Fatalf("bad quiet hours: exit %d", code)
	}
	if code, _, errOut := e.desk(now, "watches", "quiet", "vienna", "22:00", "07:00"); code != cli.ExitOK {
		t.Fatalf("quiet: %d %s", code, errOut)
	}
	w, ok, err := e.db.Watch("vienna")
	if err != nil || !ok || strings.Join(w.Words, "|") != "Visum|visa fraud" || w.QuietFrom != "22:00" || w.QuietTo != "07:00" {
		t.Fatalf("stored watch: %+v %v %v", w, ok, err)
	}
	if code, _, _ := e.desk(now, "watches", "set", "atlantis", "visa"); code != cli.ExitFailure {
		t.Fatalf("unknown mission: exit %d", code)
	}
	if code, _, _ := e.desk(now, "watches", "set", "vienna"); code != cli.ExitUsage {
		t.Fatalf("no words: exit %d", code)
	}
}

func mustString(t *testing.T, v any) string {
	t.Helper()
	var b strings.Builder
	for _, x := range v.([]any) {
		b.WriteString(x.(string) + " ")
	}
	return b.String()
}

// demoAccount returns the default workspace's account of a mission.
func (e *env) demoAccount(mission string) accounts.Account {
	e.t.Helper()
	as, err := e.ws.MissionAccounts(mission)
	if err != nil || len(as) == 0 {
		e.t.Fatalf("accounts of %s: %v %v", mission, as, err)
	}
	return as[0]
}

func TestInboxListsMentionsOfTwoMissionsOldestFirst(t *testing.T) {
	e := newEnv(t, "")
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	vienna, beijing := e.demoAccount("vienna"), e.demoAccount("beijing")
	put := func(a accounts.Account, kind feeds.Kind, posts ...feeds.Post) {
		t.Helper()
		if _, err := e.db.PutPosts(feeds.TimelineKey{Account: a.ID, Kind: kind}, posts, now); err != nil {
			t.Fatal(err)
		}
	}
	mention := func(a accounts.Account, id, kind string, age time.Duration) feeds.Post {
		return feeds.Post{
			ID: id, Account: a.ID, Author: "Someone " + id, AuthorHandle: "@" + id + "@example.org",
			Text: "Question " + id, CreatedAt: now.Add(-age), Notification: kind,
		}
	}
	put(vienna, feeds.Mentions, mention(vienna, "v1", "mention", 2*time.Hour), mention(vienna, "v2", "like", 5*time.Hour),
		mention(vienna, "v3", "reply", 30*time.Minute))
	put(beijing, feeds.Mentions, mention(beijing, "b1", "mention", 3*time.Hour), mention(beijing, "b2", "mention", time.Hour))
	// Beijing's own reply to b2 is in the cache: b2 is answered.
	put(beijing, feeds.Own, feeds.Post{
		ID: "own1", Account: beijing.ID, Author: "Embassy", AuthorHandle: beijing.Handle,
		Text: "Thank you", CreatedAt: now.Add(-10 * time.Minute), ReplyTo: "b2",
	})

	code, out, errOut := e.desk(now, "inbox", "--json")
	if code != cli.ExitOK {
		t.Fatalf("inbox: %d %s", code, errOut)
	}
	items := decodeArray(t, out)
	var got []string
	for _, it := range items {
		got = append(got, it["id"].(string)+"@"+it["mission"].(string))
		if missing := missingFields(it, "id", "account", "network", "author", "text", "lang", "created_at", "url",
			"reply_to", "counts", "mission", "kind", "age_seconds"); len(missing) > 0 {
			t.Errorf("missing %v in %v", missing, it)
		}
	}
	if want := "b1@beijing v1@vienna v3@vienna"; strings.Join(got, " ") != want {
		t.Fatalf("inbox = %q, want %q", got, want)
	}
	if age := items[0]["age_seconds"].(float64); age != 3*3600 {
		t.Errorf("age of b1 = %v", age)
	}
	// Handled by hand: it stays so for the next run.
	if code, _, errOut := e.desk(now, "inbox", "handled", beijing.ID, "b1"); code != cli.ExitOK {
		t.Fatalf("handled: %d %s", code, errOut)
	}
	_, out, _ = e.desk(now, "inbox")
	if strings.Contains(out, "Question b1") || !strings.Contains(out, "Question v1") || !strings.Contains(out, "2h00m") {
		t.Fatalf("after handled: %s", out)
	}
	if code, _, _ := e.desk(now, "inbox", "handled", "nobody", "x"); code != cli.ExitFailure {
		t.Fatalf("unknown account: exit %d", code)
	}
}
