package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"chancery/timer"
)

// timerRow says in the settings whether the operating system's timer that
// publishes scheduled posts while the window is closed is installed. The
// system is asked off the UI goroutine (it runs systemctl).
func (u *ui) timerRow() fyne.CanvasObject {
	loc := u.loc
	label := widget.NewLabel(loc.T("settings.timer_checking"))
	label.Wrapping = fyne.TextWrapWord
	if u.p.Timer == nil {
		label.SetText(loc.T("settings.timer_unknown"))
		return label
	}
	go func() {
		st, err := u.p.Timer.Status(u.ctx)
		uiDo(func() { label.SetText(u.timerText(st, err)) })
	}()
	return label
}

func (u *ui) timerText(st timer.Status, err error) string {
	loc := u.loc
	switch {
	case err != nil:
		return loc.T("settings.timer_unknown")
	case !st.Installed:
		return loc.T("settings.timer_not_installed")
	case !st.LastRun.IsZero():
		return loc.T("settings.timer_last_run", "Time", absoluteTime(loc, st.LastRun.Local()))
	}
	return loc.T("settings.timer_installed")
}
