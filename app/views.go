package app

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/feeds"
)

// A column shows one view of its mission's accounts: their main timelines
// (the empty kind), or one kind all of them that offer it share:
// notifications, own posts, a hashtag, a search or a list.
type viewChoice struct {
	kind   feeds.Kind // a plain kind, or a prefix such as "tag:" that asks for its argument
	label  string
	prompt string // for prefixes: what to ask
}

// viewChoices are the views the column's accounts can show.
func (c *column) viewChoices() []viewChoice {
	loc := c.ui.loc
	choices := []viewChoice{{kind: "", label: loc.T("view.main")}}
	if c.ui.watches != nil && len(c.accts) > 0 {
		choices = append(choices, viewChoice{kind: watchView, label: loc.T("watch.view")})
	}
	for _, v := range []viewChoice{
		{kind: feeds.Mentions, label: loc.T("view.mentions")},
		{kind: feeds.Own, label: loc.T("view.own")},
		{kind: "tag:", label: loc.T("view.tag"), prompt: loc.T("view.tag_prompt")},
		{kind: "search:", label: loc.T("view.search"), prompt: loc.T("view.search_prompt")},
		{kind: "list:", label: loc.T("view.list"), prompt: loc.T("view.list_prompt")},
		{kind: "feed:", label: loc.T("view.feed"), prompt: loc.T("view.feed_prompt")},
	} {
		probe := v.kind
		if v.prompt != "" {
			probe += "x"
		}
		if slices.ContainsFunc(c.accts, func(a accounts.Account) bool { return c.ui.p.Refresher.Supports(a, probe) }) {
			choices = append(choices, v)
		}
	}
	return choices
}

// choiceOf returns the index of the choice that shows kind k, or -1.
func (c *column) choiceOf(k feeds.Kind) int {
	for i, v := range c.choices {
		if v.kind == k || (v.prompt != "" && strings.HasPrefix(string(k), string(v.kind))) {
			return i
		}
	}
	return -1
}

// targets are the timelines the column shows: for each account that offers
// the view, the view's kind (its main timeline for the main view).
func (c *column) targets() []feeds.Target {
	var out []feeds.Target
	for _, a := range c.accts {
		kind := c.view
		if kind == "" {
			kind = c.ui.p.Refresher.DefaultKind(a.Network)
		} else if kind == watchView {
			kind = watchKind(c.mission.ID, c.ui.p.Refresher.DefaultKind(a.Network))
		} else if !c.ui.p.Refresher.Supports(a, kind) {
			continue
		}
		out = append(out, feeds.Target{Account: a, Kind: kind})
	}
	return out
}

// wants reports whether a refresh of key concerns what the column shows.
func (c *column) wants(key feeds.TimelineKey) bool {
	return slices.ContainsFunc(c.targets(), func(t feeds.Target) bool {
		return t.Account.ID == key.Account && t.Kind == key.Kind
	})
}

// buildViewSelect makes the choice of view at the top of the column.
func (c *column) buildViewSelect() *widget.Select {
	c.choices = c.viewChoices()
	if c.choiceOf(c.view) < 0 {
		c.view = "" // no account offers it any more
	}
	labels := make([]string, len(c.choices))
	for i, v := range c.choices {
		labels[i] = v.label
	}
	sel := widget.NewSelect(labels, nil)
	sel.SetSelectedIndex(max(c.choiceOf(c.view), 0))
	sel.OnChanged = func(string) {
		v := c.choices[sel.SelectedIndex()]
		if v.prompt == "" {
			c.setView(v.kind)
			return
		}
		c.askArgument(v, func() { sel.SetSelectedIndex(max(c.choiceOf(c.view), 0)) })
	}
	return sel
}

func viewArgument(k feeds.Kind) string {
	_, arg, _ := strings.Cut(string(k), ":")
	return arg
}

// askArgument asks for the hashtag, search or list of a view; cancel puts
// the previous choice back.
func (c *column) askArgument(v viewChoice, cancel func()) {
	loc := c.ui.loc
	entry := newEscEntry(c.ui.window)
	entry.SetText(viewArgument(c.view))
	d := newConfirmDialog(v.label, loc.T("action.show"), loc.T("action.cancel"),
		widget.NewForm(widget.NewFormItem(v.prompt, entry)), func(ok bool) {
			arg := strings.TrimSpace(strings.TrimPrefix(entry.Text, "#"))
			if !ok || arg == "" {
				cancel()
				return
			}
			c.setView(v.kind + feeds.Kind(arg))
		}, c.ui.window)
	entry.OnSubmitted = func(string) { d.Confirm() }
	d.Resize(fyne.NewSize(400, 0))
	c.ui.showDialog(d)
	c.ui.window.Canvas().Focus(entry)
}

// setView switches the column to kind k, shows what the cache has at once
// and refreshes it.
func (c *column) setView(k feeds.Kind) {
	c.view = k
	c.cursors, c.newCount, c.span = map[string]string{}, 0, span{}
	c.showNewCount()
	c.ui.rememberView(c.mission.ID, k)
	c.viewLabel.SetText(c.viewTitle())
	c.failures = map[string]error{}
	c.showProblems()
	c.reload()
	c.ui.refreshTargets(c.targets(), true)
}

// viewTitle names the view, with its argument.
func (c *column) viewTitle() string {
	i := c.choiceOf(c.view)
	if i < 0 {
		return ""
	}
	if arg := viewArgument(c.view); arg != "" && c.choices[i].prompt != "" {
		if strings.HasPrefix(string(c.view), "tag:") {
			arg = "#" + arg
		}
		return arg
	}
	return ""
}
