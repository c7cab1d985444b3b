package app

import (
	"errors"
	"fmt"
	"net/url"
	"testing"

	"fyne.io/fyne/v2/test"

	"chancery/drafts"
	"chancery/feeds"
)

// A failure's dialog names what could not be done, not "Something went
// wrong", and says why.
func TestFailureDialogsNameWhatFailed(t *testing.T) {
	_, u, acts, _ := keysFixture(t)
	cv := u.window.Canvas()
	acts.fail = fmt.Errorf("http 422: %w", feeds.ErrRejected)
	typeRune(cv, 'l')
	eventually(t, "the failure", func() bool { return cv.Overlays().Top() != nil })
	top := cv.Overlays().Top()
	if !contains(top, "Could not like the post") || !contains(top, "The server refused the request.") || contains(top, "Something went wrong") {
		t.Errorf("a refused like shows %q", texts(top))
	}
	u.closeTopDialog()

	u.p.OpenURL = func(*url.URL) error { return errors.New("no handler") }
	u.openURL(&url.URL{Scheme: "https", Host: "example.org"})
	if top := cv.Overlays().Top(); top == nil || !contains(top, "Could not open the link") {
		t.Errorf("a link that cannot be opened shows %q", texts(top))
	}
}

func TestComposerFailuresNameWhatFailed(t *testing.T) {
	_, _, c := composeFor(t, "vienna-demo")
	test.Tap(c.checks["washington-demo"])
	test.Type(c.texts["de"], "Nur auf Deutsch.")
	test.Tap(findButton(c.win.Content(), "Publish"))
	top := c.win.Canvas().Overlays().Top()
	if top == nil || !contains(top, "Could not publish") || contains(top, "Something went wrong") {
		t.Errorf("a refused post shows %q", texts(top))
	}
}

// The Chinese interface joins the names of a list with "、".
func TestChineseListsOfAccountsUseTheIdeographicComma(t *testing.T) {
	f := newFixture(t)
	f.params.SystemLanguage = "zh-Hans"
	u := f.start(t)
	c := u.openComposer(drafts.Draft{})
	test.Tap(c.checks["beijing-demo"])
	test.Tap(c.checks["vienna-demo"])
	test.Type(c.texts["fr"], "Avis consulaire")
	test.Tap(findButton(c.win.Content(), "发布"))
	top := c.win.Canvas().Overlays().Top()
	if top == nil || !contains(top, "@vienna@demo、") && !contains(top, "@beijing@demo、") {
		t.Errorf("official-languages warning: %q", texts(top))
	}
}
