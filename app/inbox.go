package app

import (
	"log/slog"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/feeds"
)

// The needs-reply inbox: mentions of and replies to the missions' accounts
// that wait for an answer, oldest first, read from the cache off the UI
// goroutine (feeds.NeedsReply). Each column's header shows its mission's
// count.

var inboxShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyI, Modifier: fyne.KeyModifierShortcutDefault}

// inboxShown caps the items the window lists; the oldest come first.
const inboxShown = 300

type inbox struct {
	store  feeds.InboxStore
	kick   chan struct{} // asks the inbox loop to read the cache again
	items  []feeds.InboxItem
	counts map[string]int
	read   bool                      // items were read once
	badges map[string]*widget.Button // mission id -> its column's count
	win    fyne.Window
	list   *widget.List
	empty  *widget.Label
}

func newInbox(store feeds.InboxStore) *inbox {
	return &inbox{store: store, kick: make(chan struct{}, 1), badges: map[string]*widget.Button{}}
}

// recount asks for the inbox to be read again; bursts are coalesced.
func (in *inbox) recount() {
	select {
	case in.kick <- struct{}{}:
	default:
	}
}

// inboxLoop reads the inbox from the cache whenever asked, until the
// window closes, and shows it on the UI goroutine.
func (u *ui) inboxLoop(in *inbox) {
	for {
		select {
		case <-u.ctx.Done():
			return
		case <-in.kick:
		}
		items, err := feeds.NeedsReply(u.p.Timelines, in.store, u.p.Workspace)
		if err != nil {
			slog.Warn("read inbox", "err", err)
			continue
		}
		uiDo(func() { u.showInboxItems(items) })
	}
}

// showInboxItems applies a new reading: the headers' counts and the
// window's list.
func (u *ui) showInboxItems(items []feeds.InboxItem) {
	in := u.inbox
	in.items, in.counts, in.read = items, feeds.CountByMission(items), true
	for id := range in.badges {
		u.showInboxBadge(id)
	}
	if in.list != nil {
		in.empty.SetText(u.loc.T("inbox.empty"))
		in.empty.Hidden = len(in.items) > 0
		in.empty.Refresh()
		in.list.Refresh()
	}
}

// inboxBadge is a column header's count of posts waiting for a reply; it
// opens the inbox. Hidden while there are none.
func (u *ui) inboxBadge(missionID string) fyne.CanvasObject {
	if u.inbox == nil {
		return container.NewHBox()
	}
	b := widget.NewButtonWithIcon("", theme.MailReplyIcon(), u.showInbox)
	b.Importance = widget.WarningImportance
	u.inbox.badges[missionID] = b
	u.showInboxBadge(missionID)
	return b
}

func (u *ui) showInboxBadge(missionID string) {
	b := u.inbox.badges[missionID]
	n := u.inbox.counts[missionID]
	b.SetText(u.loc.N("inbox.count", n))
	b.Hidden = n == 0
	b.Refresh()
}

// showInbox opens the inbox window, or brings it forward.
func (u *ui) showInbox() {
	in := u.inbox
	if in == nil {
		return
	}
	if in.win != nil {
		in.win.RequestFocus()
		return
	}
	loc := u.loc
	in.win = u.app.NewWindow(loc.T("inbox.title"))
	in.empty = widget.NewLabel(loc.T("inbox.loading"))
	if in.read {
		in.empty.SetText(loc.T("inbox.empty"))
		in.empty.Hidden = len(in.items) > 0
	}
	in.list = widget.NewList(func() int { return min(len(in.items), inboxShown) }, u.newInboxRow, u.updateInboxRow)
	in.win.SetContent(container.NewStack(in.list, container.NewVBox(in.empty)))
	in.win.Resize(fyne.NewSize(640, 560))
	in.win.SetOnClosed(func() { in.win, in.list = nil, nil })
	in.win.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			in.win.Close()
		}
	})
	in.win.Show()
	in.recount()
}

// inboxRow is one waiting post: who, where and how long ago; its text;
// Reply, Handled and Open.
type inboxRow struct {
	widget.BaseWidget
	line, text             *widget.Label
	reply, handled, detail *widget.Button
	content                fyne.CanvasObject
}

func (r *inboxRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.content) }

func (u *ui) newInboxRow() fyne.CanvasObject {
	loc := u.loc
	r := &inboxRow{line: widget.NewLabel(""), text: widget.NewLabel("")}
	r.line.Importance = widget.LowImportance
	r.line.Truncation = fyne.TextTruncateEllipsis
	r.text.Truncation = fyne.TextTruncateEllipsis
	r.reply = widget.NewButtonWithIcon(loc.T("inbox.reply"), theme.MailReplyIcon(), nil)
	r.handled = widget.NewButtonWithIcon(loc.T("inbox.handled"), theme.ConfirmIcon(), nil)
	r.detail = widget.NewButton(loc.T("inbox.open"), nil)
	r.content = container.NewBorder(nil, nil, nil, container.NewHBox(r.reply, r.handled, r.detail),
		container.NewVBox(r.line, r.text))
	r.ExtendBaseWidget(r)
	return r
}

func (u *ui) updateInboxRow(id widget.ListItemID, o fyne.CanvasObject) {
	in, r := u.inbox, o.(*inboxRow)
	if id >= len(in.items) {
		return
	}
	it, loc := in.items[id], u.loc
	r.line.SetText(loc.T("inbox.line", "Age", relativeTime(loc, u.now(), it.Post.CreatedAt),
		"Mission", it.Mission.Name(loc.Lang()), "Author", it.Post.Author, "Handle", it.Account.Handle))
	r.text.SetText(oneLine(it.Post.Text, 200))
	r.reply.OnTapped = func() { u.replyTo(it.Post, it.Account) }
	r.handled.OnTapped = func() { u.markHandled(it) }
	r.detail.OnTapped = func() { u.showPost(it.Post, it.Mission) }
}

// markHandled takes an item out of the inbox at once and stores that it
// was handled, off the UI goroutine.
func (u *ui) markHandled(it feeds.InboxItem) {
	in := u.inbox
	in.items = slices.DeleteFunc(slices.Clone(in.items), func(o feeds.InboxItem) bool {
		return o.Account.ID == it.Account.ID && o.Post.ID == it.Post.ID
	})
	u.showInboxItems(in.items)
	go func() {
		err := in.store.SetInboxState(it.Account.ID, it.Post.ID, feeds.InboxState{Handled: u.now()})
		uiDo(func() {
			if err != nil {
				u.showError(err)
			}
			in.recount()
		})
	}()
}
