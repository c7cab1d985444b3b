package app

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/feeds/rss"
)

const healthFeed = `<?xml version="1.0"?><rss version="2.0"><channel><title>Ministry news</title>
<item><guid>n1</guid><title>Travel advice updated</title><pubDate>Sat, 28 Nov 2026 11:00:00 GMT</pubDate></item>
</channel></rss>`

// feedServer serves healthFeed on 127.0.0.1.
func feedServer(t *testing.T) string {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write([]byte(healthFeed))
	}))
	t.Cleanup(s.Close)
	return s.URL
}

// refusedAddress is an address on 127.0.0.1 where nothing listens.
func refusedAddress(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := "http://" + ln.Addr().String() + "/feed.xml"
	ln.Close()
	return addr
}

// withFeeds gives the fixture the real RSS network, a refresher that
// records account states in the workspace as the program does, and two
// feed accounts in Vienna at the given addresses.
func withFeeds(t *testing.T, f *fixture, good, bad string) {
	t.Helper()
	ws := f.params.Workspace.(*accounts.Workspace)
	for _, a := range []accounts.Account{
		{ID: "v-news", Mission: "vienna", Network: accounts.RSS, Server: good, Feeds: []string{good}, Handle: "Ministry news", Position: 1},
		{ID: "v-gone", Mission: "vienna", Network: accounts.RSS, Server: bad, Feeds: []string{bad}, Handle: "Old blog", Position: 2},
	} {
		if err := f.store.PutAccount(a); err != nil {
			t.Fatal(err)
		}
	}
	r := feeds.NewRefresher(feeds.Registry{accounts.Demo: f.net, accounts.RSS: rss.New(nil)}, f.store, func() time.Time { return testNow })
	r.OnAccountState = func(id string, s accounts.State) { _ = ws.SetState(id, s) }
	f.params.Refresher = r
}

// A feed whose server refuses the connection shows on its own row and in
// the column's status, while the other accounts of the column refresh fine
// and the window does not say it is offline.
func TestAWrongAddressIsNotHiddenByAnotherAccountsSuccess(t *testing.T) {
	f := newFixture(t)
	withFeeds(t, f, feedServer(t), refusedAddress(t))
	u := startSettled(t, f)
	col := u.columns[0]
	at := testNow.Local().Format("15:04")
	eventually(t, "both feeds refreshed", func() bool {
		return contains(col.root, "RSS/Atom · Ministry news · ok · "+at) &&
			contains(col.root, "RSS/Atom · Old blog · wrong address or server down")
	})
	if want := "Old blog: wrong address or server down · Refreshed now"; col.status.Text != want {
		t.Errorf("column status %q, want %q", col.status.Text, want)
	}
	if !contains(col.problems, "Old blog: No server answers at this address") {
		t.Errorf("problems %q", texts(col.problems))
	}
	if u.offline.Visible() || u.p.Refresher.Offline() {
		t.Error("a server refusing the connection put the window offline")
	}
	ws := f.params.Workspace.(*accounts.Workspace)
	eventually(t, "states stored", func() bool {
		good, _ := ws.Account("v-news")
		bad, _ := ws.Account("v-gone")
		return good.State == accounts.StateOK && good.LastOK.Equal(testNow) && bad.State == accounts.StateWrongAddress
	})
}

// The state and last success stored with the accounts show at start, from
// the cache, before any refresh.
func TestAccountHealthShowsAtStartFromTheCache(t *testing.T) {
	f := newFixture(t)
	withFeeds(t, f, feedServer(t), refusedAddress(t))
	lastOK := testNow.Add(-26 * time.Hour)
	for id, s := range map[string]accounts.State{"v-news": accounts.StateOffline, "v-gone": accounts.StateWrongAddress} {
		if err := f.store.UpdateAccount(id, func(a *accounts.Account) error { a.State, a.LastOK = s, lastOK; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	hold := make(chan struct{})       // no refresh finishes before the check
	t.Cleanup(func() { close(hold) }) // after the window is settled (cleanups run last first)
	f.params.Refresher = feeds.NewRefresher(feeds.Registry{accounts.Demo: heldNetwork{f.net, hold}, accounts.RSS: heldNetwork{rss.New(nil), hold}}, f.store, nil)
	u := startSettled(t, f)
	col := u.columns[0]
	since := "November 27, 2026 " + lastOK.Local().Format("15:04")
	if lastOK.Local().Day() != 27 {
		t.Skip("the test's local time zone moves the day")
	}
	for _, want := range []string{
		"RSS/Atom · Ministry news · offline since " + since,
		"RSS/Atom · Old blog · wrong address or server down · last ok " + since,
	} {
		if !contains(col.root, want) {
			t.Errorf("no %q in %q", want, texts(col.root))
		}
	}
	if !strings.HasPrefix(col.status.Text, "Old blog: wrong address or server down, and 1 more account · Refreshed") {
		t.Errorf("column status %q", col.status.Text)
	}
}

// startSettled starts the window, and at the end of the test closes it
// and waits until every refresh it started has ended and been applied, so
// that none reaches the next test's event queue.
func startSettled(t *testing.T, f *fixture) *ui {
	t.Helper()
	var inFlight atomic.Int32
	f.params.Refresher.Subscribe(func(e feeds.Event) {
		switch e.Phase {
		case feeds.Started:
			inFlight.Add(1)
		case feeds.Finished:
			uiDo(func() { inFlight.Add(-1) })
		}
	})
	u := f.start(t)
	t.Cleanup(func() {
		u.shutdown()
		eventually(t, "refreshes ended", func() bool { return inFlight.Load() == 0 })
		queue.drain()
	})
	return u
}

// heldNetwork is a network whose fetches wait until hold is closed.
type heldNetwork struct {
	feeds.Network
	hold chan struct{}
}

func (n heldNetwork) Fetch(ctx context.Context, a accounts.Account, k feeds.Kind) ([]feeds.Post, error) {
	select {
	case <-n.hold:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return n.Network.Fetch(ctx, a, k)
}
