package app

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"chancery/accounts"
	"chancery/feeds"
)

// press sends a key as the driver does: to the focused widget, else to the
// canvas.
func press(c fyne.Canvas, name fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: name}
	if f := c.Focused(); f != nil {
		f.TypedKey(ev)
	} else if h := c.OnTypedKey(); h != nil {
		h(ev)
	}
}

// typeRune sends a character as the driver does.
func typeRune(c fyne.Canvas, r rune) {
	if f := c.Focused(); f != nil {
		f.TypedRune(r)
	} else if h := c.OnTypedRune(); h != nil {
		h(r)
	}
}

// keysFixture starts the window with three posts per column and actions
// that work, and tabs into the first column's posts.
func keysFixture(t *testing.T) (*fixture, *ui, *fakeActions, *column) {
	t.Helper()
	f := newFixture(t)
	acts := &fakeActions{caps: feeds.Capabilities{Reply: true, Boost: true, Like: true, Post: true}}
	f.params.Actions = acts
	f.net.posts = func(a accounts.Account) []feeds.Post {
		var ps []feeds.Post
		for i := range 3 {
			ps = append(ps, feeds.Post{
				ID: fmt.Sprint("p", i), Account: a.ID, Author: "Author " + a.Mission, AuthorHandle: "@author" + fmt.Sprint(i),
				Text: fmt.Sprintf("Post %d of %s", i, a.Mission), Lang: "en", URL: fmt.Sprintf("https://example.org/%s/%d", a.Mission, i),
				CreatedAt: testNow.Add(-time.Duration(i+1) * time.Minute),
			})
		}
		return ps
	}
	u := f.start(t)
	eventually(t, "posts", func() bool { return len(u.columns[0].posts) == 3 })
	col := u.columns[0]
	cv := u.window.Canvas()
	for range 40 { // Tab through the toolbar and the column's header
		if cv.Focused() == col.list {
			break
		}
		cv.FocusNext()
	}
	if cv.Focused() != col.list {
		t.Fatalf("Tab never reaches the first column's posts; focus is on %T", cv.Focused())
	}
	return f, u, acts, col
}

// focusShown reports whether row i of the list shows the keyboard's place.
func focusShown(col *column, i int) bool {
	row := col.list.CreateItem().(*postRow)
	col.updateRow(i, row)
	return row.focus.Visible()
}

func TestTabReachesThePostsAndShowsWhichPost(t *testing.T) {
	_, _, _, col := keysFixture(t)
	if !col.list.focused || col.list.focus != 0 || !focusShown(col, 0) {
		t.Errorf("the list has the keyboard (%v) on post %d, shown: %v", col.list.focused, col.list.focus, focusShown(col, 0))
	}
	if focusShown(col, 1) {
		t.Error("a post without the keyboard shows it")
	}
}

func TestArrowsAndJKMoveThroughThePosts(t *testing.T) {
	_, u, _, col := keysFixture(t)
	cv := u.window.Canvas()
	steps := []struct {
		key  fyne.KeyName
		r    rune
		want int
	}{
		{key: fyne.KeyDown, want: 1}, {r: 'j', want: 2}, {r: 'j', want: 2}, // stays on the last
		{key: fyne.KeyUp, want: 1}, {r: 'k', want: 0}, {r: 'k', want: 0},
	}
	for i, s := range steps {
		if s.key != "" {
			press(cv, s.key)
		} else {
			typeRune(cv, s.r)
		}
		if col.list.focus != s.want || !focusShown(col, s.want) {
			t.Fatalf("step %d: keyboard on post %d, want %d", i, col.list.focus, s.want)
		}
	}
}

func TestEnterOpensThePostAndEscapeClosesIt(t *testing.T) {
	_, u, acts, col := keysFixture(t)
	cv := u.window.Canvas()
	typeRune(cv, 'j')
	press(cv, fyne.KeyReturn)
	overlay := cv.Overlays().Top()
	if overlay == nil || !contains(overlay, "Post 1 of vienna") {
		t.Fatal("Enter did not open the post under the keyboard")
	}
	// Keys typed in the dialog do not reach the posts behind it.
	typeRune(cv, 'l')
	press(cv, fyne.KeyDown)
	if len(acts.acted) != 0 || col.list.focus != 1 {
		t.Errorf("keys in the dialog reached the list: acted %q, keyboard on %d", acts.acted, col.list.focus)
	}
	press(cv, fyne.KeyEscape)
	if cv.Overlays().Top() != nil {
		t.Fatal("Escape did not close the post's details")
	}
	eventually(t, "the list has the keyboard again", func() bool { return cv.Focused() == col.list })
	// Escape with nothing open leaves the main window alone.
	cv.Unfocus()
	press(cv, fyne.KeyEscape)
	if u.quitting || !u.window.Content().Visible() {
		t.Error("Escape closed the main window")
	}
}

func TestSpaceOnADialogButtonTypesNothingBehindIt(t *testing.T) {
	_, u, _, col := keysFixture(t)
	cv := u.window.Canvas()
	press(cv, fyne.KeyReturn) // opens post 0
	closeBtn := findButton(cv.Overlays().Top(), "Close")
	for range 20 {
		if focusedStock(cv) == fyne.CanvasObject(closeBtn) {
			break
		}
		cv.FocusNext()
	}
	if focusedStock(cv) != fyne.CanvasObject(closeBtn) {
		t.Fatalf("Tab never reached the dialog's Close button; focus on %T", cv.Focused())
	}
	press(cv, fyne.KeySpace) // the key press closes the dialog…
	typeRune(cv, ' ')        // …and its character comes after
	if cv.Overlays().Top() != nil {
		t.Fatal("Space on Close did not close the dialog")
	}
	if cv.Focused() == col.list {
		t.Error("the list had the keyboard back before the key's events were over")
	}
	eventually(t, "the list has the keyboard again", func() bool { return cv.Focused() == col.list })
}

func TestLetterKeysActOnThePostUnderTheKeyboard(t *testing.T) {
	f, u, acts, col := keysFixture(t)
	cv := u.window.Canvas()
	typeRune(cv, 'j') // post 1
	typeRune(cv, 'l')
	typeRune(cv, 'b')
	eventually(t, "like and repost", func() bool {
		acts.mu.Lock()
		defer acts.mu.Unlock()
		return len(acts.acted) == 2
	})
	if got := strings.Join(slices.Sorted(slices.Values(acts.acted)), ", "); got != "like p1, repost p1" {
		t.Errorf("acted: %s", got)
	}
	if p := col.posts[1].Post; !p.Liked || !p.Reposted || p.Counts.Likes != 1 {
		t.Errorf("post 1 after l and b: liked %v, reposted %v, %d likes", p.Liked, p.Reposted, p.Counts.Likes)
	}
	typeRune(cv, 'l') // again: unlike
	eventually(t, "unlike", func() bool {
		acts.mu.Lock()
		defer acts.mu.Unlock()
		return len(acts.acted) == 3
	})
	if acts.acted[2] != "unlike p1" || col.posts[1].Post.Liked {
		t.Errorf("second l: %q, liked %v", acts.acted[2], col.posts[1].Post.Liked)
	}
	typeRune(cv, 'o')
	if fmt.Sprint(f.opened) != "[https://example.org/vienna/1]" {
		t.Errorf("o opened %q", f.opened)
	}
	typeRune(cv, 'r')
	var c *composer
	for _, open := range u.composers {
		c = open
	}
	if c == nil || c.draft.ReplyTo != "p1" {
		t.Fatalf("r did not open a reply to post 1: %+v", c)
	}
}

func TestShortcutsOpenDraftsOutboxAndNewPostAndHelpListsThem(t *testing.T) {
	_, u, _, _ := keysFixture(t)
	cv := u.window.Canvas().(fyne.Shortcutable)
	cv.TypedShortcut(newPostShortcut)
	if len(u.composers) != 1 {
		t.Errorf("Ctrl+N opened %d composers", len(u.composers))
	}
	cv.TypedShortcut(outboxShortcut)
	eventually(t, "the outbox", func() bool {
		top := u.window.Canvas().Overlays().Top()
		return top != nil && contains(top, "Outbox")
	})
	press(u.window.Canvas(), fyne.KeyEscape)
	cv.TypedShortcut(draftsShortcut)
	eventually(t, "the drafts", func() bool {
		top := u.window.Canvas().Overlays().Top()
		return top != nil && contains(top, "Drafts")
	})
	press(u.window.Canvas(), fyne.KeyEscape)
	if top := u.window.Canvas().Overlays().Top(); top != nil {
		t.Errorf("Escape left %q open", texts(top))
	}
	var help *fyne.Menu
	for _, m := range u.window.MainMenu().Items {
		if m.Label == "Help" {
			help = m
		}
	}
	if help == nil || help.Items[0].Label != "Keyboard shortcuts" {
		t.Fatal("no Keyboard shortcuts in the Help menu")
	}
	help.Items[0].Action()
	top := u.window.Canvas().Overlays().Top()
	for _, s := range []string{"Ctrl+D", "Drafts", "Ctrl+O", "Outbox", "Ctrl+N", "↓ · j", "Like the post (again: unlike)", "Esc"} {
		if top == nil || !contains(top, s) {
			t.Errorf("the shortcuts list lacks %q", s)
		}
	}
	for _, m := range u.window.MainMenu().Items[0].Items {
		if m.Label == "Drafts" && m.Shortcut != draftsShortcut || m.Label == "Outbox" && m.Shortcut != outboxShortcut {
			t.Errorf("menu item %s shows shortcut %v", m.Label, m.Shortcut)
		}
	}
}
