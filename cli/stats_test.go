package cli_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/cli"
	"chancery/drafts"
	"chancery/feeds"
	"chancery/translations"
)

// runStats runs a command line with the Reach figures kept at refresh, as
// the binary is wired.
func (e *env) runStats(now time.Time, args ...string) (code int, stdout, stderr string) {
	e.t.Helper()
	var out, errOut bytes.Buffer
	r := feeds.NewRefresher(e.nets, e.db, nil)
	r.KeepStats(e.db)
	pub := drafts.NetworkPublisher{Accounts: e.ws, Networks: e.nets}
	code = cli.Run(context.Background(), cli.Services{
		Workspace: e.ws, Timelines: e.db, Refresher: r, Networks: e.nets, Loc: translations.New(e.lang),
		Drafts: drafts.NewService(e.db, nil), Outbox: drafts.NewOutbox(e.db, pub, nil), Publishing: pub,
		Stats: e.db, Now: func() time.Time { return now },
		In: strings.NewReader(""), Out: &out, Err: &errOut,
	}, args)
	return code, out.String(), errOut.String()
}

func TestStatsAfterARefreshOfTheDemo(t *testing.T) {
	e := newEnv(t, "")
	now := time.Now().Add(time.Minute)
	if code, _, errOut := e.runStats(now, "refresh", "--mission", "vienna"); code != cli.ExitOK {
		t.Fatalf("refresh: %d %s", code, errOut)
	}
	code, out, errOut := e.runStats(now, "stats", "--mission", "vienna", "--csv")
	if code != cli.ExitOK {
		t.Fatalf("stats --csv: %d %s", code, errOut)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	series := map[string]int{}
	for _, row := range rows[1:] {
		if row[0] != "vienna" {
			t.Fatalf("row of another mission: %v", row)
		}
		series[row[1]]++
	}
	if series["followers"] < 28 || series["likes"] == 0 || series["week_posts"] < 4 || series["hour_engagement"] != 24 {
		t.Errorf("series after a refresh of the demo: %v", series)
	}
	// The same numbers, computed by the one function the window calls too.
	m, _ := e.ws.Mission("vienna")
	accts, _ := e.ws.MissionAccounts("vienna")
	r, err := feeds.ComputeReach(e.db, m, accts, now.Add(-28*24*time.Hour), now)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := feeds.WriteCSV(&want, r); err != nil {
		t.Fatal(err)
	}
	if out != want.String() {
		t.Error("stats --csv differs from the computed series")
	}
	code, out, _ = e.runStats(now, "stats", "--mission", "vienna", "--json")
	var got []map[string]any
	if code != cli.ExitOK || json.Unmarshal([]byte(out), &got) != nil || len(got) != 1 {
		t.Fatalf("stats --json: %d %s", code, out)
	}
	for _, k := range []string{"mission", "time_zone", "target", "last_seven_days", "below_target", "audience", "posts", "weeks", "hours", "bilingual"} {
		if _, ok := got[0][k]; !ok {
			t.Errorf("field %q missing", k)
		}
	}
	code, out, _ = e.runStats(now, "stats")
	if code != cli.ExitOK || strings.Count(out, "in the last 7 days; target 3 to 4 a week.") != 5 || !strings.Contains(out, "Vienna · Europe/Vienna") {
		t.Errorf("stats of every mission: %d\n%s", code, out)
	}
}

func TestStatsTargetIsKeptAndWarns(t *testing.T) {
	e := newEnv(t, "")
	now := time.Now()
	code, out, errOut := e.runStats(now, "stats", "--mission", "beijing", "--target", "5-7")
	if code != cli.ExitOK || !strings.Contains(errOut, "5 to 7 posts a week") {
		t.Fatalf("--target: %d %q", code, errOut)
	}
	if !strings.Contains(out, "target 5 to 7 a week") || !strings.Contains(out, "Below the target") {
		t.Errorf("no publication and a target of 5: %s", out)
	}
	if got, _ := e.db.CadenceTarget("beijing"); got != (feeds.CadenceTarget{Min: 5, Max: 7}) {
		t.Errorf("stored target %+v", got)
	}
	e.lang = "fr"
	_, out, _ = e.runStats(now, "stats", "--mission", "beijing")
	if !strings.Contains(out, "Sous l'objectif") {
		t.Errorf("French: %s", out)
	}
}

func TestStatsRefusesBadCommandLines(t *testing.T) {
	e := newEnv(t, "")
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"stats", "--json", "--csv"}, cli.ExitUsage},
		{[]string{"stats", "--target", "3-4"}, cli.ExitUsage},
		{[]string{"stats", "--mission", "vienna", "--target", "4-3"}, cli.ExitUsage},
		{[]string{"stats", "--mission", "vienna", "--target", "many"}, cli.ExitUsage},
		{[]string{"stats", "--since", "yesterday"}, cli.ExitUsage},
		{[]string{"stats", "extra"}, cli.ExitUsage},
		{[]string{"stats", "--mission", "atlantis"}, cli.ExitFailure},
	} {
		code, _, errOut := e.runStats(time.Now(), c.args...)
		if code != c.code || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q", c.args, code, errOut)
		}
	}
	if got, _ := e.db.CadenceTarget("vienna"); got != feeds.DefaultTarget {
		t.Errorf("a refused target was stored: %+v", got)
	}
	if _, err := e.ws.Mission("atlantis"); err == nil || !strings.Contains(err.Error(), accounts.ErrNoMission.Error()) {
		t.Errorf("unknown mission: %v", err)
	}
}
