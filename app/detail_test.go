package app

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"chancery/accounts"
	"chancery/feeds"
)

func pngBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.RGBA{200, 0, 0, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func detailFixture(t *testing.T, p feeds.Post) (*fixture, *ui, *fakeActions, fyne.CanvasObject) {
	t.Helper()
	f := newFixture(t)
	acts := &fakeActions{caps: feeds.Capabilities{Reply: true, Boost: true, Like: true, Post: true}}
	f.params.Actions = acts
	f.params.Images = fakeImages{png: pngBytes(t)}
	f.net.posts = func(a accounts.Account) []feeds.Post {
		q := p
		q.Account = a.ID
		return []feeds.Post{q}
	}
	u := f.start(t)
	eventually(t, "post", func() bool { return len(u.columns[0].posts) == 1 })
	u.columns[0].list.Select(0)
	return f, u, acts, u.window.Canvas().Overlays().Top()
}

func TestDetailsHideTextBehindContentWarningAndShowImagesWithAlt(t *testing.T) {
	_, _, _, overlay := detailFixture(t, feeds.Post{
		ID: "p1", Author: "Ambassador", Text: "Details of the security incident", ContentWarning: "security",
		CreatedAt: testNow.Add(-time.Hour), RepostedBy: "Global Affairs Canada",
		Media: []feeds.Media{{Type: "image", URL: "https://img.example/a.png", Alt: "The chancery building"}},
	})
	if contains(overlay, "Details of the security incident") {
		t.Error("text shown despite its content warning")
	}
	if !contains(overlay, "Content warning: security") || !contains(overlay, "shared by Global Affairs Canada") {
		t.Errorf("details show %q", texts(overlay))
	}
	test.Tap(findButton(overlay, "Show the text"))
	if !contains(overlay, "Details of the security incident") {
		t.Error("text not shown after the tap")
	}
	eventually(t, "image", func() bool {
		for _, o := range visible(overlay) {
			if _, ok := o.(*canvas.Image); ok {
				return true
			}
		}
		return false
	})
	if !contains(overlay, "The chancery building") {
		t.Error("alt text missing")
	}
}

func TestLikeShowsAtOnceAndRollsBackWhenRefused(t *testing.T) {
	_, u, acts, overlay := detailFixture(t, feeds.Post{ID: "p1", Author: "A", Text: "t", CreatedAt: testNow, Counts: feeds.Counts{Likes: 4}})
	like := findButton(overlay, "Like")
	test.Tap(like)
	if like.Text != "Undo like" || !contains(overlay, "5 likes") {
		t.Errorf("after tapping: %q, %q", like.Text, texts(overlay))
	}
	eventually(t, "liked", func() bool { return like.Text == "Undo like" && !like.Disabled() })
	if fmt.Sprint(acts.acted) != "[like p1]" {
		t.Errorf("acted %v", acts.acted)
	}
	if got := u.columns[0].posts[0]; !got.Liked || got.Counts.Likes != 5 {
		t.Errorf("column post %+v", got)
	}
	acts.fail = fmt.Errorf("http 422: %w", feeds.ErrRejected)
	test.Tap(like)
	eventually(t, "rolled back", func() bool { return !like.Disabled() })
	if like.Text != "Undo like" || !contains(overlay, "5 likes") || !contains(overlay, "Not done: The server refused the request.") {
		t.Errorf("after a refusal: %q, %q", like.Text, texts(overlay))
	}
}

func TestReplyOpensComposerOnTheSameAccount(t *testing.T) {
	f, u, _, overlay := detailFixture(t, feeds.Post{ID: "p9", Author: "Journalist", AuthorHandle: "@desk@news.example", Text: "Is the consulate open?", Lang: "en", CreatedAt: testNow})
	test.Tap(findButton(overlay, "Reply"))
	var d []string
	eventually(t, "reply draft", func() bool {
		ds, _ := f.drafts.Drafts()
		d = nil
		for _, x := range ds {
			d = append(d, x.ReplyTo+" "+fmt.Sprint(x.Targets)+" "+x.Text("en"))
		}
		return len(ds) == 1 && ds[0].Text("en") != ""
	})
	if d[0] != "p9 [vienna-demo] @desk@news.example " {
		t.Errorf("reply draft %q", d)
	}
	for _, w := range u.app.Driver().AllWindows() {
		for _, o := range visible(w.Content()) {
			if ch, ok := o.(*widget.Check); ok && !ch.Disabled() && strings.Contains(ch.Text, "@") {
				t.Errorf("a reply's target %q can be changed", ch.Text)
			}
		}
	}
}
