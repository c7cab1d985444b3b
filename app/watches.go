package app

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"fyne.io/fyne/v2"

	"chancery/accounts"
	"chancery/feeds"
)

// The monitoring desk's watches: each mission's keyword set is shown as a
// column view ("Watch") and new matching posts raise desktop
// notifications (feeds.Alerter decides which, each once).

// watchView is the view of a column showing its mission's watch. Its
// timelines are read under watchKind keys, which name the mission and the
// account's main timeline; watchTimelines filters them.
const watchView feeds.Kind = "watch"

const watchPrefix = "watch:"

// watchKind is the kind under which a column in the Watch view reads an
// account's timeline k, filtered by the mission's watch.
func watchKind(mission string, k feeds.Kind) feeds.Kind {
	return feeds.Kind(watchPrefix + mission + "/" + string(k))
}

// unwatch returns the plain kind under a watch kind, and its mission.
func unwatch(k feeds.Kind) (plain feeds.Kind, mission string, ok bool) {
	rest, ok := strings.CutPrefix(string(k), watchPrefix)
	if !ok {
		return k, "", false
	}
	mission, kind, ok := strings.Cut(rest, "/")
	if !ok {
		return k, "", false
	}
	return feeds.Kind(kind), mission, true
}

// watches is the ui's part of the desk, used by the goroutines that read
// columns and check alerts as well as the UI goroutine.
type watches struct {
	store   feeds.WatchStore
	alerter *feeds.Alerter

	mu        sync.Mutex
	matchers  map[string]*feeds.Matcher // by mission id
	missions  map[string]accounts.Mission
	missionOf map[string]string // account id -> mission id
	queue     []feeds.Result    // finished refreshes to check for alerts
	wake      chan struct{}
}

func newWatches(store feeds.WatchStore, p Params) *watches {
	return &watches{
		store: store, alerter: feeds.NewAlerter(store, p.Timelines, p.Workspace, p.Now),
		matchers: map[string]*feeds.Matcher{}, wake: make(chan struct{}, 1),
	}
}

// setWorkspace notes the missions and who belongs where (on each build).
func (w *watches) setWorkspace(ms []accounts.Mission, accts []accounts.Account) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.missions, w.missionOf = map[string]accounts.Mission{}, map[string]string{}
	for _, m := range ms {
		w.missions[m.ID] = m
	}
	for _, a := range accts {
		w.missionOf[a.ID] = a.Mission
	}
}

func (w *watches) mission(accountID string) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.missionOf[accountID]
}

// matcher returns a mission's matcher, reading its watch the first time
// (off the UI goroutine: columns read through it in the background).
func (w *watches) matcher(missionID string) *feeds.Matcher {
	w.mu.Lock()
	m, ok := w.matchers[missionID]
	mission, known := w.missions[missionID]
	w.mu.Unlock()
	if ok {
		return m
	}
	if !known {
		return feeds.NewMatcher(nil)
	}
	watch, err := w.alerter.WatchOf(mission)
	if err != nil {
		slog.Warn("read watch", "mission", missionID, "err", err)
	}
	m = feeds.NewMatcher(watch.Words)
	w.mu.Lock()
	w.matchers[missionID] = m
	w.mu.Unlock()
	return m
}

// forget drops a mission's matcher after its watch changed.
func (w *watches) forget(missionID string) {
	w.mu.Lock()
	delete(w.matchers, missionID)
	w.mu.Unlock()
}

// enqueue hands a finished refresh to the alert loop; it never blocks.
func (w *watches) enqueue(r feeds.Result) {
	w.mu.Lock()
	w.queue = append(w.queue, r)
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// alertLoop checks finished refreshes for new matching posts and shows a
// notification for each alert, until the window closes.
func (u *ui) alertLoop(w *watches) {
	if err := w.alerter.Prime(); err != nil {
		slog.Warn("prime watches", "err", err)
	}
	for {
		select {
		case <-u.ctx.Done():
			return
		case <-w.wake:
		}
		w.mu.Lock()
		queue := w.queue
		w.queue = nil
		w.mu.Unlock()
		var batch []feeds.Alert
		for _, r := range queue {
			alerts, err := w.alerter.Check(r)
			if err != nil {
				slog.Warn("check watch", "timeline", r.Key, "err", err)
			}
			batch = append(batch, alerts...)
		}
		if len(batch) > 0 {
			uiDo(func() { u.notifyAll(batch) })
		}
	}
}

// maxAlertsShown is how many matching posts of one mission a burst of
// refreshes notifies one by one; the rest are told in one notification, so
// that a flood of matches (a story every account picks up) neither buries
// the desktop nor queues thousands of notifications in front of the window.
const maxAlertsShown = 3

// notifyAll raises the notifications of a burst of refreshes: each post,
// up to maxAlertsShown per mission, then one that counts the others. They
// are sent off the UI goroutine: the system's notification service answers
// over D-Bus (or a script, on Windows), which may take long or not at all.
func (u *ui) notifyAll(alerts []feeds.Alert) {
	shown := map[string]int{}
	more := map[string]int{}
	var order []accounts.Mission
	var notes []*fyne.Notification
	for _, a := range alerts {
		id := a.Mission.ID
		if shown[id] < maxAlertsShown {
			shown[id]++
			notes = append(notes, u.notification(a))
			continue
		}
		if more[id] == 0 {
			order = append(order, a.Mission)
		}
		more[id]++
	}
	loc := u.loc
	for _, m := range order {
		notes = append(notes, fyne.NewNotification(loc.T("watch.notification_more_title", "Mission", m.Name(loc.Lang())),
			loc.N("watch.notification_more", more[m.ID], "Mission", m.Name(loc.Lang()))))
	}
	go func() {
		notifying.Lock() // bursts go out one after the other, in order
		defer notifying.Unlock()
		for _, n := range notes {
			u.app.SendNotification(n)
		}
	}()
}

// notifying orders the bursts of notifications.
var notifying sync.Mutex

// notification names the mission, the author and a snippet of the post.
func (u *ui) notification(a feeds.Alert) *fyne.Notification {
	loc := u.loc
	title := loc.T("watch.notification_title", "Mission", a.Mission.Name(loc.Lang()), "Author", a.Post.Author)
	body := loc.T("watch.notification_body", "Words", strings.Join(a.Words, ", "), "Snippet", oneLine(a.Post.Text, 140))
	return fyne.NewNotification(title, body)
}

// oneLine is text on one line, cut to n characters.
func oneLine(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if r := []rune(text); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return text
}

// watchRefresher hands the Watch view's timelines to the refresher as the
// plain timelines they filter, and tells of each refresh also under the
// watch key of the account's mission, so that a column showing the Watch
// view hears of it.
type watchRefresher struct {
	Refresher
	w *watches
}

func (r watchRefresher) RefreshTargets(ctx context.Context, targets []feeds.Target, force bool) []feeds.Result {
	plain := make([]feeds.Target, 0, len(targets))
	for _, t := range targets {
		t.Kind, _, _ = unwatch(t.Kind)
		if !slices.ContainsFunc(plain, func(o feeds.Target) bool { return o.Account.ID == t.Account.ID && o.Kind == t.Kind }) {
			plain = append(plain, t)
		}
	}
	return r.Refresher.RefreshTargets(ctx, plain, force)
}

func (r watchRefresher) Supports(a accounts.Account, k feeds.Kind) bool {
	k, _, _ = unwatch(k)
	return r.Refresher.Supports(a, k)
}

func (r watchRefresher) FetchOlder(ctx context.Context, a accounts.Account, k feeds.Kind, cursor string) (string, int, error) {
	k, _, _ = unwatch(k)
	return r.Refresher.FetchOlder(ctx, a, k, cursor)
}

func (r watchRefresher) Subscribe(fn func(feeds.Event)) func() {
	return r.Refresher.Subscribe(func(e feeds.Event) {
		fn(e)
		if e.Phase == feeds.Connectivity {
			return
		}
		if e.Phase == feeds.Finished {
			r.w.enqueue(e.Result)
		}
		if m := r.w.mission(e.Result.Key.Account); m != "" {
			e.Result.Key.Kind = watchKind(m, e.Result.Key.Kind)
			fn(e)
		}
	})
}

// startDesk wires the watches and the inbox, when the profile has them:
// the Watch view reads and refreshes through them, and their loops run
// until the window closes.
func (u *ui) startDesk() {
	if u.p.Watches != nil {
		u.watches = newWatches(u.p.Watches, u.p)
		u.p.Timelines = watchTimelines{Timelines: u.p.Timelines, w: u.watches}
		u.p.Refresher = watchRefresher{Refresher: u.p.Refresher, w: u.watches}
		go u.alertLoop(u.watches)
	}
	if u.p.Inbox != nil {
		u.inbox = newInbox(u.p.Inbox)
		u.p.Refresher.Subscribe(func(e feeds.Event) {
			if e.Phase == feeds.Finished {
				u.inbox.recount()
			}
		})
		go u.inboxLoop(u.inbox)
		u.inbox.recount()
	}
}
