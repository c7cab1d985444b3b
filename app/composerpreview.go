package app

import (
	"errors"
	"slices"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/drafts"
)

// latestRunner runs work on the latest input only, one run at a time, off
// the UI goroutine, and hands each result to done on the UI goroutine:
// inputs that arrive during a run are coalesced into one more run.
type latestRunner[In, Out any] struct {
	run  func(In) Out
	done func(Out)

	mu      sync.Mutex
	pending *In
	running bool
}

func newLatestRunner[In, Out any](run func(In) Out, done func(Out)) *latestRunner[In, Out] {
	return &latestRunner[In, Out]{run: run, done: done}
}

func (r *latestRunner[In, Out]) submit(in In) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pending = &in
	if !r.running {
		r.running = true
		go r.loop()
	}
}

func (r *latestRunner[In, Out]) loop() {
	for {
		r.mu.Lock()
		in := r.pending
		r.pending = nil
		if in == nil {
			r.running = false
			r.mu.Unlock()
			return
		}
		r.mu.Unlock()
		out := r.run(*in)
		uiDo(func() { r.done(out) })
	}
}

// checkInput is what the composer would queue, one entry per post.
type checkInput struct{ entries []drafts.Entry }

// checkedPost is one post as its target will show it, with its count and
// the reason its target refuses it, if it does.
type checkedPost struct {
	drafts.Entry
	count drafts.Count
	err   error
}

type checkResult struct{ posts []checkedPost }

// check checks the posts the draft makes against their targets, in the
// background (it reads accounts and image files).
func (c *composer) check() {
	if c.checker == nil || c.publishBtn == nil {
		return
	}
	var in checkInput
	for _, t := range c.plan().Targets {
		for _, lang := range t.Langs {
			in.entries = append(in.entries, drafts.Entry{
				Account: t.Account, Lang: lang, Text: c.draft.Text(lang), ContentWarning: c.draft.ContentWarning,
				ReplyTo: c.draft.ReplyTo, Visibility: c.draft.Visibility, Media: slices.Clone(c.draft.Media),
			})
		}
	}
	c.checker.submit(in)
}

// runCheck runs off the UI goroutine.
func (c *composer) runCheck(in checkInput) checkResult {
	var out checkResult
	for _, e := range in.entries {
		p := checkedPost{Entry: e}
		p.count, _ = c.u.p.Publishing.Count(e)
		p.err = c.u.p.Publishing.Check(e)
		out.posts = append(out.posts, p)
	}
	return out
}

// showCheck shows a check's result: the counters under each version, the
// preview, and whether Publish is possible.
func (c *composer) showCheck(res checkResult) {
	if c.u.composers[c.draft.ID] != c {
		return // closed meanwhile
	}
	c.checked = res
	c.showCounters()
	c.showPreview()
	c.gatePublish()
}

// showCounters shows, under each version, its count on each network of
// the targets that publish it.
func (c *composer) showCounters() {
	loc := c.u.loc
	for lang, label := range c.counters {
		var parts []string
		seen := map[accounts.Network]bool{}
		over := false
		for _, p := range c.checked.posts {
			a := c.account(p.Account)
			if p.Lang != lang || p.count.Limit == 0 || seen[a.Network] {
				continue
			}
			seen[a.Network] = true
			over = over || p.count.Over() > 0
			parts = append(parts, loc.T("composer.counter", "Network", loc.T("network."+string(a.Network)), "Used", p.count.Used, "Limit", p.count.Limit))
		}
		label.Importance = widget.LowImportance
		if over {
			label.Importance = widget.DangerImportance
		}
		label.SetText(strings.Join(parts, " · "))
	}
}

// gatePublish disables Publish, saying why, while a post is over its
// target's limit, a target refuses one, or the schedule is not possible.
func (c *composer) gatePublish() {
	reason := c.scheduleProblem()
	if reason == "" {
		reason = c.refusal()
	}
	if reason == "" {
		c.publishBtn.Enable()
		c.blocked.Hide()
		return
	}
	c.publishBtn.Disable()
	c.blocked.SetText(c.u.loc.T("composer.blocked", "Reason", reason))
	c.blocked.Show()
}

// refusal words why a target refuses a post: first a text too long,
// naming the language, the account and by how much, else the first
// other refusal.
func (c *composer) refusal() string {
	loc := c.u.loc
	for _, p := range c.checked.posts {
		if errors.Is(p.err, drafts.ErrTooLong) && p.count.Over() > 0 {
			mission, handle := c.targetName(p.Account)
			return loc.N("composer.too_long_for", p.count.Over(), "Language", languageCodes([]string{p.Lang}),
				"Mission", mission, "Handle", handle, "Used", p.count.Used, "Limit", p.count.Limit)
		}
	}
	for _, p := range c.checked.posts {
		if p.err != nil {
			return loc.Error(p.err)
		}
	}
	return ""
}

func (c *composer) buildPreview() fyne.CanvasObject {
	c.preview = container.NewVBox()
	return container.NewVScroll(c.preview)
}

// showPreview shows each post as each target will show it: per account,
// each language's text with its content warning, images and count.
func (c *composer) showPreview() {
	loc := c.u.loc
	c.preview.RemoveAll()
	if len(c.checked.posts) == 0 {
		hint := widget.NewLabel(loc.T("composer.preview_none"))
		hint.Wrapping = fyne.TextWrapWord
		c.preview.Add(hint)
	}
	account := ""
	for _, p := range c.checked.posts {
		if p.Account != account {
			account = p.Account
			mission, handle := c.targetName(account)
			network := loc.T("network." + string(c.account(account).Network))
			c.preview.Add(widget.NewLabelWithStyle(mission+" · "+handle+" · "+network, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		}
		c.preview.Add(c.previewPost(p))
	}
	c.preview.Refresh()
}

func (c *composer) previewPost(p checkedPost) fyne.CanvasObject {
	loc := c.u.loc
	code := languageCodes([]string{p.Lang})
	head := code
	if p.count.Limit > 0 {
		id := "composer.preview_count"
		if p.count.Warning {
			id = "composer.preview_count_warning"
		}
		head = loc.T(id, "Language", code, "Used", p.count.Used, "Limit", p.count.Limit)
	}
	if n := len(p.Media); n > 0 {
		head += " · " + loc.N("composer.preview_images", n)
	}
	top := widget.NewLabel(head)
	top.Importance = widget.LowImportance
	if p.err != nil {
		top.Importance = widget.DangerImportance
	}
	box := container.NewVBox(top)
	if p.ContentWarning != "" {
		cw := widget.NewLabel(loc.T("composer.preview_warning", "Warning", p.ContentWarning))
		cw.Importance = widget.WarningImportance
		cw.Wrapping = fyne.TextWrapWord
		box.Add(cw)
	}
	text := widget.NewLabel(p.Text)
	text.Wrapping = fyne.TextWrapWord
	box.Add(text)
	if p.err != nil {
		why := widget.NewLabel(loc.Error(p.err))
		why.Importance = widget.DangerImportance
		why.Wrapping = fyne.TextWrapWord
		box.Add(why)
	}
	box.Add(widget.NewSeparator())
	return box
}
