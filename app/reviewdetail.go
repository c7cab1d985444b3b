package app

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"chancery/team"
)

// reviewList is the list of posts of a Review window; Enter opens the
// post under the focus as Space does, and Escape closes the window.
type reviewList struct {
	widget.List
	escapeTo
}

func newReviewList(p *reviewPanel) *reviewList {
	l := &reviewList{escapeTo: escapeTo{p.win}}
	l.Length = func() int { return len(p.shown) }
	l.CreateItem = func() fyne.CanvasObject {
		head := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		head.Truncation = fyne.TextTruncateEllipsis
		text := widget.NewLabel("")
		text.Truncation = fyne.TextTruncateEllipsis
		return container.NewVBox(head, text)
	}
	l.UpdateItem = func(id widget.ListItemID, o fyne.CanvasObject) {
		if id >= len(p.shown) {
			return
		}
		box := o.(*fyne.Container)
		box.Objects[0].(*widget.Label).SetText(p.itemTitle(p.shown[id]))
		box.Objects[1].(*widget.Label).SetText(firstText(p.shown[id]))
	}
	l.OnSelected = func(id widget.ListItemID) {
		if id < len(p.shown) && p.shown[id].Post != p.selected {
			p.selected, p.from, p.to = p.shown[id].Post, -1, 0
			p.showDetail()
		}
	}
	l.ExtendBaseWidget(l)
	return l
}

// TypedKey implements fyne.Focusable.
func (l *reviewList) TypedKey(k *fyne.KeyEvent) {
	switch {
	case l.escape(k):
	case k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter:
		l.List.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	default:
		l.List.TypedKey(k)
	}
}

// itemTitle names a post: its author, state and latest revision.
func (p *reviewPanel) itemTitle(it team.Item) string {
	loc := p.u.loc
	title := loc.T("reviewui.item", "Author", it.Author, "State", loc.T("team.state."+string(it.State)),
		"Revision", it.Latest().Number)
	if it.Pending {
		title += " · " + loc.T("reviewui.pending")
	}
	return title
}

func firstText(it team.Item) string {
	for _, v := range it.Latest().Content.Variants {
		if v.Text != "" {
			return oneLineText(v.Text)
		}
	}
	return ""
}

func oneLineText(s string) string {
	out := []rune{}
	for _, r := range s {
		if r == '\n' {
			r = ' '
		}
		out = append(out, r)
		if len(out) >= 120 {
			break
		}
	}
	return string(out)
}

// current returns the selected post.
func (p *reviewPanel) current() (team.Item, bool) {
	for _, it := range p.shown {
		if it.Post == p.selected {
			return it, true
		}
	}
	return team.Item{}, false
}

// showDetail shows the selected post: what changed, the thread, what the
// server refused and what can be done.
func (p *reviewPanel) showDetail() {
	loc := p.u.loc
	p.detail.RemoveAll()
	it, ok := p.current()
	if !ok {
		hint := loc.T("reviewui.choose")
		if len(p.shown) == 0 {
			hint = loc.T("reviewui.empty")
		}
		p.detail.Add(widget.NewLabel(hint))
		p.detail.Refresh()
		return
	}
	head := widget.NewLabelWithStyle(p.itemTitle(it), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head.Wrapping = fyne.TextWrapWord
	p.detail.Add(head)
	for _, q := range it.Refused {
		p.detail.Add(p.refusal(q))
	}
	if it.Pending {
		l := widget.NewLabel(loc.T("reviewui.pending_long"))
		l.Importance, l.Wrapping = widget.WarningImportance, fyne.TextWrapWord
		p.detail.Add(l)
	}
	if actions := p.actions(it); actions != nil {
		p.detail.Add(actions)
	}
	p.addDiff(it)
	p.addThread(it)
	p.detail.Refresh()
}

// refusal says why the server refused one of this laptop's actions, with
// a button that dismisses it once read.
func (p *reviewPanel) refusal(q team.Queued) fyne.CanvasObject {
	loc := p.u.loc
	l := widget.NewLabel(loc.T("reviewui.refused", "Action", loc.T("reviewui.kind."+string(q.Kind)),
		"Reason", loc.Error(team.ReasonOf(q))))
	l.Importance, l.Wrapping = widget.DangerImportance, fyne.TextWrapWord
	id := q.ID
	dismiss := newEnterButton(p.win, loc.T("reviewui.dismiss"), nil, func() {
		p.act("reviewui.failed_dismiss", func(svc ReviewService) error { return svc.Dismiss(id) })
	})
	if p.busy {
		dismiss.Disable()
	}
	return container.NewBorder(nil, nil, nil, dismiss, l)
}

// addDiff shows the revisions' difference, language by language.
func (p *reviewPanel) addDiff(it team.Item) {
	loc := p.u.loc
	latest := it.Latest().Number
	if p.to == 0 || p.to > latest {
		p.to = latest
	}
	if p.from < 0 || p.from >= p.to { // the revision before, unless chosen
		p.from = p.to - 1
	}
	revs := make([]string, latest+1)
	for n := range revs {
		revs[n] = loc.T("reviewui.revision", "Number", n)
	}
	revs[0] = loc.T("reviewui.revision_none")
	fromSel := newEscSelect(p.win, revs, nil)
	fromSel.SetSelectedIndex(p.from)
	fromSel.OnChanged = func(string) { p.from = fromSel.SelectedIndex(); p.showDetail() }
	toSel := newEscSelect(p.win, revs[1:], nil)
	toSel.SetSelectedIndex(p.to - 1)
	toSel.OnChanged = func(string) { p.to = toSel.SelectedIndex() + 1; p.showDetail() }
	p.detail.Add(widget.NewSeparator())
	p.detail.Add(container.NewHBox(widget.NewLabelWithStyle(loc.T("reviewui.changes"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		fromSel, widget.NewLabel("→"), toSel))
	legend := widget.NewLabel(loc.T("reviewui.legend"))
	legend.Importance, legend.Wrapping = widget.LowImportance, fyne.TextWrapWord
	p.detail.Add(legend)
	a, b := revisionOf(it, p.from), revisionOf(it, p.to)
	for _, lang := range diffLangs(a, b) {
		p.detail.Add(widget.NewLabelWithStyle(loc.T("language_name."+lang), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		p.detail.Add(newDiffText(p.u.app.Settings().Theme(), diffWords(variantText(a, lang), variantText(b, lang))))
	}
}

func revisionOf(it team.Item, n int) team.Revision {
	for _, r := range it.Revisions {
		if r.Number == n {
			return r
		}
	}
	return team.Revision{}
}

// diffLangs are the languages either revision has text in, in order.
func diffLangs(a, b team.Revision) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range []team.Revision{a, b} {
		for _, v := range r.Content.Variants {
			if v.Text != "" && !seen[v.Lang] {
				seen[v.Lang] = true
				out = append(out, v.Lang)
			}
		}
	}
	return out
}

func variantText(r team.Revision, lang string) string {
	for _, v := range r.Content.Variants {
		if v.Lang == lang {
			return v.Text
		}
	}
	return ""
}

// addThread shows the comments, oldest first.
func (p *reviewPanel) addThread(it team.Item) {
	loc := p.u.loc
	p.detail.Add(widget.NewSeparator())
	p.detail.Add(widget.NewLabelWithStyle(loc.T("reviewui.comments"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	if len(it.Comments) == 0 {
		none := widget.NewLabel(loc.T("reviewui.no_comments"))
		none.Importance = widget.LowImportance
		p.detail.Add(none)
	}
	for _, c := range it.Comments {
		when := ""
		if !c.At.IsZero() {
			when = c.At.Local().Format("2006-01-02 15:04")
		}
		head := widget.NewLabel(loc.T("reviewui.comment_head", "Author", c.Actor, "Action", loc.T("reviewui.kind."+string(c.Kind)),
			"Revision", strconv.Itoa(c.Revision), "Time", when))
		head.Importance = widget.LowImportance
		text := widget.NewLabel(c.Text)
		text.Wrapping = fyne.TextWrapWord
		p.detail.Add(container.NewVBox(head, text))
	}
}
