package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"chancery/accounts"
	"chancery/feeds"
)

func TestRefreshBarFillsAsAccountsAnswer(t *testing.T) {
	test.NewTempApp(t)
	b := newRefreshBar()
	w := test.NewWindow(b)
	defer w.Close()
	w.Resize(fyne.NewSize(200, 20))
	if b.Visible() {
		t.Fatal("the bar shows before any refresh")
	}
	var widths []float32
	for done := range 4 {
		b.set(done, 3)
		if !b.Visible() {
			t.Fatalf("%d of 3 answered: the bar is hidden", done)
		}
		widths = append(widths, b.fill.Size().Width)
	}
	if widths[0] <= 0 || widths[0] >= widths[1] || widths[1] >= widths[2] || widths[3] != b.track.Size().Width {
		t.Errorf("fill widths %v for 0..3 of 3 answered, want them growing from a sliver to the whole track (%v)", widths, b.track.Size().Width)
	}
	b.set(0, 0)
	if b.Visible() {
		t.Error("the bar still shows once the refresh ended")
	}
}

// A column shows its refresh bar while its accounts are fetched, and hides
// it once they answered.
func TestColumnShowsItsRefreshWhileItRuns(t *testing.T) {
	f := newFixture(t)
	hold := make(chan struct{})
	f.params.Refresher = feeds.NewRefresher(feeds.Registry{accounts.Demo: heldNetwork{f.net, hold}}, f.store, nil)
	u := startSettled(t, f)
	col := u.columns[0]
	eventually(t, "the refresh shown", func() bool {
		return col.progress.Visible() && col.progress.total > 0 && col.progress.done == 0
	})
	close(hold)
	eventually(t, "the refresh bar hidden", func() bool { return !col.progress.Visible() && len(col.running) == 0 })
}
