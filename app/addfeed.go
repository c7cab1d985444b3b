package app

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"chancery/feeds"
)

// offerFeeds offers, under the form's message, the feeds that the web
// page given as a feed declares: choosing one puts it in place of the
// page's address.
func (f *addAccountForm) offerFeeds(err error) {
	var nf *feeds.NoFeedError
	if !errors.As(err, &nf) || len(nf.Links) == 0 {
		f.showOffers(nil)
		return
	}
	f.showOffers(nf)
}

// showOffers shows one button per feed link of nf, none when nf is nil.
func (f *addAccountForm) showOffers(nf *feeds.NoFeedError) {
	f.offers.RemoveAll()
	if nf != nil {
		for _, link := range nf.Links {
			b := newEscButton(f.u.window, f.u.loc.T("health.use_feed", "Address", link), nil, func() { f.useFeed(nf.Address, link) })
			b.Alignment = widget.ButtonAlignLeading
			f.offers.Add(container.NewHBox(b))
		}
	}
	f.offers.Refresh()
}

// useFeed replaces the line that named page (as typed, or as normalised)
// by link, or adds link when no line matches; the user then adds the
// account.
func (f *addAccountForm) useFeed(page, link string) {
	lines := strings.Split(f.feeds.Text, "\n")
	replaced := false
	for i, line := range lines {
		if l := strings.TrimSpace(line); l != "" && sameAddress(l, page) {
			lines[i], replaced = link, true
		}
	}
	if !replaced {
		lines = append([]string{link}, lines...)
	}
	f.feeds.SetText(strings.TrimSpace(strings.Join(lines, "\n")))
	f.message.SetText("")
	f.showOffers(nil)
	if cv := fyne.CurrentApp().Driver().CanvasForObject(f.feeds); cv != nil {
		cv.Focus(f.feeds)
	}
}

// sameAddress reports whether typed, as the user typed it, names the
// normalised address page ("example.org/news" and "https://example.org/news").
func sameAddress(typed, page string) bool {
	if typed == page {
		return true
	}
	if !strings.Contains(typed, "://") {
		typed = "https://" + typed
	}
	return strings.EqualFold(strings.TrimSuffix(typed, "/"), strings.TrimSuffix(page, "/"))
}
