package app

import (
	"cmp"
	"path/filepath"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	fynestorage "fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/drafts"
)

// maxImages is how many images a post may carry (Mastodon's and Bluesky's
// limit); each target's own limit is checked when the post is submitted.
const maxImages = 4

// Attachments copies an attached image into the profile, without its
// metadata, and returns what the draft keeps of it. Implemented by
// drafts.Attachments; it does file work, so it is called off the UI
// goroutine.
type Attachments interface {
	Import(src string) (drafts.Attachment, error)
}

// visibilities are Mastodon's audiences, in the order offered.
var visibilities = []string{"public", "unlisted", "private", "direct"}

// buildExtras makes the composer's row of images (each with its
// description) and, when a target can restrict it, the post's audience.
func (c *composer) buildExtras() fyne.CanvasObject {
	loc := c.u.loc
	c.images = container.NewVBox()
	c.copies = container.NewVBox()
	add := newEscButton(c.win, loc.T("composer.add_image"), theme.FileImageIcon(), c.chooseImage)
	var names []string
	for _, v := range visibilities {
		names = append(names, loc.T("visibility."+v))
	}
	c.visibility = newEscSelect(c.win, names, nil)
	c.visibility.SetSelectedIndex(max(slices.Index(visibilities, c.draft.Visibility), 0))
	c.visibility.OnChanged = func(string) { // set after the first choice, which is no change
		c.draft.Visibility = visibilities[c.visibility.SelectedIndex()]
		c.changed()
	}
	c.audience = container.NewHBox(widget.NewLabel(loc.T("composer.visibility")), c.visibility)
	c.showImages()
	c.showAudience()
	return container.NewVBox(container.NewBorder(nil, nil, add, c.audience), c.images, c.copies)
}

// showAudience offers the audience only when a target is on Mastodon.
func (c *composer) showAudience() {
	if c.audience == nil {
		return
	}
	c.audience.Hidden = !slices.ContainsFunc(c.draft.Targets, func(id string) bool {
		return c.account(id).Network == accounts.Mastodon
	})
	c.audience.Refresh()
}

// chooseImage asks for an image file to attach.
func (c *composer) chooseImage() {
	if len(c.draft.Media)+len(c.copies.Objects) >= maxImages {
		c.message("dialog.failed_attach", c.u.loc.N("composer.too_many_images", maxImages))
		return
	}
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		_ = r.Close()
		c.attach(path)
	}, c.win)
	d.SetFilter(fynestorage.NewExtensionFileFilter([]string{".png", ".jpg", ".jpeg", ".gif", ".webp"}))
	c.showDialog(d)
}

// attach copies an image file into the profile, in the background while a
// row shows the copy going on, then adds the copy to the draft, to be
// described. Without an Attachments service the file is attached where it
// is.
func (c *composer) attach(path string) {
	if c.u.p.Attachments == nil {
		c.added(drafts.Attachment{Path: path, Name: filepath.Base(path)})
		return
	}
	bar := widget.NewProgressBarInfinite()
	row := container.NewBorder(nil, nil, widget.NewLabel(c.u.loc.T("composer.copying_image", "File", filepath.Base(path))), nil, bar)
	c.copies.Add(row)
	go func() {
		a, err := c.u.p.Attachments.Import(path)
		uiDo(func() {
			bar.Stop()
			c.copies.Remove(row)
			if c.u.composers[c.draft.ID] != c {
				return // closed meanwhile: the unused copy is swept later
			}
			if err != nil {
				c.message("dialog.failed_attach", c.u.loc.Error(err))
				return
			}
			c.added(a)
		})
	}()
}

// added puts an attachment in the draft, to be described.
func (c *composer) added(a drafts.Attachment) {
	c.draft.Media = append(c.draft.Media, a)
	c.showImages()
	c.changed()
}

// showImages lists the attached images, each with its description and a
// way to take it off.
func (c *composer) showImages() {
	loc := c.u.loc
	c.images.RemoveAll()
	for i, m := range c.draft.Media {
		alt := c.newField()
		alt.SetPlaceHolder(loc.T("composer.alt_hint"))
		alt.SetText(m.Alt)
		alt.OnChanged = func(s string) {
			c.draft.Media[i].Alt = s
			c.changed()
		}
		remove := newEscButton(c.win, "", theme.DeleteIcon(), func() {
			c.draft.Media = slices.Delete(c.draft.Media, i, i+1)
			c.showImages()
			c.changed()
		})
		name := widget.NewLabel(cmp.Or(m.Name, filepath.Base(m.Path)))
		c.images.Add(container.NewBorder(nil, nil, name, remove, alt))
	}
	c.images.Refresh()
}
