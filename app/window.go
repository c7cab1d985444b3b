package app

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
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
}

type ui struct {
	app      fyne.App
	p        Params
	now      func() time.Time
	loc      *translations.Localizer
	settings guiSettings
	window   fyne.Window
	columns  []*column
	byAcct   map[string]*column
	splits   []*container.Split
	offline  *widget.Label
	stopTick context.CancelFunc
}

func newUI(a fyne.App, p Params) *ui {
	if p.Now == nil {
		p.Now = time.Now
	}
	if p.OpenURL == nil {
		p.OpenURL = a.OpenURL
	}
	u := &ui{app: a, p: p, now: p.Now}
	u.loadSettings()
	u.loc = translations.New(u.language())
	u.window = a.NewWindow("Chancery")
	u.window.Resize(fyne.NewSize(max(u.settings.Width, 1400), max(u.settings.Height, 860)))
	u.window.SetCloseIntercept(u.quit)
	u.p.Refresher.Subscribe(func(e feeds.Event) { uiDo(func() { u.onRefresh(e) }) })
	u.addShortcuts()
	u.build()
	u.startTicker()
	u.refreshAll()
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
	if err == nil {
		err = u.p.Prefs.SetSetting(settingsKey, raw)
	}
	if err != nil {
		slog.Warn("save gui settings", "err", err)
	}
}

// build (re)creates the window's content in the current language.
func (u *ui) build() {
	for _, c := range u.columns {
		c.close()
	}
	u.columns, u.byAcct, u.splits = nil, map[string]*column{}, nil
	u.window.SetMainMenu(u.mainMenu())
	missions, err := u.p.Workspace.Missions()
	if err == nil {
		var accts []accounts.Account
		if accts, err = u.p.Workspace.Accounts(); err == nil {
			u.makeColumns(missions, accts)
		}
	}
	u.offline = widget.NewLabel("")
	u.offline.Hide()
	toolbar := widget.NewToolbar(
		widget.NewToolbarAction(theme.ViewRefreshIcon(), u.refreshAll),
		widget.NewToolbarSeparator(),
		widget.NewToolbarAction(theme.SettingsIcon(), u.showSettings),
	)
	top := container.NewVBox(container.NewBorder(nil, nil, toolbar, nil, u.offline))
	var body fyne.CanvasObject
	switch {
	case err != nil:
		body = widget.NewLabel(u.loc.T("window.load_failed", "Reason", u.loc.Error(err)))
	case len(u.columns) == 0:
		body = container.NewCenter(widget.NewLabel(u.loc.T("window.no_missions")))
	default:
		body = u.splitColumns()
	}
	u.window.SetContent(container.NewBorder(top, nil, nil, nil, body))
	for _, c := range u.columns {
		c.reload()
	}
}

func (u *ui) makeColumns(missions []accounts.Mission, accts []accounts.Account) {
	for _, m := range missions {
		var mine []accounts.Account
		for _, a := range accts {
			if a.Mission == m.ID {
				mine = append(mine, a)
			}
		}
		c := newColumn(u, m, mine)
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
	return fyne.NewMainMenu(
		fyne.NewMenu(u.loc.T("menu.file"), refresh, settings),
		fyne.NewMenu(u.loc.T("menu.help"), about),
	)
}

var (
	refreshShortcut  = &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault}
	settingsShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyComma, Modifier: fyne.KeyModifierShortcutDefault}
)

func (u *ui) addShortcuts() {
	c := u.window.Canvas()
	c.AddShortcut(refreshShortcut, func(fyne.Shortcut) { u.refreshAll() })
	c.AddShortcut(settingsShortcut, func(fyne.Shortcut) { u.showSettings() })
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyF5 {
			u.refreshAll()
		}
	})
}

// startTicker refreshes the clocks and relative times every 30 seconds.
func (u *ui) startTicker() {
	ctx, cancel := context.WithCancel(context.Background())
	u.stopTick = cancel
	go func() {
		t := time.NewTicker(30 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				uiDo(func() {
					for _, c := range u.columns {
						c.tick()
					}
				})
			}
		}
	}()
}

func (u *ui) refreshAll() {
	accts, err := u.p.Workspace.Accounts()
	if err != nil {
		u.showError(err)
		return
	}
	u.refresh(accts)
}

// refresh fetches the accounts' timelines in the background; progress and
// results arrive as refresh events.
func (u *ui) refresh(accts []accounts.Account) {
	go u.p.Refresher.Refresh(context.Background(), accts)
}

func (u *ui) onRefresh(e feeds.Event) {
	if c, ok := u.byAcct[e.Result.Key.Account]; ok {
		c.onRefresh(e)
	}
}

func (u *ui) quit() {
	u.saveSettings()
	u.stopTick()
	for _, c := range u.columns {
		c.close()
	}
	u.window.Close()
}
