package app

import (
	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
)

// RunEmptyWindow shows an empty Fyne window of the main window's size, the
// yardstick of the GUI benchmarks (scripts/guibench.sh): the same Fyne,
// nothing of Chancery's. With CHANCERY_TRACE=1 it traces, as the main
// window does, a "window-shown" line when its first frame is painted.
func RunEmptyWindow() {
	a := fyneapp.NewWithID("org.example.chancery.benchempty")
	w := a.NewWindow("Empty")
	probe := newPaintProbe()
	probe.arm(func() { trace.event("window-shown") })
	w.SetContent(container.NewBorder(container.NewHBox(probe.raster), nil, nil, nil))
	w.Resize(fyne.NewSize(1400, 860))
	w.ShowAndRun()
}
