package drafts

import (
	"slices"
	"strings"
)

// Plan is what a draft will publish: on each target, the written variants
// in its mission's languages.
type Plan struct {
	Targets []TargetPlan
	// Unpublished are the languages written that no target publishes.
	Unpublished []string
}

// TargetPlan is what one target account will publish.
type TargetPlan struct {
	Account string
	// Allowed are the languages of the account's mission.
	Allowed []string
	// Langs are the written variants it publishes, in the draft's order.
	Langs []string
	// MissingOfficial is "en" or "fr" when the account publishes exactly
	// one of Canada's official languages, else "".
	MissingOfficial string
}

// PlanFor returns what d publishes on each of its targets, given the
// languages each target account publishes in.
func PlanFor(d Draft, allowed map[string][]string) Plan {
	written := d.writtenLanguages()
	var p Plan
	used := map[string]bool{}
	for _, acct := range d.Targets {
		t := TargetPlan{Account: acct, Allowed: slices.Clone(allowed[acct])}
		for _, lang := range written {
			if slices.Contains(t.Allowed, lang) {
				t.Langs = append(t.Langs, lang)
				used[lang] = true
			}
		}
		t.MissingOfficial = missingOfficial(t.Langs)
		p.Targets = append(p.Targets, t)
	}
	for _, lang := range written {
		if !used[lang] {
			p.Unpublished = append(p.Unpublished, lang)
		}
	}
	return p
}

// writtenLanguages are the languages of d's non-empty variants, in order.
func (d Draft) writtenLanguages() []string {
	var out []string
	for _, v := range d.Variants {
		if strings.TrimSpace(v.Text) != "" && !slices.Contains(out, v.Lang) {
			out = append(out, v.Lang)
		}
	}
	return out
}

// MissingOfficialLanguage returns "en" or "fr" when d has text in exactly
// one of Canada's official languages, or "" when it has both or neither.
func MissingOfficialLanguage(d Draft) string { return missingOfficial(d.writtenLanguages()) }

func missingOfficial(langs []string) string {
	en, fr := slices.Contains(langs, "en"), slices.Contains(langs, "fr")
	switch {
	case en && !fr:
		return "fr"
	case fr && !en:
		return "en"
	}
	return ""
}
