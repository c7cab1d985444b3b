package app

import (
	"cmp"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/drafts"
)

// planLine is one line of what the composer says each target publishes.
type planLine struct {
	text       string
	importance widget.Importance
}

// missionOf returns the mission of account a, from the missions the window
// already holds (no database read on the UI goroutine).
func (c *composer) missionOf(a accounts.Account) (accounts.Mission, bool) {
	for _, m := range c.u.missions {
		if m.ID == a.Mission {
			return m, true
		}
	}
	return accounts.Mission{}, false
}

// sortAccounts puts the accounts in the order the composer lists them:
// by mission as the columns are, so targets, the plan and the queued posts
// follow what the user sees.
func (c *composer) sortAccounts() {
	index := func(a accounts.Account) int {
		return slices.IndexFunc(c.u.missions, func(m accounts.Mission) bool { return m.ID == a.Mission })
	}
	slices.SortStableFunc(c.accts, func(a, b accounts.Account) int { return cmp.Compare(index(a), index(b)) })
}

// allowedLanguages are the languages each target publishes in: those of
// its mission.
func (c *composer) allowedLanguages() map[string][]string {
	out := map[string][]string{}
	for _, id := range c.draft.Targets {
		if m, ok := c.missionOf(c.account(id)); ok {
			out[id] = m.Languages()
		}
	}
	return out
}

// plan is what the draft, as it stands, will publish on each target.
func (c *composer) plan() drafts.Plan { return drafts.PlanFor(c.draft, c.allowedLanguages()) }

// targetName is "Vienna · @handle", the mission named in the UI language.
func (c *composer) targetName(id string) (mission, handle string) {
	a := c.account(id)
	m, _ := c.missionOf(a)
	return m.Name(c.u.loc.Lang()), cmp.Or(a.Handle, id)
}

// languageCodes shows languages as short codes: "EN · FR · ZH".
func languageCodes(langs []string) string {
	codes := make([]string, 0, len(langs))
	for _, l := range langs {
		base, _, _ := strings.Cut(l, "-")
		codes = append(codes, strings.ToUpper(base))
	}
	return strings.Join(codes, " · ")
}

// planLines says, per target, which variants it will publish, and which
// written variant none of them publishes.
func (c *composer) planLines() []planLine {
	loc := c.u.loc
	plan := c.plan()
	written := hasText(plan)
	var lines []planLine
	for _, t := range plan.Targets {
		mission, handle := c.targetName(t.Account)
		switch {
		case !written: // nothing typed yet: the languages it will take
			lines = append(lines, planLine{loc.T("composer.publishes_line", "Mission", mission, "Handle", handle,
				"Languages", languageCodes(t.Allowed)), widget.LowImportance})
		case len(t.Langs) == 0:
			lines = append(lines, planLine{loc.T("composer.publishes_nothing", "Mission", mission, "Handle", handle,
				"Languages", languageCodes(t.Allowed)), widget.DangerImportance})
		default:
			lines = append(lines, planLine{loc.T("composer.publishes_line", "Mission", mission, "Handle", handle,
				"Languages", languageCodes(t.Langs)), widget.MediumImportance})
		}
	}
	if len(plan.Unpublished) > 0 {
		lines = append(lines, planLine{loc.T("composer.unpublished", "Languages", languageCodes(plan.Unpublished)), widget.WarningImportance})
	}
	return lines
}

// showPlan updates the lines under the targets; it rebuilds them only when
// they change, since it runs on every keystroke.
func (c *composer) showPlan() {
	lines := c.planLines()
	if slices.Equal(lines, c.planShown) {
		return
	}
	c.planShown = lines
	c.planBox.RemoveAll()
	if len(lines) > 0 {
		c.planBox.Add(widget.NewLabelWithStyle(c.u.loc.T("composer.publishes"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	for _, l := range lines {
		label := widget.NewLabel(l.text)
		label.Wrapping = fyne.TextWrapWord
		label.Importance = l.importance
		c.planBox.Add(label)
	}
	c.planBox.Refresh()
}

// nothingFor returns a target that would publish nothing although the draft
// has text, and the languages its mission publishes in.
func (c *composer) nothingFor(plan drafts.Plan) (string, []string, bool) {
	written := hasText(plan)
	for _, t := range plan.Targets {
		if written && len(t.Langs) == 0 {
			return t.Account, t.Allowed, true
		}
	}
	return "", nil, false
}

// hasText reports whether some variant of the planned draft has text.
func hasText(plan drafts.Plan) bool {
	return len(plan.Unpublished) > 0 || slices.ContainsFunc(plan.Targets, func(t drafts.TargetPlan) bool { return len(t.Langs) > 0 })
}

// missingOfficial returns the official language missing on some target
// ("en" or "fr") and those targets, named for the user.
func (c *composer) missingOfficial(plan drafts.Plan) (string, []string) {
	missing := ""
	var names []string
	for _, t := range plan.Targets {
		if t.MissingOfficial == "" || (missing != "" && t.MissingOfficial != missing) {
			continue
		}
		missing = t.MissingOfficial
		mission, handle := c.targetName(t.Account)
		names = append(names, mission+" · "+handle)
	}
	return missing, names
}
