package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/cli"
	"chancery/drafts"
	"chancery/feeds"
	"chancery/feeds/facebook"
	"chancery/feeds/facebook/fbtest"
	"chancery/feeds/x/xtest"
	"chancery/translations"
)

// runReach runs a command line on e's profile with the Reach figures kept
// at each refresh, as the binary is wired.
func (e *xEnv) runReach(args ...string) (int, string, string) {
	e.t.Helper()
	var out, errOut bytes.Buffer
	pub := drafts.NetworkPublisher{Accounts: e.ws, Networks: e.nets}
	r := feeds.NewRefresher(e.nets, e.db, nil)
	r.KeepStats(e.db)
	r.OnAccountState = func(id string, s accounts.State) { _ = e.ws.SetState(id, s) }
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	code := cli.Run(ctx, cli.Services{
		Workspace: e.ws, Timelines: e.db, Refresher: r, Networks: e.nets, Keyring: e.keyring,
		Loc: translations.New("en"), Drafts: drafts.NewService(e.db, nil), Outbox: drafts.NewOutbox(e.db, pub, nil),
		Publishing: pub, Stats: e.db, In: strings.NewReader(""), Out: &out, Err: &errOut,
	}, args)
	return code, out.String(), errOut.String()
}

func TestStatsShowXAndFacebookFollowersAfterRefresh(t *testing.T) {
	e := newXEnv(t)
	graph := fbtest.New(time.Now())
	t.Cleanup(graph.Close)
	e.nets[accounts.Facebook] = facebook.New(accounts.NewSessionSecrets(e.keyring))
	e.srv.SetAudience(xtest.Audience{Followers: 12480, Following: 311, Tweets: 4021})
	graph.SetAudience(1700, 1650)
	xID := e.addX()
	fbID := strings.TrimSpace(e.ok(fbtest.UserToken+"\n", "accounts", "add", "--mission", "vienna", "--network", "facebook",
		"--server", graph.URL, "--handle", fbtest.PageID, "--secret-stdin"))
	xPost := e.srv.AddPost("Visa appointments open on Monday", time.Now().Add(-time.Hour))
	fbPost := graph.AddPost("Horaires du consulat", time.Now().Add(-time.Hour))
	for _, id := range []string{xID, fbID} {
		if code, _, errOut := e.runReach("refresh", "--account", id); code != cli.ExitOK {
			t.Fatalf("refresh %s: %d %s", id, code, errOut)
		}
	}
	meCalls := e.srv.Calls("GET /2/users/me")
	if code, _, errOut := e.runReach("refresh", "--account", xID); code != cli.ExitOK {
		t.Fatalf("second refresh: %d %s", code, errOut)
	}
	if e.srv.Calls("GET /2/users/me") != meCalls {
		t.Error("a refresh right after the last one read X's audience again (a paid read)")
	}
	code, out, errOut := e.runReach("stats", "--mission", "vienna", "--json")
	if code != cli.ExitOK {
		t.Fatalf("stats: %d %s", code, errOut)
	}
	var reach []struct {
		Audience []struct {
			Account                     string
			Followers, Following, Posts int
		} `json:"audience"`
		Posts []struct {
			Account, ID string
			Counts      feeds.Counts
		} `json:"posts"`
	}
	if err := json.Unmarshal([]byte(out), &reach); err != nil || len(reach) != 1 {
		t.Fatalf("stats --json: %v\n%s", err, out)
	}
	followers := map[string][3]int{}
	for _, a := range reach[0].Audience {
		followers[a.Account] = [3]int{a.Followers, a.Following, a.Posts}
	}
	if got := followers[xID]; got != [3]int{12480, 311, 4022} {
		t.Errorf("X audience %v, want 12480 followers, 311 following, 4022 posts", got)
	}
	if got := followers[fbID]; got != [3]int{1700, 0, 0} {
		t.Errorf("Facebook audience %v, want 1700 followers", got)
	}
	seen := map[string]string{}
	for _, p := range reach[0].Posts {
		seen[p.ID] = p.Account
	}
	if seen[xPost] != xID || seen[fbPost] != fbID {
		t.Errorf("own posts in the Reach %v; want %s of %s and %s of %s", seen, xPost, xID, fbPost, fbID)
	}
}
