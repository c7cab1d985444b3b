package app

import (
	"bytes"
	"image"
	_ "image/gif" // decoders for the images posts carry
	_ "image/jpeg"
	_ "image/png"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	_ "golang.org/x/image/webp"

	"chancery/accounts"
	"chancery/drafts"
	"chancery/feeds"
)

// postView is the detail dialog of one post: its full text behind any
// content warning, its times, images with their descriptions, and what can
// be done with it on its network.
type postView struct {
	u       *ui
	post    feeds.Post
	acct    accounts.Account
	mission accounts.Mission
	dlg     dialog.Dialog
	message *widget.Label
	counts  *widget.Label
}

// showPost opens a post's details.
func (u *ui) showPost(p feeds.Post, m accounts.Mission) {
	v := &postView{u: u, post: p, mission: m, message: widget.NewLabel("")}
	v.acct, _ = u.accountOf(p.Account)
	v.message.Wrapping = fyne.TextWrapWord
	v.counts = widget.NewLabel(postFooter(u.loc, p))
	content := container.NewVBox(v.header(), v.body(), v.media(), v.counts, v.actions(), v.message)
	v.dlg = newMessageDialog(u.loc.T("post.details_title"), u.loc.T("action.close"), container.NewVScroll(content), u.window)
	v.dlg.Resize(fyne.NewSize(560, 560))
	u.showDialog(v.dlg)
}

func (v *postView) header() fyne.CanvasObject {
	loc, p := v.u.loc, v.post
	local := absoluteTime(loc, p.CreatedAt.Local())
	there := absoluteTime(loc, p.CreatedAt.In(v.mission.Location()))
	when := widget.NewLabel(loc.T("post.time_local", "Time", local) + "\n" +
		loc.T("post.time_mission", "Mission", v.mission.Name(loc.Lang()), "Time", there))
	when.Importance = widget.LowImportance
	box := container.NewVBox(
		widget.NewLabelWithStyle(p.Author+"  "+p.AuthorHandle, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, line := range contextLines(loc, p) {
		box.Add(widget.NewLabel(line))
	}
	box.Add(when)
	return box
}

// body shows the text; behind a content warning it waits for a tap.
func (v *postView) body() fyne.CanvasObject {
	loc, p := v.u.loc, v.post
	shown := p
	shown.ContentWarning, shown.Notification, shown.RepostedBy, shown.ReplyToAuthor = "", "", "", ""
	text := widget.NewRichText(bodySegments(displayText(loc, shown), v.u.openURL)...)
	text.Wrapping = fyne.TextWrapWord
	if p.ContentWarning == "" {
		return text
	}
	warning := widget.NewLabel("⚠ " + loc.T("post.content_warning", "Warning", p.ContentWarning))
	warning.Wrapping = fyne.TextWrapWord
	text.Hide()
	var reveal *escButton
	reveal = newEscButton(v.u.window, loc.T("post.show_text"), nil, func() { text.Show(); reveal.Hide() })
	return container.NewVBox(warning, reveal, text)
}

// media shows each image with its description, loaded from the offline
// cache (or the network) in the background; sensitive media wait for a tap.
func (v *postView) media() fyne.CanvasObject {
	loc := v.u.loc
	box := container.NewVBox()
	for _, m := range v.post.Media {
		if m.Type != "" && m.Type != "image" {
			continue
		}
		src := m.PreviewURL
		if src == "" {
			src = m.URL
		}
		slot := container.NewStack(widget.NewLabel(loc.T("post.loading")))
		alt := widget.NewLabel(m.Alt)
		if m.Alt == "" {
			alt.SetText(loc.T("post.no_alt"))
		}
		alt.Wrapping = fyne.TextWrapWord
		alt.Importance = widget.LowImportance
		box.Add(container.NewVBox(slot, alt))
		go v.loadImage(src, slot)
	}
	if len(box.Objects) == 0 || !v.post.Sensitive {
		return box
	}
	box.Hide()
	var reveal *escButton
	reveal = newEscButton(v.u.window, loc.T("post.show_media"), nil, func() { box.Show(); reveal.Hide() })
	return container.NewVBox(reveal, box)
}

func (v *postView) loadImage(src string, slot *fyne.Container) {
	var data []byte
	var err error
	if v.u.p.Images == nil {
		err = feeds.ErrUnsupported
	} else {
		data, err = v.u.p.Images.Image(v.u.ctx, src)
	}
	var img image.Image
	if err == nil {
		img, _, err = image.Decode(bytes.NewReader(data))
	}
	uiDo(func() {
		slot.RemoveAll()
		if err != nil {
			l := widget.NewLabel(v.u.loc.T("post.image_failed", "Reason", v.u.loc.Error(err)))
			l.Wrapping = fyne.TextWrapWord
			slot.Add(l)
			return
		}
		pic := canvas.NewImageFromImage(img)
		pic.FillMode = canvas.ImageFillContain
		pic.SetMinSize(fyne.NewSize(480, 270))
		slot.Add(pic)
	})
}

// actions are what the post's network lets the user do with it.
func (v *postView) actions() fyne.CanvasObject {
	loc, p := v.u.loc, v.post
	row := container.NewGridWrap(fyne.NewSize(160, 36))
	var caps feeds.Capabilities
	if v.acct.ID != "" && v.u.p.Actions != nil {
		caps = v.u.p.Actions.Capabilities(v.acct)
	}
	if caps.Reply {
		row.Add(newEscButton(v.u.window, loc.T("post.reply"), nil, v.reply))
	}
	if caps.Boost {
		row.Add(v.toggle(feeds.Repost, "post.repost", "post.unrepost", &v.post.Reposted, &v.post.Counts.Reposts))
	}
	if caps.Like {
		row.Add(v.toggle(feeds.Like, "post.like", "post.unlike", &v.post.Liked, &v.post.Counts.Likes))
	}
	if link, ok := safeLink(p.URL); ok {
		row.Add(newEscButton(v.u.window, loc.T("post.open_in_browser"), nil, func() { v.u.openURL(link) }))
		row.Add(newEscButton(v.u.window, loc.T("post.copy_link"), nil, func() {
			v.u.app.Clipboard().SetContent(link.String())
			v.message.SetText(loc.T("post.link_copied"))
		}))
	}
	if v.acct.ID != "" && v.u.p.Actions != nil && v.u.p.Actions.CanThread(v.acct) {
		row.Add(newEscButton(v.u.window, loc.T("post.conversation"), nil, v.showThread))
	}
	if v.canDelete() {
		row.Add(v.deleteButton())
	}
	return row
}

// toggle makes a button that reposts or likes, showing the result at once
// and undoing it with a message if the server refuses.
func (v *postView) toggle(action feeds.Action, doID, undoID string, done *bool, count *int) *escButton {
	loc := v.u.loc
	b := newEscButton(v.u.window, "", nil, nil)
	label := func() {
		b.SetText(loc.T(doID))
		if *done {
			b.SetText(loc.T(undoID))
		}
		v.counts.SetText(postFooter(loc, v.post))
	}
	flip := func() {
		*done = !*done
		if *done {
			*count++
		} else {
			*count = max(*count-1, 0)
		}
		label()
	}
	b.OnTapped = func() {
		undo := *done
		flip()
		b.Disable()
		go func() {
			err := v.u.p.Actions.Act(v.u.ctx, v.acct, v.post.ID, action, undo)
			uiDo(func() {
				b.Enable()
				if err != nil {
					flip()
					v.message.SetText(loc.T("post.action_failed", "Reason", loc.Error(err)))
					return
				}
				v.u.updatePost(v.post)
			})
		}()
	}
	label()
	return b
}

// reply opens the composer on a reply from the post's own account.
func (v *postView) reply() {
	v.dlg.Hide()
	v.u.replyTo(v.post, v.acct)
}

// replyTo opens the composer on a reply to p from a, the account that
// showed it, starting with the author's handle.
func (u *ui) replyTo(p feeds.Post, a accounts.Account) {
	d := drafts.Draft{Targets: []string{a.ID}, ReplyTo: p.ID}
	if c := u.openComposer(d); c != nil && p.AuthorHandle != "" {
		lang := p.Lang
		if _, ok := c.texts[lang]; !ok {
			lang = "en"
		}
		c.texts[lang].SetText(p.AuthorHandle + " ")
	}
}

// showThread replaces the actions with the post's conversation.
func (v *postView) showThread() {
	loc := v.u.loc
	v.message.SetText(loc.T("post.loading"))
	go func() {
		posts, err := v.u.p.Actions.Thread(v.u.ctx, v.acct, v.post.ID)
		uiDo(func() {
			if err != nil {
				v.message.SetText(loc.T("post.action_failed", "Reason", loc.Error(err)))
				return
			}
			v.message.SetText("")
			box := container.NewVBox()
			for _, p := range posts {
				line := widget.NewLabel(p.Author + " · " + relativeTime(loc, v.u.now(), p.CreatedAt) + "\n" + displayText(loc, p))
				line.Wrapping = fyne.TextWrapWord
				if p.ID == v.post.ID {
					line.TextStyle = fyne.TextStyle{Bold: true}
				}
				box.Add(line)
			}
			d := newMessageDialog(loc.T("post.conversation"), loc.T("action.close"), container.NewVScroll(box), v.u.window)
			d.Resize(fyne.NewSize(560, 520))
			v.u.showDialog(d)
		})
	}()
}

// updatePost shows a post's new state in the columns that hold it.
func (u *ui) updatePost(p feeds.Post) {
	for _, c := range u.columns {
		c.updatePost(p)
	}
}
