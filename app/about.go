package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"chancery/version"
)

// showAbout (Help → About) says which build is running: the version, the
// commit and the build date, with a button that copies them for a report.
func (u *ui) showAbout() {
	info := version.Get(u.app.Metadata().Version)
	text := widget.NewLabel(u.loc.T("about.text", "Version", info.Version))
	text.Wrapping = fyne.TextWrapWord
	details := info.Details(u.loc)
	build := widget.NewLabel(strings.Join(details, "\n"))
	build.Selectable = true
	status := widget.NewLabel("")
	cp := widget.NewButton(u.loc.T("about.copy"), func() {
		report := append([]string{info.Heading(u.loc)}, details...)
		u.app.Clipboard().SetContent(strings.Join(report, "\n"))
		status.SetText(u.loc.T("about.copied"))
	})
	content := container.NewVBox(text, build, container.NewHBox(cp, status))
	if icon := u.app.Icon(); icon != nil {
		img := canvas.NewImageFromResource(icon)
		img.FillMode = canvas.ImageFillContain
		img.SetMinSize(fyne.NewSquareSize(64))
		content = container.NewBorder(nil, nil, container.NewVBox(img), nil, content)
	}
	d := newMessageDialog(u.loc.T("menu.about"), u.loc.T("action.close"), content, u.window)
	d.Resize(fyne.NewSize(480, 0))
	u.showDialog(d)
}
