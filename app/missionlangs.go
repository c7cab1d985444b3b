package app

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
)

// MissionLanguages changes the languages a mission publishes in.
type MissionLanguages interface {
	// SetHostLanguage sets the mission's host language ("none" for English
	// and French only) and returns the mission as stored.
	SetHostLanguage(missionID, lang string) (accounts.Mission, error)
}

// missionsMenu lists each mission with its languages; choosing one opens
// its languages dialog.
func (u *ui) missionsMenu() *fyne.Menu {
	loc := u.loc
	items := make([]*fyne.MenuItem, 0, len(u.missions))
	for _, m := range u.missions {
		label := loc.T("menu.mission_languages", "Mission", m.Name(loc.Lang()), "Languages", languageCodes(m.Languages()))
		items = append(items, fyne.NewMenuItem(label, func() { u.showMissionLanguages(m.ID) }))
	}
	return fyne.NewMenu(loc.T("menu.missions"), append(items, u.watchMenuItems()...)...)
}

// hostChoices are the host languages offered, "none" first.
func hostChoices() []string { return append([]string{"none"}, accounts.HostLanguages()...) }

// showMissionLanguages lets the user choose a mission's host language.
func (u *ui) showMissionLanguages(missionID string) *confirmDialog {
	i := slices.IndexFunc(u.missions, func(m accounts.Mission) bool { return m.ID == missionID })
	if i < 0 || u.p.Missions == nil {
		return nil
	}
	m, loc := u.missions[i], u.loc
	choices := hostChoices()
	names := []string{loc.T("settings.host_language_none")}
	for _, c := range choices[1:] {
		names = append(names, loc.T("language_name."+c))
	}
	sel := newEscSelect(u.window, names, nil)
	sel.SetSelectedIndex(max(slices.Index(choices, m.HostLanguage), 0))
	help := widget.NewLabel(loc.T("settings.mission_languages_help"))
	help.Wrapping = fyne.TextWrapWord
	d := newConfirmDialog(loc.T("settings.mission_languages_title", "Mission", m.Name(loc.Lang())),
		loc.T("action.save"), loc.T("action.cancel"),
		widget.NewForm(widget.NewFormItem(loc.T("settings.host_language"), sel), widget.NewFormItem("", help)),
		func(ok bool) {
			if ok && sel.SelectedIndex() >= 0 {
				u.setHostLanguage(missionID, choices[sel.SelectedIndex()])
			}
		}, u.window)
	d.Resize(fyne.NewSize(480, 0))
	u.showDialog(d)
	return d
}

// setHostLanguage saves the choice off the UI goroutine, then shows it.
func (u *ui) setHostLanguage(missionID, lang string) {
	go func() {
		m, err := u.p.Missions.SetHostLanguage(missionID, lang)
		uiDo(func() {
			if err != nil {
				u.showFailure("dialog.failed_mission_languages", err)
				return
			}
			u.missionChanged(m)
		})
	}()
}

// missionChanged takes a mission's new languages into the menu and into
// every open composer.
func (u *ui) missionChanged(m accounts.Mission) {
	for i := range u.missions {
		if u.missions[i].ID == m.ID {
			u.missions[i] = m
		}
	}
	u.window.SetMainMenu(u.mainMenu())
	for _, c := range u.composers {
		c.showVariants()
		c.showPlan()
	}
}
