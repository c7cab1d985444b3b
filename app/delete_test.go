package app

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"chancery/accounts"
	"chancery/feeds"
)

// fakeDeleter records the deletes asked for, and can refuse them.
type fakeDeleter struct {
	mu      sync.Mutex
	fail    error
	deleted []string
	can     bool
}

func (d *fakeDeleter) CanDelete(accounts.Account) bool { return d.can }

func (d *fakeDeleter) Delete(_ context.Context, a accounts.Account, id string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.fail != nil {
		return d.fail
	}
	d.deleted = append(d.deleted, a.ID+"/"+id)
	return nil
}

func (d *fakeDeleter) calls() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.deleted)
}

// deleteFixture shows, in every column, one post of the account itself and
// one of someone else, newest first.
func deleteFixture(t *testing.T, del *fakeDeleter) *ui {
	t.Helper()
	f := newFixture(t)
	f.params.Actions = &fakeActions{caps: feeds.Capabilities{Reply: true, Post: true}}
	if del != nil {
		f.params.Deleter = del
	}
	f.net.posts = func(a accounts.Account) []feeds.Post {
		return []feeds.Post{
			{ID: "own1", Account: a.ID, Author: "Embassy", AuthorHandle: a.Handle, Text: "Our notice", CreatedAt: testNow},
			{ID: "oth1", Account: a.ID, Author: "Citizen", AuthorHandle: "@citizen@other.example", Text: "A question", CreatedAt: testNow.Add(-1)},
		}
	}
	u := f.start(t)
	eventually(t, "posts", func() bool { return len(u.columns[0].posts) == 2 })
	return u
}

func open(u *ui, row int) fyne.CanvasObject {
	u.columns[0].list.Select(row)
	return u.window.Canvas().Overlays().Top()
}

func TestDeleteIsOfferedOnlyOnOwnPostsOfNetworksThatDelete(t *testing.T) {
	u := deleteFixture(t, &fakeDeleter{can: true})
	if findButton(open(u, 1), "Delete") != nil {
		t.Error("Delete offered on someone else's post")
	}
	u.window.Canvas().Overlays().Top().(interface{ Hide() }).Hide()
	if findButton(open(u, 0), "Delete") == nil {
		t.Errorf("no Delete on the account's own post: %q", texts(u.window.Canvas().Overlays().Top()))
	}
	for _, del := range []*fakeDeleter{nil, {can: false}} {
		u := deleteFixture(t, del)
		if findButton(open(u, 0), "Delete") != nil {
			t.Errorf("Delete offered without a network that deletes (%v)", del)
		}
	}
}

func TestDeleteAsksNamingTheAccountThenDropsTheRow(t *testing.T) {
	del := &fakeDeleter{can: true}
	u := deleteFixture(t, del)
	acct := u.columns[0].accts[0]
	details := open(u, 0)
	b := findButton(details, "Delete")
	// Keyboard: the button takes focus and Space presses it.
	u.window.Canvas().Focus(b)
	b.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	confirm := u.window.Canvas().Overlays().Top()
	if confirm == details || !contains(confirm, acct.Handle) || !contains(confirm, "Demo") {
		t.Fatalf("the confirmation does not name the account: %q", texts(confirm))
	}
	if len(del.calls()) != 0 {
		t.Fatal("deleted before the confirmation")
	}
	test.Tap(findButton(confirm, "Delete post"))
	eventually(t, "row dropped", func() bool { return len(u.columns[0].posts) == 1 })
	if got := del.calls(); fmt.Sprint(got) != fmt.Sprintf("[%s/own1]", acct.ID) {
		t.Errorf("deleted %v", got)
	}
	if u.columns[0].posts[0].ID != "oth1" {
		t.Errorf("the column kept %s", u.columns[0].posts[0].ID)
	}
	if top := u.window.Canvas().Overlays().Top(); top != nil {
		t.Errorf("a dialog is still open: %q", texts(top))
	}
}

func TestDeleteRefusedKeepsTheRowAndSaysWhy(t *testing.T) {
	del := &fakeDeleter{can: true, fail: fmt.Errorf("http 403: %w", feeds.ErrRejected)}
	u := deleteFixture(t, del)
	details := open(u, 0)
	test.Tap(findButton(details, "Delete"))
	confirm := u.window.Canvas().Overlays().Top()
	test.Tap(findButton(confirm, "Cancel"))
	if u.window.Canvas().Overlays().Top() != details || len(del.calls()) != 0 {
		t.Fatal("Cancel did not go back to the details untouched")
	}
	test.Tap(findButton(details, "Delete"))
	test.Tap(findButton(u.window.Canvas().Overlays().Top(), "Delete post"))
	eventually(t, "refusal shown", func() bool {
		return contains(details, "The post was not deleted: The server refused the request.")
	})
	if b := findButton(details, "Delete"); b == nil || b.Disabled() {
		t.Error("Delete cannot be tried again")
	}
	if len(u.columns[0].posts) != 2 {
		t.Error("the row went although the delete was refused")
	}
}
