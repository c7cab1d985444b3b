package app

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"chancery/accounts"
	"chancery/feeds"
)

// memDesk keeps watches, alert claims and inbox states in memory (the
// package never imports storage; storage's own tests cover the file).
type memDesk struct {
	mu      sync.Mutex
	watches map[string]feeds.Watch
	claims  map[string]time.Time
	states  map[string]feeds.InboxState
}

func newMemDesk() *memDesk {
	return &memDesk{watches: map[string]feeds.Watch{}, claims: map[string]time.Time{}, states: map[string]feeds.InboxState{}}
}

func (d *memDesk) Watch(id string) (feeds.Watch, bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	w, ok := d.watches[id]
	return w, ok, nil
}

func (d *memDesk) SetWatch(id string, w feeds.Watch) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.watches[id] = w
	return nil
}

func (d *memDesk) ClaimAlerts(claims []feeds.AlertClaim) ([]bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	fresh := make([]bool, len(claims))
	for i, c := range claims {
		if _, ok := d.claims[c.Key]; !ok {
			d.claims[c.Key] = c.PostTime
			fresh[i] = true
		}
	}
	return fresh, nil
}

func (d *memDesk) PruneAlerts(time.Time) error { return nil }

func (d *memDesk) InboxStates() (map[string]feeds.InboxState, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := map[string]feeds.InboxState{}
	for k, v := range d.states {
		out[k] = v
	}
	return out, nil
}

func (d *memDesk) SetInboxState(acct, post string, s feeds.InboxState) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.states[feeds.InboxKey(acct, post)] = s
	return nil
}

// notifyingApp records the desktop notifications sent.
type notifyingApp struct {
	fyne.App
	mu   sync.Mutex
	sent []*fyne.Notification
}

func (a *notifyingApp) SendNotification(n *fyne.Notification) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sent = append(a.sent, n)
}

func (a *notifyingApp) notifications() []*fyne.Notification {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]*fyne.Notification(nil), a.sent...)
}

func TestWatchViewNotificationsAndInboxCount(t *testing.T) {
	f := newFixture(t)
	desk := newMemDesk()
	f.params.Watches, f.params.Inbox = desk, desk
	var mu sync.Mutex
	fresh := false // the second refresh brings a new post
	f.net.posts = func(a accounts.Account) []feeds.Post {
		ps := []feeds.Post{
			{ID: "old", Author: "Old", Text: "Old VISA question", CreatedAt: testNow.Add(-2 * time.Hour), URL: "https://example.org/old/" + a.ID},
			{ID: "plain", Author: "Plain", Text: "Reception tonight", CreatedAt: testNow.Add(-time.Hour)},
			{ID: "q", Author: "Anna", AuthorHandle: "@anna@example.org", Text: "@embassy a question", CreatedAt: testNow.Add(-3 * time.Hour), Notification: "mention"},
		}
		mu.Lock()
		defer mu.Unlock()
		if fresh && a.Mission == "vienna" {
			ps = append(ps, feeds.Post{ID: "new", Author: "Bernd", Text: "Achtung, Betrug mit Visaterminen!", CreatedAt: testNow.Add(time.Minute), URL: "https://example.org/new"})
		}
		return ps
	}
	// Every watch starts before the first refresh: its posts are backlog.
	for _, m := range []string{"vienna", "the-hague", "beijing", "new-york", "washington"} {
		desk.watches[m] = feeds.Watch{Words: []string{"visa", "Betrug"}, Since: testNow}
	}
	app := &notifyingApp{App: test.NewTempApp(t)}
	u := newUI(app, f.params)
	u.window.Resize(fyne.NewSize(1400, 800))
	u.window.Show()
	vienna := u.columns[0]
	eventually(t, "first posts", func() bool { return len(vienna.posts) == 3 })

	vienna.setView(watchView)
	eventually(t, "the watch view", func() bool { return len(vienna.posts) == 1 && vienna.posts[0].Post.ID == "old" })
	if n := app.notifications(); len(n) != 0 {
		t.Fatalf("the backlog notified: %v", n)
	}
	// The mention waits for a reply: each column's header counts it.
	eventually(t, "inbox count", func() bool { return u.inbox.counts["vienna"] == 1 && u.inbox.counts["beijing"] == 1 })
	if b := u.inbox.badges["vienna"]; b.Hidden || !strings.Contains(b.Text, "1") {
		t.Fatalf("vienna's badge: %q hidden %v", b.Text, b.Hidden)
	}

	mu.Lock()
	fresh = true
	mu.Unlock()
	u.refreshAll()
	eventually(t, "the new post in the watch view", func() bool { return len(vienna.posts) == 2 })
	eventually(t, "one notification", func() bool { return len(app.notifications()) == 1 })
	n := app.notifications()[0]
	if !strings.Contains(n.Title, "Vienna") || !strings.Contains(n.Title, "Bernd") || !strings.Contains(n.Content, "Betrug") {
		t.Fatalf("notification: %q / %q", n.Title, n.Content)
	}
	// Refreshed again, the post does not notify twice.
	u.refreshAll()
	eventually(t, "refresh done", func() bool { return len(vienna.running) == 0 })
	time.Sleep(50 * time.Millisecond)
	queue.drain()
	if got := len(app.notifications()); got != 1 {
		t.Fatalf("%d notifications after a second refresh", got)
	}

	// Handled by hand, the mention leaves the count.
	u.showInbox()
	eventually(t, "inbox items", func() bool { return len(u.inbox.items) == 5 })
	u.markHandled(u.inbox.items[0])
	eventually(t, "handled", func() bool { s, _ := desk.InboxStates(); return len(u.inbox.items) == 4 && len(s) == 1 })
}

// TestABurstOfMatchesNotifiesAFewAndCountsTheRest: ten matching posts of
// one mission in one burst give three notifications and one that counts
// the seven others; another mission's post still has its own.
func TestABurstOfMatchesNotifiesAFewAndCountsTheRest(t *testing.T) {
	f := newFixture(t)
	app := &notifyingApp{App: test.NewTempApp(t)}
	u := newUI(app, f.params)
	defer u.shutdown()
	vienna := accounts.Mission{ID: "vienna", Names: map[string]string{"en": "Vienna"}}
	beijing := accounts.Mission{ID: "beijing", Names: map[string]string{"en": "Beijing"}}
	var alerts []feeds.Alert
	for i := range 10 {
		alerts = append(alerts, feeds.Alert{
			Mission: vienna, Words: []string{"visa"},
			Post: feeds.Post{ID: fmt.Sprint(i), Author: fmt.Sprint("Author ", i), Text: "visa question"},
		})
	}
	alerts = append(alerts, feeds.Alert{Mission: beijing, Words: []string{"签证"}, Post: feeds.Post{ID: "b", Author: "B", Text: "签证"}})
	u.notifyAll(alerts) // sends off the UI goroutine
	eventually(t, "five notifications", func() bool { return len(app.notifications()) >= 5 })
	sent := app.notifications()
	if len(sent) != 5 {
		t.Fatalf("%d notifications, want 3 + 1 for Beijing + 1 summary", len(sent))
	}
	var summary *fyne.Notification
	for _, n := range sent {
		if strings.Contains(n.Content, "7 more") {
			summary = n
		}
	}
	if summary == nil || !strings.Contains(summary.Title, "Vienna") {
		t.Errorf("no summary of the 7 others: %+v", sent)
	}
}
