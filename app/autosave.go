package app

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"chancery/drafts"
)

// autosaveDelay is how long edits are gathered before they are written: every
// change reaches the database within this delay plus one write.
const autosaveDelay = 400 * time.Millisecond

// autosaver writes the latest state of a draft shortly after it changes, off
// the UI goroutine, in order, coalescing bursts of keystrokes into one write.
type autosaver struct {
	save func(drafts.Draft) (drafts.Draft, error)
	done func(drafts.Draft, error) // called on the UI goroutine after each write

	mu      sync.Mutex
	pending *drafts.Draft
	timer   *time.Timer
	writing sync.Mutex // one write at a time, in order
}

func newAutosaver(save func(drafts.Draft) (drafts.Draft, error), done func(drafts.Draft, error)) *autosaver {
	return &autosaver{save: save, done: done}
}

// changed records d as the latest state; it is written within autosaveDelay.
func (a *autosaver) changed(d drafts.Draft) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.pending = &d
	if a.timer == nil {
		a.timer = time.AfterFunc(autosaveDelay, a.write)
	}
}

// write saves the pending state, if any.
func (a *autosaver) write() {
	a.writing.Lock()
	defer a.writing.Unlock()
	a.mu.Lock()
	d := a.pending
	a.pending, a.timer = nil, nil
	a.mu.Unlock()
	if d == nil {
		return
	}
	saved, err := a.save(*d)
	if err != nil {
		// Keep the text to save again, unless newer text is waiting.
		a.mu.Lock()
		if a.pending == nil {
			a.pending = d
		}
		a.mu.Unlock()
	}
	uiDo(func() { a.done(saved, err) })
}

// unsaved reports whether a change has not reached the database yet.
func (a *autosaver) unsaved() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.pending != nil
}

// flush writes any pending state now and waits for it; it reports whether
// everything is saved.
func (a *autosaver) flush() bool {
	a.mu.Lock()
	if a.timer != nil {
		a.timer.Stop()
	}
	a.mu.Unlock()
	a.write()
	return !a.unsaved()
}

// drop forgets any change not written yet and waits for a write in
// progress: the draft is about to be thrown away.
func (a *autosaver) drop() {
	a.mu.Lock()
	if a.timer != nil {
		a.timer.Stop()
	}
	a.pending, a.timer = nil, nil
	a.mu.Unlock()
	a.writing.Lock()
	defer a.writing.Unlock()
	a.mu.Lock()
	a.pending = nil // a failed write in progress may have put its draft back
	a.mu.Unlock()
}

// saveComposers writes what every open composer holds, so that the last
// keystrokes reach the database before it closes, and drops the drafts
// with nothing written; it returns the composers whose text could not be
// saved.
func (u *ui) saveComposers() []*composer {
	var unsaved []*composer
	for _, c := range u.composers {
		if c.draft.Blank() {
			c.saver.drop()
			_ = u.p.Drafts.Delete(c.draft.ID) // not stored, or a blank draft left behind: harmless
			continue
		}
		if !c.saver.flush() {
			unsaved = append(unsaved, c)
		}
	}
	return unsaved
}

// askBeforeQuitting asks, as closing a composer does, whether to quit
// although the text of some composers could not be saved; keeping on
// editing brings the first of them forward.
func (u *ui) askBeforeQuitting(unsaved []*composer) {
	loc := u.loc
	text := widget.NewLabel(loc.T("composer.quit_unsaved"))
	text.Wrapping = fyne.TextWrapWord
	d := newConfirmDialog(loc.T("composer.quit_unsaved_title"), loc.T("composer.quit_anyway"),
		loc.T("composer.keep_editing"), text, func(quit bool) {
			if quit {
				u.quitNow()
				return
			}
			unsaved[0].win.RequestFocus()
		}, u.window)
	d.Resize(fyne.NewSize(460, 0))
	u.showDialog(d)
}
