package app

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/drafts"
	"chancery/feeds"
	"chancery/translations"
)

// settingsKey is where the GUI keeps its settings in Prefs.
const settingsKey = "gui"

// guiSettings are remembered between runs. They never hold a secret.
type guiSettings struct {
	Language string    `json:"language"` // "" follows the OS
	Width    float32   `json:"width"`
	Height   float32   `json:"height"`
	Splits   []float64 `json:"splits"` // offsets of the nested column splits
	// RefreshMinutes is the auto-refresh interval; 0 turns it off.
	RefreshMinutes int `json:"refresh_minutes"`
	// Views are the columns' views by mission id ("" is the main timeline).
	Views map[string]string `json:"views,omitempty"`
}

// defaultRefreshMinutes is the auto-refresh interval of a new profile.
const defaultRefreshMinutes = 5

// offlineRetry is how often Chancery tries again while offline.
const offlineRetry = 30 * time.Second

type ui struct {
	app       fyne.App
	p         Params
	now       func() time.Time
	loc       *translations.Localizer
	settings  guiSettings
	window    fyne.Window
	columns   []*column
	composers map[string]*composer // open composers by draft id
	missions  []accounts.Mission
	byAcct    map[string]*column
	splits    []*container.Split
	offline   *widget.Label
	ctx       context.Context // lives as long as the window
	stop      context.CancelFunc
	kick      chan struct{} // wakes the auto-refresh loop after a settings change
	// flushKick wakes the outbox loop; outboxStatus counts waiting posts.
	flushKick    chan struct{}
	outboxStatus *widget.Label
	interval     atomic.Int64                   // auto-refresh interval, for the loop's goroutine
	shown        atomic.Pointer[[]feeds.Target] // what the columns show, for the loop's goroutine
	start        startup                        // first cache reads, before any network request
	prefsOut     *latestWriter                  // writes the settings off the UI goroutine
	quitting     bool                           // quit ran: the window closes
	events       eventQueue                     // refresh events for the UI goroutine
	dialogs      []dialog.Dialog                // open over the window, the top one last
	unfolded     map[string]bool                // missions whose account list is unfolded (header.go)
	watches      *watches                       // nil without Params.Watches (watches.go)
	inbox        *inbox                         // nil without Params.Inbox (inbox.go)
	searching    *searchPanel                   // the search window, while open (search.go)
	reach        *reachState                    // cadence warnings and Reach windows (reachbadge.go)
	review       *reviewState                   // nil without Params.Review (reviewsync.go)
}

func newUI(a fyne.App, p Params) *ui { return makeUI(a, p, false) }

// makeUI builds the main window. beforeLoop says the event loop has not
// started yet: the first build may then wait, briefly, for the cache (see
// preload) so that the window opens with its posts.
func makeUI(a fyne.App, p Params, beforeLoop bool) *ui {
	if p.Now == nil {
		p.Now = time.Now
	}
	u := &ui{
		app: a, p: p, now: p.Now, kick: make(chan struct{}, 1), flushKick: make(chan struct{}, 1),
		composers: map[string]*composer{},
	}
	u.ctx, u.stop = context.WithCancel(context.Background())
	u.p.OpenURL = linkOpener(p.OpenURL, a.OpenURL, func(err error) { uiDo(func() { u.showFailure("dialog.failed_open_link", err) }) })
	u.start = newStartup()
	u.start.beforeLoop = beforeLoop
	u.prefsOut = newLatestWriter(func(raw []byte) error { return u.p.Prefs.SetSetting(settingsKey, raw) })
	u.settings.RefreshMinutes = defaultRefreshMinutes
	u.loadSettings()
	u.interval.Store(int64(time.Duration(u.settings.RefreshMinutes) * time.Minute))
	u.loc = translations.New(u.language())
	followLanguage(u.loc.Lang())
	useTheme(a)
	u.window = a.NewWindow("Chancery")
	size := fyne.NewSize(1400, 860) // the first start; later, what the user left
	if u.settings.Width > 0 && u.settings.Height > 0 {
		size = fyne.NewSize(u.settings.Width, u.settings.Height)
	}
	u.window.Resize(size)
	u.window.SetCloseIntercept(u.quit)
	u.startDesk()
	u.p.Refresher.Subscribe(u.queueEvent)
	u.startReview()
	u.addKeys()
	awaitFonts()
	u.build()
	go u.tickLoop()
	go u.autoRefreshLoop()
	go u.outboxLoop()
	return u
}

func (u *ui) language() string {
	if u.settings.Language != "" {
		return u.settings.Language
	}
	if u.p.SystemLanguage != "" {
		return u.p.SystemLanguage
	}
	return lang.SystemLocale().String()
}

func (u *ui) loadSettings() {
	raw, ok, err := u.p.Prefs.Setting(settingsKey)
	if err != nil {
		slog.Warn("read gui settings", "err", err)
		return
	}
	if ok {
		if err := json.Unmarshal(raw, &u.settings); err != nil {
			slog.Warn("decode gui settings", "err", err)
		}
	}
}

func (u *ui) saveSettings() {
	size := u.window.Canvas().Size()
	u.settings.Width, u.settings.Height = size.Width, size.Height
	u.settings.Splits = u.settings.Splits[:0]
	for _, s := range u.splits {
		u.settings.Splits = append(u.settings.Splits, s.Offset)
	}
	raw, err := json.Marshal(u.settings)
	if err != nil {
		slog.Warn("save gui settings", "err", err)
		return
	}
	u.prefsOut.put(raw) // written off the UI goroutine, the latest last
}

// build (re)creates the window's content in the current language.
func (u *ui) build() {
	for _, c := range u.columns {
		c.close()
	}
	u.columns, u.byAcct, u.splits = nil, map[string]*column{}, nil
	missions, err := u.p.Workspace.Missions()
	u.missions = missions
	u.window.SetMainMenu(u.mainMenu())
	if err == nil {
		var accts []accounts.Account
		if accts, err = u.p.Workspace.Accounts(); err == nil {
			u.makeColumns(missions, accts)
		}
	}
	u.offline = widget.NewLabel(u.loc.T("window.offline"))
	u.offline.Importance = widget.WarningImportance
	u.offline.Wrapping = fyne.TextWrapWord
	u.offline.Hidden = !u.p.Refresher.Offline()
	u.outboxStatus = widget.NewLabel("")
	compose := widget.NewButtonWithIcon(u.loc.T("menu.new_post"), theme.DocumentCreateIcon(), u.newPost)
	compose.Importance = widget.HighImportance
	toolbar := container.NewHBox(
		u.start.probe.raster,
		compose,
		widget.NewButtonWithIcon(u.loc.T("menu.drafts"), theme.DocumentIcon(), u.showDrafts),
		widget.NewButtonWithIcon(u.loc.T("menu.outbox"), theme.MailSendIcon(), u.showOutbox),
		u.outboxStatus,
	)
	tools := widget.NewToolbar(
		widget.NewToolbarAction(theme.ViewRefreshIcon(), u.refreshAll),
		widget.NewToolbarAction(theme.SettingsIcon(), u.showSettings),
	)
	top := container.NewVBox(container.NewBorder(nil, nil, toolbar, tools), u.offline)
	var body fyne.CanvasObject
	switch {
	case err != nil:
		body = widget.NewLabel(u.loc.T("window.load_failed", "Reason", u.loc.Error(err)))
	case len(u.columns) == 0:
		body = container.NewCenter(widget.NewLabel(u.loc.T("window.no_missions")))
	default:
		body = u.splitColumns()
	}
	// The toolbar comes first, so that Tab goes from it to the columns.
	u.window.SetContent(container.New(layout.NewBorderLayout(top, nil, nil, nil), top, body))
	if u.start.built(len(u.columns)) && u.start.beforeLoop {
		u.preload(preloadWait)
	} else {
		for _, c := range u.columns {
			c.reload()
		}
	}
	u.noteTargets()
}

// noteTargets records what the columns show, for the auto-refresh loop.
func (u *ui) noteTargets() {
	var all []feeds.Target
	for _, c := range u.columns {
		all = append(all, c.targets()...)
	}
	u.shown.Store(&all)
}

// rememberView keeps a column's view for the next start.
func (u *ui) rememberView(missionID string, k feeds.Kind) {
	if u.settings.Views == nil {
		u.settings.Views = map[string]string{}
	}
	u.settings.Views[missionID] = string(k)
	u.noteTargets()
	u.saveSettings()
}

func (u *ui) makeColumns(missions []accounts.Mission, accts []accounts.Account) {
	if u.watches != nil {
		u.watches.setWorkspace(missions, accts)
	}
	for _, m := range missions {
		var mine []accounts.Account
		for _, a := range accts {
			if a.Mission == m.ID {
				mine = append(mine, a)
			}
		}
		c := newColumn(u, m, mine, feeds.Kind(u.settings.Views[m.ID]))
		u.columns = append(u.columns, c)
		for _, a := range mine {
			u.byAcct[a.ID] = c
		}
	}
}

// splitColumns nests horizontal splits so every column can be resized; the
// offsets start even and then follow what the user last chose, as long as
// the number of columns is the same.
func (u *ui) splitColumns() fyne.CanvasObject {
	n := len(u.columns)
	saved := u.settings.Splits
	if len(saved) != n-1 {
		saved = nil
	}
	u.splits = make([]*container.Split, n-1)
	obj := u.columns[n-1].root
	for i := n - 2; i >= 0; i-- {
		s := container.NewHSplit(u.columns[i].root, obj)
		s.Offset = 1 / float64(n-i)
		if saved != nil && saved[i] > 0 && saved[i] < 1 {
			s.Offset = saved[i]
		}
		u.splits[i], obj = s, s
	}
	return obj
}

func (u *ui) mainMenu() *fyne.MainMenu {
	refresh := fyne.NewMenuItem(u.loc.T("menu.refresh_all"), u.refreshAll)
	refresh.Shortcut = refreshShortcut
	settings := fyne.NewMenuItem(u.loc.T("menu.settings"), u.showSettings)
	settings.Shortcut = settingsShortcut
	about := fyne.NewMenuItem(u.loc.T("menu.about"), u.showAbout)
	newPost := fyne.NewMenuItem(u.loc.T("menu.new_post"), u.newPost)
	newPost.Shortcut = newPostShortcut
	menus := []*fyne.Menu{fyne.NewMenu(u.loc.T("menu.file"), newPost,
		menuItem(u.loc.T("menu.drafts"), u.showDrafts, draftsShortcut),
		menuItem(u.loc.T("menu.outbox"), u.showOutbox, outboxShortcut),
		menuItem(u.loc.T("inbox.menu"), u.showInbox, inboxShortcut),
		menuItem(u.loc.T("search.menu"), u.showSearch, searchShortcut),
		menuItem(u.loc.T("reach.menu"), func() { u.showReach("") }, nil),
		fyne.NewMenuItemSeparator(), refresh, settings)}
	u.addReviewMenu(menus[0])
	if u.p.Missions != nil && len(u.missions) > 0 {
		menus = append(menus, u.missionsMenu())
	}
	keys := fyne.NewMenuItem(u.loc.T("shortcuts.menu"), u.showShortcuts)
	return fyne.NewMainMenu(append(menus, fyne.NewMenu(u.loc.T("menu.help"), keys, about))...)
}

var (
	refreshShortcut  = &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault}
	settingsShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyComma, Modifier: fyne.KeyModifierShortcutDefault}
	newPostShortcut  = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}
)

// tickLoop refreshes the clocks and relative times every 30 seconds.
func (u *ui) tickLoop() {
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-u.ctx.Done():
			return
		case <-t.C:
			uiDo(func() {
				for _, c := range u.columns {
					c.tick()
				}
			})
		}
	}
}

// autoRefreshLoop refreshes every account now, then at the chosen interval,
// and every 30 seconds while offline so that Chancery notices by itself
// when the network is back.
func (u *ui) autoRefreshLoop() {
	select { // the cache is shown first
	case <-u.start.cacheShown:
	case <-u.ctx.Done():
		return
	}
	u.start.firstFrame(u.ctx.Done())
	for {
		if targets := u.shown.Load(); targets != nil {
			u.p.Refresher.RefreshTargets(u.ctx, *targets, false)
			u.start.releaseMemory()
		}
		wait := time.Duration(u.interval.Load())
		if u.p.Refresher.Offline() {
			wait = offlineRetry
		}
		var tick <-chan time.Time
		var timer *time.Timer
		if wait > 0 {
			timer = time.NewTimer(wait)
			tick = timer.C
		}
		select {
		case <-u.ctx.Done():
		case <-u.kick:
		case <-tick:
		}
		if timer != nil {
			timer.Stop()
		}
		if u.ctx.Err() != nil {
			return
		}
	}
}

// refreshAll fetches what every column shows, as the user asked.
func (u *ui) refreshAll() {
	var all []feeds.Target
	for _, c := range u.columns {
		all = append(all, c.targets()...)
	}
	go func() {
		u.p.Refresher.RefreshTargets(u.ctx, all, true)
		u.start.releaseMemory()
	}()
}

// refresh fetches the accounts' main timelines in the background, as the
// user asked; progress and results arrive as refresh events.
func (u *ui) refresh(accts []accounts.Account) {
	go u.p.Refresher.Refresh(u.ctx, accts, true)
}

// refreshTargets fetches the given timelines in the background.
func (u *ui) refreshTargets(targets []feeds.Target, force bool) {
	go u.p.Refresher.RefreshTargets(u.ctx, targets, force)
}

func (u *ui) onRefresh(e feeds.Event) {
	if e.Phase == feeds.Connectivity {
		u.offline.Hidden = !e.Offline
		u.offline.Refresh()
		if !e.Offline {
			u.flushOutbox() // what waited for the network goes out now
		}
		for _, c := range u.columns {
			c.showStatus()
		}
		return
	}
	if c, ok := u.byAcct[e.Result.Key.Account]; ok && c.wants(e.Result.Key) {
		c.onRefresh(e)
	}
}

// newPost opens the composer on a new draft.
func (u *ui) newPost() { u.openComposer(drafts.Draft{}) }

func (u *ui) quit() {
	if unsaved := u.saveComposers(); len(unsaved) > 0 {
		u.askBeforeQuitting(unsaved) // text that could not be saved is never dropped unasked
		return
	}
	u.quitNow()
}

// quitNow closes the composers and the window, whatever they hold.
func (u *ui) quitNow() {
	for _, c := range u.composers {
		c.win.Close()
	}
	u.quitting = true
	u.saveSettings()
	u.stop() // cancels every refresh and read in flight
	u.window.Close()
}
