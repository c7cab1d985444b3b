package app

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/feeds"
)

// menuBar is the height of the main menu, which Linux draws inside the
// window and Fyne's test driver does not.
const menuBar = 30

func TestEachColumnShowsFourPostsAt1024x700(t *testing.T) {
	for _, lang := range []string{"en", "zh-Hans"} {
		t.Run(lang, func(t *testing.T) {
			f := newFixture(t)
			f.params.SystemLanguage = lang
			f.net.posts = func(a accounts.Account) []feeds.Post {
				var ps []feeds.Post
				for i := range 12 {
					ps = append(ps, feeds.Post{
						ID: fmt.Sprint(i), Author: "Canada in " + a.Mission, Text: "Consular notice",
						CreatedAt: testNow.Add(-time.Duration(i+1) * time.Minute),
					})
				}
				return ps
			}
			u := f.start(t)
			u.window.Resize(fyne.NewSize(1024, 700-menuBar))
			eventually(t, "posts", func() bool { return len(u.columns[4].posts) == 12 })
			for _, c := range u.columns {
				if h := c.list.Size().Height; h < 4*c.stride {
					t.Errorf("%s: the list is %.0f px high, %.1f posts of %.0f px", c.mission.ID, h, h/c.stride, c.stride)
				}
				if c.title.Text != c.mission.Name(lang) {
					t.Errorf("%s: titled %q", c.mission.ID, c.title.Text)
				}
			}
		})
	}
}

// fullyShown reports whether l shows all of its text.
func fullyShown(l *widget.Label) bool {
	th := l.Theme()
	need := fyne.MeasureText(l.Text, th.Size("text"), l.TextStyle).Width + 2*th.Size("innerPadding")
	return l.Size().Width+0.5 >= need
}

func TestMissionNameKeepsItsWidthBeforeTheClock(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(newTheme())
	title := widget.NewLabelWithStyle("Washington", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	clock := widget.NewLabel("02:05 local")
	l := &titleClockLayout{title: title, clock: clock}
	both := l.fullWidth() + clock.MinSize().Width + 8
	for _, w := range []float32{both + 40, both - 10, l.fullWidth() + 2, 60} {
		l.Layout(nil, fyne.NewSize(w, 36))
		switch {
		case w >= both:
			if !clock.Visible() || !fullyShown(title) {
				t.Errorf("%.0f px: clock shown %v, name whole %v", w, clock.Visible(), fullyShown(title))
			}
		case w >= l.fullWidth():
			if clock.Visible() || !fullyShown(title) {
				t.Errorf("%.0f px: the clock stays (%v) or the name is cut (%v)", w, clock.Visible(), !fullyShown(title))
			}
		default:
			if clock.Visible() || title.Size().Width != w {
				t.Errorf("%.0f px: clock %v, name %.0f px wide", w, clock.Visible(), title.Size().Width)
			}
		}
	}
}

func TestAccountsUnfoldWhenOneNeedsAttention(t *testing.T) {
	f := newFixture(t)
	u := f.start(t)
	col := u.columns[0]
	eventually(t, "posts", func() bool { return len(col.posts) == 2 })
	if col.accountsC.Visible() || col.toggle.Text != "1 account" {
		t.Fatalf("accounts shown %v, toggle %q", col.accountsC.Visible(), col.toggle.Text)
	}
	test.Tap(col.toggle)
	if !col.accountsC.Visible() || !contains(col.root, "Demo · @vienna@demo") {
		t.Fatal("the toggle does not unfold the accounts")
	}
	test.Tap(col.toggle)
	if col.accountsC.Visible() {
		t.Fatal("the toggle does not fold the accounts")
	}
	f.net.fail(fmt.Errorf("http 401: %w", feeds.ErrUnauthorized))
	u.refreshAll()
	eventually(t, "unfolded", func() bool { return col.accountsC.Visible() })
	if !contains(col.root, "Sign in again") {
		t.Errorf("the unfolded accounts show %q", texts(col.accountsC))
	}
}
