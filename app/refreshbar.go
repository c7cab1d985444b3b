package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// refreshBar shows how far a column's refresh has come: a thin line that
// fills as its accounts answer. It does not move by itself: an animated
// bar redraws the whole window every frame for as long as a refresh lasts,
// which on a display drawn in software (a virtual machine, a remote
// desktop) takes a processor core, drains a laptop's battery, and made the
// window slow to close while refreshes ran.
type refreshBar struct {
	widget.BaseWidget
	track, fill *canvas.Rectangle
	done, total int
}

func newRefreshBar() *refreshBar {
	b := &refreshBar{track: canvas.NewRectangle(nil), fill: canvas.NewRectangle(nil)}
	b.ExtendBaseWidget(b)
	b.Hide()
	return b
}

// set shows that done of total accounts answered; a total of 0 hides the bar.
func (b *refreshBar) set(done, total int) {
	if done == b.done && total == b.total {
		return
	}
	b.done, b.total = done, total
	if total == 0 {
		b.Hide()
		return
	}
	b.Show()
	b.Refresh()
}

// refreshBarStart is how much of the bar shows before any account answered,
// so that a refresh is seen to have started.
const refreshBarStart = 0.08

func (b *refreshBar) fraction() float32 {
	if b.total <= 0 {
		return 0
	}
	return refreshBarStart + (1-refreshBarStart)*float32(b.done)/float32(b.total)
}

func (b *refreshBar) CreateRenderer() fyne.WidgetRenderer {
	r := &refreshBarRenderer{bar: b}
	r.Refresh()
	return r
}

type refreshBarRenderer struct{ bar *refreshBar }

func (r *refreshBarRenderer) Layout(size fyne.Size) {
	b := r.bar
	b.track.Resize(size)
	b.fill.Resize(fyne.NewSize(size.Width*b.fraction(), size.Height))
}

func (r *refreshBarRenderer) MinSize() fyne.Size {
	return fyne.NewSize(0, 2*r.bar.Theme().Size(theme.SizeNameInputBorder))
}

func (r *refreshBarRenderer) Refresh() {
	b := r.bar
	th, v := b.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	b.track.FillColor = th.Color(theme.ColorNameInputBackground, v)
	b.fill.FillColor = th.Color(theme.ColorNamePrimary, v)
	r.Layout(b.Size())
	b.track.Refresh()
	b.fill.Refresh()
}

func (r *refreshBarRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bar.track, r.bar.fill}
}
func (r *refreshBarRenderer) Destroy() {}
