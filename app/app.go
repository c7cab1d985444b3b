// Package app is Chancery's Fyne GUI: the main window with one column per
// mission, dialogs and settings. It reaches storage, networks and the keyring
// only through the small interfaces declared here, filled in by main.
package app

import (
	"context"
	"net/url"
	"os"
	"runtime/debug"
	"time"

	"fyne.io/fyne/v2"

	"chancery/accounts"
	"chancery/drafts"
	"chancery/feeds"
	"chancery/timer"
)

// Workspace lists and edits missions and accounts.
type Workspace interface {
	Missions() ([]accounts.Mission, error)
	Accounts() ([]accounts.Account, error)
	RemoveAccount(id string) error
}

// Timelines reads the local cache, page by page.
type Timelines interface {
	Posts(key feeds.TimelineKey, limit int) ([]feeds.Post, error)
	// PostsBefore returns up to limit posts older than the post (before,
	// beforeID), newest first; PostsAfter those newer, oldest first.
	PostsBefore(key feeds.TimelineKey, before time.Time, beforeID string, limit int) ([]feeds.Post, error)
	PostsAfter(key feeds.TimelineKey, after time.Time, afterID string, limit int) ([]feeds.Post, error)
	LastRefreshed(key feeds.TimelineKey) (time.Time, error)
}

// Refresher fetches timelines into the cache and reports progress.
type Refresher interface {
	// Refresh fetches the accounts' timelines; force also fetches those
	// backing off after errors (the user asked).
	Refresh(ctx context.Context, accts []accounts.Account, force bool) []feeds.Result
	RefreshTargets(ctx context.Context, targets []feeds.Target, force bool) []feeds.Result
	DefaultKind(n accounts.Network) feeds.Kind
	Supports(a accounts.Account, k feeds.Kind) bool
	// FetchOlder pages back through a timeline into the cache.
	FetchOlder(ctx context.Context, a accounts.Account, k feeds.Kind, cursor string) (next string, added int, err error)
	Subscribe(fn func(feeds.Event)) (unsubscribe func())
	Offline() bool
}

// Prefs keeps the GUI's settings (never secrets).
type Prefs interface {
	Setting(key string) ([]byte, bool, error)
	SetSetting(key string, value []byte) error
}

// Drafts keeps drafts and queues them for publishing.
type Drafts interface {
	New(targets []string) (drafts.Draft, error)
	// Blank returns a new draft without storing it; Save stores it.
	Blank(targets []string) drafts.Draft
	Save(d drafts.Draft) (drafts.Draft, error)
	// Restore puts a deleted draft back as it was.
	Restore(d drafts.Draft) error
	List() ([]drafts.Draft, error)
	Delete(id string) error
	Submit(d drafts.Draft, check drafts.Checker) ([]drafts.Entry, error)
}

// Outbox publishes queued posts.
type Outbox interface {
	List() ([]drafts.Entry, error)
	Flush(ctx context.Context) (drafts.FlushResult, error)
	Retry(id string) error
	Remove(id string) error
	// Edit, Reschedule, SendNow and Cancel change a waiting entry, on its
	// server too when the server holds it.
	Edit(ctx context.Context, id, text string) error
	Reschedule(ctx context.Context, id string, at time.Time, zone string) error
	SendNow(ctx context.Context, id string) error
	Cancel(ctx context.Context, id string) error
}

// TimerStatus tells whether the operating system's timer that runs
// `outbox flush` while the window is closed is installed (timer.Installer).
type TimerStatus interface {
	Status(ctx context.Context) (timer.Status, error)
}

// Publishing tells what each account can publish and checks posts.
type Publishing interface {
	drafts.Checker
	CanPublish(accountID string) bool
	Length(accountID, text string) (used, limit int, err error)
	// Count counts a post as Check does, against its network's limit.
	Count(e drafts.Entry) (drafts.Count, error)
}

// Maintenance looks after the local database.
type Maintenance interface {
	Size() (int64, error)
	Retention() int
	SetRetention(n int) error
	// Compact trims timelines to the retention and gives free space back.
	Compact() (before, after int64, err error)
}

// PostActions acts on others' posts through their networks.
type PostActions interface {
	Capabilities(a accounts.Account) feeds.Capabilities
	// Act reposts or likes (or, with undo, withdraws it) the post postID as a.
	Act(ctx context.Context, a accounts.Account, postID string, action feeds.Action, undo bool) error
	// CanThread reports whether a's network can show a conversation.
	CanThread(a accounts.Account) bool
	// Thread returns a post's conversation, oldest first, or an error
	// wrapping feeds.ErrUnsupported.
	Thread(ctx context.Context, a accounts.Account, postID string) ([]feeds.Post, error)
}

// Images gives image bytes, from the offline cache first.
type Images interface {
	Image(ctx context.Context, url string) ([]byte, error)
}

// Params are the services the GUI works with.
type Params struct {
	Workspace   Workspace
	Timelines   Timelines
	Refresher   Refresher
	Prefs       Prefs
	Drafts      Drafts
	Outbox      Outbox
	Publishing  Publishing
	Admin       AccountAdmin
	SignIns     SignIns
	Maintenance Maintenance
	Actions     PostActions
	Images      Images
	// Deleter deletes the accounts' own posts; nil offers no Delete.
	Deleter PostDeleter
	// Attachments copies attached images into the profile; nil attaches
	// files where they are.
	Attachments Attachments
	// Missions changes a mission's languages; nil hides the Missions menu.
	Missions MissionLanguages
	// Timer says whether the outbox timer is installed; nil: unknown.
	Timer TimerStatus
	// Review is the team review; nil hides the Review view and Submit for review.
	Review ReviewService
	// Watches keeps the missions' watches and which posts notified; nil
	// hides the Watch view and raises no notification.
	Watches feeds.WatchStore
	// Inbox keeps what was answered or handled; nil hides the inbox.
	Inbox feeds.InboxStore
	// Search is the full-text index of the cached posts; nil: Search opens nothing.
	Search SearchIndex
	// Reach reads and keeps the Reach figures; nil hides the Reach view.
	Reach ReachStore
	// Budgets reads the monthly usage of accounts on networks that bill
	// calls (X); nil shows none.
	Budgets Budgets
	// SystemLanguage is the OS language, used when no language is chosen in
	// settings. Empty means: ask Fyne.
	SystemLanguage string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// OpenURL opens a link in the browser; nil means the Fyne app's OpenURL.
	OpenURL func(*url.URL) error
}

// uiDo hands work from background goroutines to the UI goroutine. Tests
// replace it with a queue they drain, since Fyne's test driver runs fyne.Do
// on the calling goroutine.
var uiDo = fyne.Do

// Run opens the main window on a new Fyne app and blocks until it closes
// and what it had to save is saved. With CHANCERY_TRACE=1 it writes timings
// to stderr (see trace.go).
func Run(a fyne.App, p Params) {
	if trace != nil {
		uiDo = tracedDo(fyne.Do)
	}
	trace.event("app-started")
	// A window open all day should hold what it shows: collect when the
	// heap grew by half (not doubled, Go's default), a little more work
	// for the collector against a third less memory at rest.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	boundCHeap()
	ui := makeUI(a, p, true)
	ui.stopOnSignal()
	trace.event("window-built")
	ui.window.ShowAndRun()
	ui.shutdown()
}
