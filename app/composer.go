package app

import (
	"errors"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/drafts"
)

// composer is the window where a post is written: its targets, its text in
// English, French and the missions' host languages, an optional content
// warning and schedule. Every change is saved as a draft within a second.
type composer struct {
	u      *ui
	win    fyne.Window
	draft  drafts.Draft
	saver  *autosaver
	accts  []accounts.Account
	checks map[string]*widget.Check

	variants   *fyne.Container
	planBox    *fyne.Container // what each target will publish
	planShown  []planLine
	texts      map[string]*proseEntry
	counters   map[string]*widget.Label
	warning    *composerField
	images     *fyne.Container
	copies     *fyne.Container // images being copied into the profile
	visibility *escSelect
	audience   *fyne.Container
	scheduled  *escCheck
	day, hour  *composerField
	reference  *escSelect // the mission whose time zone the schedule is in
	refIDs     []string   // the missions offered by reference, in order
	when       *widget.Label
	timerNote  *widget.Label // accounts that need Chancery running to publish later
	status     *widget.Label

	publishBtn *escButton
	blocked    *widget.Label // why Publish is disabled
	preview    *fyne.Container
	checker    *latestRunner[checkInput, checkResult]
	checked    checkResult // the last check's result
	dialog     keyGuarded  // the dialog shown over the composer, if any
	closing    bool

	review *composerReview // Submit for review (reviewcomposer.go)
}

// openComposer opens d (a new draft when d.ID is empty) in its own window.
func (u *ui) openComposer(d drafts.Draft) *composer {
	if open, ok := u.composers[d.ID]; ok && d.ID != "" {
		open.win.RequestFocus() // one window per draft, or two could publish it
		return open
	}
	if d.ID == "" { // stored on its first change: an untouched composer leaves no draft
		fresh := u.p.Drafts.Blank(d.Targets)
		fresh.ReplyTo, fresh.Variants = d.ReplyTo, d.Variants
		d = fresh
	}
	all, err := u.p.Workspace.Accounts()
	if err != nil {
		u.showFailure("dialog.failed_open_draft", err)
		return nil
	}
	c := &composer{
		u: u, draft: d, checks: map[string]*widget.Check{}, texts: map[string]*proseEntry{},
		counters: map[string]*widget.Label{},
	}
	for _, a := range all {
		if u.p.Publishing.CanPublish(a.ID) {
			c.accts = append(c.accts, a)
		}
	}
	c.sortAccounts()
	c.saver = newAutosaver(u.p.Drafts.Save, c.saved)
	c.checker = newLatestRunner(c.runCheck, c.showCheck)
	c.win = u.app.NewWindow(u.loc.T("composer.title"))
	c.win.SetContent(c.build())
	c.win.Resize(fyne.NewSize(980, 640))
	c.win.SetCloseIntercept(c.close)
	c.bindKeys()
	u.composers[d.ID] = c
	c.win.Show()
	c.check()
	return c
}

func (c *composer) build() fyne.CanvasObject {
	loc := c.u.loc
	targets := container.NewVBox()
	for _, m := range c.u.missions {
		for _, a := range c.accts {
			if a.Mission != m.ID {
				continue
			}
			check := c.newCheck(m.Name(loc.Lang())+" · "+a.Handle, func(bool) { c.targetsChanged() })
			check.Checked = slices.Contains(c.draft.Targets, a.ID)
			if c.draft.ReplyTo != "" {
				check.Disable() // a reply goes out on the account it answers from
			}
			c.checks[a.ID] = &check.Check
			targets.Add(check)
		}
	}
	if len(c.accts) == 0 {
		targets.Add(widget.NewLabel(loc.T("composer.no_accounts")))
	}
	c.variants = container.NewGridWithRows(1)
	c.planBox = container.NewVBox()
	c.warning = c.newField()
	c.warning.SetPlaceHolder(loc.T("composer.content_warning_hint"))
	c.warning.SetText(c.draft.ContentWarning)
	c.warning.OnChanged = func(s string) { c.draft.ContentWarning = s; c.changed() }
	c.status = widget.NewLabel(loc.T("composer.saved_never"))
	c.status.Importance = widget.LowImportance
	c.publishBtn = newEscButton(c.win, loc.T("composer.publish"), nil, c.publish)
	c.publishBtn.Importance = widget.HighImportance
	c.blocked = widget.NewLabel("")
	c.blocked.Importance = widget.DangerImportance
	c.blocked.Wrapping = fyne.TextWrapWord
	c.blocked.Hide()
	c.showVariants()
	c.showPlan()
	left := container.NewBorder(widget.NewLabelWithStyle(loc.T("composer.targets"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		nil, nil, nil, container.NewVScroll(container.NewVBox(targets, c.planBox)))
	bottom := container.NewVBox(
		widget.NewForm(widget.NewFormItem(loc.T("composer.content_warning"), c.warning)),
		c.buildExtras(),
		c.buildSchedule(),
		c.blocked,
		container.NewBorder(nil, nil, nil, container.NewHBox(newEscButton(c.win, loc.T("action.close"), nil, c.close), c.reviewButton(), c.publishBtn), c.status),
	)
	tabs := container.NewAppTabs(
		container.NewTabItem(loc.T("composer.write_tab"), c.variants),
		container.NewTabItem(loc.T("composer.preview_tab"), c.buildPreview()),
	)
	split := container.NewHSplit(left, tabs)
	split.Offset = 0.28
	return container.NewPadded(container.NewBorder(nil, bottom, nil, nil, split))
}

// languages are English, French, then the other languages of the chosen
// targets' missions, then any other language the draft already has text in.
func (c *composer) languages() []string {
	langs := []string{"en", "fr"}
	for _, id := range c.draft.Targets {
		m, _ := c.missionOf(c.account(id))
		for _, l := range m.Languages() {
			if !slices.Contains(langs, l) {
				langs = append(langs, l)
			}
		}
	}
	for _, v := range c.draft.Variants {
		if strings.TrimSpace(v.Text) != "" && !slices.Contains(langs, v.Lang) {
			langs = append(langs, v.Lang)
		}
	}
	return langs
}

func (c *composer) showVariants() {
	loc := c.u.loc
	c.variants.RemoveAll()
	for _, lang := range c.languages() {
		entry, ok := c.texts[lang]
		if !ok {
			entry = newProseEntry() // wraps at word boundaries, keeping every character
			entry.SetText(c.draft.Text(lang))
			entry.OnChanged = func(s string) {
				c.draft.SetText(lang, s)
				c.showPlan()
				c.changed()
			}
			entry.OnEscape, entry.OnShortcut = c.close, c.shortcut
			c.texts[lang] = entry
			c.counters[lang] = widget.NewLabel("")
			c.counters[lang].Importance = widget.LowImportance
		}
		entry.SetPlaceHolder(loc.T("composer.text_in." + lang))
		title := widget.NewLabelWithStyle(loc.T("language_name."+lang), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		c.variants.Add(container.NewBorder(title, c.counters[lang], nil, nil, entry))
	}
	c.variants.Refresh()
}

func (c *composer) account(id string) accounts.Account {
	for _, a := range c.accts {
		if a.ID == id {
			return a
		}
	}
	return accounts.Account{}
}

func (c *composer) targetsChanged() {
	c.draft.Targets = c.draft.Targets[:0]
	for _, a := range c.accts {
		if c.checks[a.ID].Checked {
			c.draft.Targets = append(c.draft.Targets, a.ID)
		}
	}
	c.showVariants()
	c.showPlan()
	c.showReviewMode()
	c.showAudience()
	c.offerReferences()
	if !c.scheduled.Checked {
		c.resetSchedule()
	}
	c.updateWhen()
	c.changed()
}

// changed saves the draft shortly and checks it again against its
// targets, both off the UI goroutine.
func (c *composer) changed() {
	c.status.SetText(c.u.loc.T("composer.saving"))
	c.saver.changed(c.draft.Clone()) // the saver's goroutine must not share our slices
	c.check()
}

// saved runs on the UI goroutine after each autosave.
func (c *composer) saved(d drafts.Draft, err error) {
	if err != nil {
		c.status.SetText(c.u.loc.T("composer.save_failed", "Reason", c.u.loc.Error(err)))
		c.status.Importance = widget.DangerImportance
		c.status.Refresh()
		return
	}
	c.status.Importance = widget.LowImportance
	c.status.SetText(c.u.loc.T("composer.saved_at", "Time", d.UpdatedAt.Local().Format("15:04:05")))
}

// publish queues the draft after the checks a careful officer would make.
func (c *composer) publish() {
	loc := c.u.loc
	if c.dialog != nil || c.closing {
		return
	}
	if c.reviewRequired() { // Ctrl+Enter submits where Publish is hidden
		c.submitForReview()
		return
	}
	if err := c.applySchedule(); err != nil {
		c.message("dialog.failed_schedule", loc.Error(err))
		return
	}
	plan := c.plan()
	if acct, langs, ok := c.nothingFor(plan); ok {
		mission, handle := c.targetName(acct)
		c.message("dialog.failed_publish", loc.T("composer.nothing_for_account", "Account", mission+" · "+handle, "Languages", languageCodes(langs)))
		return
	}
	missing, names := c.missingOfficial(plan)
	if missing == "" {
		c.submit()
		return
	}
	id := "composer.official_missing_french"
	if missing == "en" {
		id = "composer.official_missing_english"
	}
	text := widget.NewLabel(loc.T(id) + "\n" + loc.T("composer.official_accounts", "Accounts", loc.List(names)))
	text.Wrapping = fyne.TextWrapWord
	d := newConfirmDialog(loc.T("composer.official_languages_title"), loc.T("composer.publish_anyway"),
		loc.T("action.cancel"), text, func(ok bool) {
			if ok {
				c.submit()
			}
		}, c.win)
	d.Resize(fyne.NewSize(460, 0))
	c.showDialog(d)
}

func (c *composer) submit() {
	d := c.draft
	go func() { // database writes: off the UI goroutine
		c.saver.flush()
		err := c.checkDirect(d)
		if err == nil {
			_, err = c.u.p.Drafts.Submit(d, c.u.p.Publishing)
		}
		uiDo(func() {
			if err != nil {
				c.message("dialog.failed_publish", c.u.loc.Error(err))
				return
			}
			c.forget()
			c.u.flushOutbox()
		})
	}()
}

// errNotSaved: the draft could not be saved, so its window stays open.
var errNotSaved = errors.New("draft not saved")

// close saves what is typed and closes the window, off the UI goroutine; a
// draft with nothing written is not kept. If the text cannot be saved, the
// window stays open and says so, so nothing is lost.
func (c *composer) close() {
	if c.closing || c.dialog != nil {
		return
	}
	c.closing = true
	blank, id := c.draft.Blank(), c.draft.ID
	go func() {
		var err error
		switch {
		case blank:
			c.saver.drop()
			if err = c.u.p.Drafts.Delete(id); errors.Is(err, drafts.ErrNoDraft) {
				err = nil // never stored
			}
		case !c.saver.flush():
			err = errNotSaved
		}
		uiDo(func() {
			c.closing = false
			switch {
			case errors.Is(err, errNotSaved):
				c.message("dialog.failed_save_draft", c.u.loc.T("composer.not_saved_on_close"))
			case err != nil:
				c.message("dialog.failed_save_draft", c.u.loc.Error(err))
			default:
				c.forget()
			}
		})
	}()
}

// forget closes the window without saving again.
func (c *composer) forget() {
	delete(c.u.composers, c.draft.ID)
	c.win.Close()
}
