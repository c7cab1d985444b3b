package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/team"
)

// actions are the buttons for what the user can do with it: an approver
// approves or returns a colleague's post (as the server last said; it
// still judges each action, and a refusal is shown with its reason),
// others read who may; the author withdraws it. Nil when nothing can be
// done.
func (p *reviewPanel) actions(it team.Item) fyne.CanvasObject {
	loc := p.u.loc
	var buttons []fyne.CanvasObject
	mine := it.Author == p.data.login
	if it.State == team.StateSubmitted && !mine && !p.data.approver {
		return approverOnly(loc.T("reviewui.approver_only"))
	}
	if it.State == team.StateSubmitted && !mine {
		approve := newEnterButton(p.win, loc.T("reviewui.approve"), theme.ConfirmIcon(), func() { p.approve(it.Post) })
		approve.Importance = widget.HighImportance
		ret := newEnterButton(p.win, loc.T("reviewui.return"), theme.MailReplyIcon(), func() { p.askReturn(it.Post) })
		buttons = append(buttons, approve, ret)
	}
	if mine && (it.State == team.StateSubmitted || it.State == team.StateReturned) {
		edit := newEnterButton(p.win, loc.T("reviewui.edit"), theme.DocumentCreateIcon(), func() { p.editDraft(it) })
		if it.State == team.StateReturned {
			edit.Importance = widget.HighImportance
		}
		buttons = append(buttons, edit)
	}
	if mine && (it.State == team.StateSubmitted || it.State == team.StateApproved || it.State == team.StateReturned) {
		buttons = append(buttons, newEnterButton(p.win, loc.T("reviewui.withdraw"), theme.CancelIcon(), func() { p.askWithdraw(it.Post) }))
	}
	if len(buttons) == 0 {
		return nil
	}
	for _, b := range buttons {
		if p.busy {
			b.(*enterButton).Disable()
		}
	}
	return container.NewHBox(buttons...)
}

// approverOnly says, to a login that may not approve, who may.
func approverOnly(text string) fyne.CanvasObject {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.LowImportance
	return l
}

// editDraft opens the post's draft in the composer, where Submit for
// review sends the next revision. A draft no longer on this computer is
// made again from the latest revision.
func (p *reviewPanel) editDraft(it team.Item) {
	list, latest := p.u.p.Drafts.List, it.Latest().Content
	go func() {
		d := latest.Draft(it.Post)
		if all, err := list(); err == nil {
			for _, stored := range all {
				if stored.ID == it.Post {
					d = stored
				}
			}
		}
		uiDo(func() { p.u.openComposer(d) })
	}()
}

// approve records the approval of the post's latest revision.
func (p *reviewPanel) approve(post string) {
	p.act("reviewui.failed_approve", func(svc ReviewService) error { return svc.Approve(post) })
}

// askReturn asks for the comment a returned post needs, then returns it.
func (p *reviewPanel) askReturn(post string) {
	loc := p.u.loc
	entry := newCommentEntry(p.win)
	entry.SetPlaceHolder(loc.T("reviewui.return_hint"))
	entry.SetMinRowsVisible(4)
	d := newConfirmDialog(loc.T("reviewui.return_title"), loc.T("reviewui.return_confirm"), loc.T("action.cancel"),
		widget.NewForm(widget.NewFormItem(loc.T("reviewui.comment"), entry)), func(ok bool) {
			comment := strings.TrimSpace(entry.Text)
			if !ok {
				return
			}
			if comment == "" {
				p.message("reviewui.failed_return", team.ErrNoComment)
				return
			}
			p.act("reviewui.failed_return", func(svc ReviewService) error { return svc.Return(post, comment) })
		}, p.win)
	entry.send = d.Confirm
	d.Resize(fyne.NewSize(480, 0))
	p.showDialog(d)
	p.win.Canvas().Focus(entry)
}

// askWithdraw withdraws the author's post once confirmed.
func (p *reviewPanel) askWithdraw(post string) {
	loc := p.u.loc
	text := widget.NewLabel(loc.T("reviewui.withdraw_confirm"))
	text.Wrapping = fyne.TextWrapWord
	d := newConfirmDialog(loc.T("reviewui.withdraw"), loc.T("reviewui.withdraw"), loc.T("action.cancel"), text, func(ok bool) {
		if ok {
			p.act("reviewui.failed_withdraw", func(svc ReviewService) error { return svc.Withdraw(post) })
		}
	}, p.win)
	d.Resize(fyne.NewSize(420, 0))
	p.showDialog(d)
}

// act records an action off the UI goroutine; the service's change
// signal reloads the window, and Run sends it at once.
func (p *reviewPanel) act(failed string, fn func(ReviewService) error) {
	if p.busy {
		return
	}
	p.busy = true
	p.showDetail()
	svc := p.u.p.Review
	go func() {
		err := fn(svc)
		uiDo(func() {
			p.busy = false
			p.showDetail()
			if err != nil {
				p.message(failed, err)
			}
			p.load()
		})
	}()
}
