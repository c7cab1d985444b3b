package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"chancery/translations"
)

// StartupProblem describes why the profile could not be opened.
type StartupProblem struct {
	Err  error
	Path string
	// StartFresh, when set, keeps the unreadable file aside, opens a new
	// profile and returns its services and the name the old file was kept under.
	StartFresh func() (Params, string, error)
}

// RunStartupProblem shows a window that explains the problem and offers a way
// out, and blocks until the app quits. If the user starts fresh, the main
// window opens on the new profile.
func RunStartupProblem(a fyne.App, loc *translations.Localizer, p StartupProblem) {
	var opened *ui
	startupWindow(a, loc, p, func(u *ui) { opened = u }).ShowAndRun()
	if opened != nil {
		opened.shutdown()
	}
}

// startupWindow builds the window of RunStartupProblem; opened hears of the
// main window when the user starts fresh.
func startupWindow(a fyne.App, loc *translations.Localizer, p StartupProblem, opened func(*ui)) fyne.Window {
	w := a.NewWindow("Chancery")
	awaitFonts()
	msg := widget.NewLabel(loc.Error(p.Err))
	msg.Wrapping = fyne.TextWrapWord
	detail := widget.NewLabel(loc.T("startup.file", "Path", p.Path))
	detail.Wrapping = fyne.TextWrapWord
	detail.Importance = widget.LowImportance
	quit := widget.NewButton(loc.T("action.quit"), w.Close)
	buttons := []fyne.CanvasObject{layout.NewSpacer(), quit}
	if p.StartFresh != nil {
		var start *widget.Button
		start = widget.NewButton(loc.T("startup.start_fresh"), func() {
			start.Disable()
			go func() { // it moves a file and opens a database
				params, kept, err := p.StartFresh()
				uiDo(func() {
					if err != nil {
						msg.SetText(loc.Error(err))
						start.Enable()
						return
					}
					u := newUI(a, params)
					if opened != nil {
						opened(u)
					}
					u.window.Show()
					u.message(u.loc.T("startup.fresh_title"), u.loc.T("startup.kept", "Path", kept))
					w.Close()
				})
			}()
		})
		start.Importance = widget.HighImportance
		buttons = append(buttons, start)
	}
	w.SetContent(container.NewPadded(container.NewBorder(nil, container.NewHBox(buttons...), nil, nil,
		container.NewVBox(msg, detail))))
	w.Resize(fyne.NewSize(520, 220))
	w.CenterOnScreen()
	return w
}
