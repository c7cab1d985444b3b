package app

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"chancery/team"
)

// openReview starts the window with a fake team review and opens the
// Review view on Vienna.
func openReview(t *testing.T, fr *fakeReview) (*ui, *reviewPanel) {
	t.Helper()
	f := newFixture(t)
	f.params.Review = fr
	u := f.start(t)
	u.showReview("vienna")
	p := u.review.panels[len(u.review.panels)-1]
	t.Cleanup(func() {
		if slices.Contains(u.review.panels, p) {
			p.win.Close()
		}
	})
	return u, p
}

// selectPost selects the post in the list and waits for its detail.
func selectPost(t *testing.T, p *reviewPanel, post string) {
	t.Helper()
	eventually(t, "post "+post+" listed", func() bool {
		return slices.ContainsFunc(p.shown, func(it team.Item) bool { return it.Post == post })
	})
	p.list.Select(slices.IndexFunc(p.shown, func(it team.Item) bool { return it.Post == post }))
	if p.selected != post {
		t.Fatalf("selected %q, want %q", p.selected, post)
	}
}

// diffRuns returns the rich text segments of the detail with their style.
func diffRuns(p *reviewPanel) []string {
	var out []string
	for _, o := range p.detail.Objects {
		over, ok := o.(*container.ThemeOverride)
		if !ok {
			continue
		}
		rt := over.Content.(*widget.RichText)
		for _, s := range rt.Segments {
			ts := s.(*widget.TextSegment)
			if ts.Text == "" {
				out = append(out, "¶")
				continue
			}
			mark := map[fyne.ThemeColorName]string{colorDiffAdded: "+", colorDiffRemoved: "-"}[ts.Style.ColorName]
			out = append(out, mark+ts.Text)
		}
	}
	return out
}

func TestReviewViewListsWhatWaitsForMeWithWordDiffAndThread(t *testing.T) {
	fr := newFakeReview("alice")
	waiting := reviewItem("p1", "vienna", "bob", team.StateSubmitted,
		"Visa office closed on Monday.\nCall us.", "Visa office open on Monday.\nCall us.")
	waiting.Comments = []team.Comment{{Revision: 1, Kind: team.KindReturn, Actor: "alice", Text: "Check the day, please.", At: testNow}}
	fr.put(waiting)
	fr.put(reviewItem("p2", "vienna", "alice", team.StateReturned, "My draft"))
	fr.put(reviewItem("p3", "beijing", "carol", team.StateSubmitted, "Elsewhere"))
	_, p := openReview(t, fr)
	eventually(t, "the Vienna list", func() bool { return len(p.data.items) == 2 })
	if len(p.shown) != 1 || p.shown[0].Post != "p1" {
		t.Fatalf("waiting for me: %v", p.shown)
	}
	if got := p.filterSel.Options[reviewWaiting]; got != "Waiting for me (1)" {
		t.Errorf("filter label %q", got)
	}
	if got := p.filterSel.Options[reviewReturned]; got != "Returned to me (1)" {
		t.Errorf("filter label %q", got)
	}
	selectPost(t, p, "p1")
	want := []string{"Visa office ", "-closed", " ", "+open", " on Monday.", "¶", "Call us."}
	if got := diffRuns(p); !slices.Equal(got, want) {
		t.Errorf("diff %q, want %q", got, want)
	}
	for _, s := range []string{"bob · waiting for review · revision 2", "Check the day, please.", "alice · return · revision 1"} {
		if !contains(p.detail, s) {
			t.Errorf("detail lacks %q: %q", s, texts(p.detail))
		}
	}
	if findButton(p.detail, "Approve") == nil || findButton(p.detail, "Return…") == nil {
		t.Error("an approver's buttons are missing on a colleague's post")
	}
	p.filterSel.SetSelectedIndex(int(reviewReturned))
	selectPost(t, p, "p2")
	if findButton(p.detail, "Approve") != nil || findButton(p.detail, "Withdraw") == nil {
		t.Errorf("on my own post: buttons %q", texts(p.detail))
	}
}

func TestReviewApproveAndReturnAskTheService(t *testing.T) {
	fr := newFakeReview("alice")
	fr.put(reviewItem("p1", "vienna", "bob", team.StateSubmitted, "Text"))
	_, p := openReview(t, fr)
	selectPost(t, p, "p1")
	test.Tap(findButton(p.detail, "Approve"))
	eventually(t, "approved", func() bool {
		fr.mu.Lock()
		defer fr.mu.Unlock()
		return slices.Equal(fr.approved, []string{"p1"})
	})

	eventually(t, "buttons back", func() bool { return !p.busy && findButton(p.detail, "Return…") != nil })
	test.Tap(findButton(p.detail, "Return…"))
	d, ok := p.dialog.(*confirmDialog)
	if !ok {
		t.Fatalf("Return opened %T, want the comment dialog", p.dialog)
	}
	d.Confirm() // no comment
	eventually(t, "the missing comment said", func() bool {
		return p.dialog != nil && contains(p.win.Canvas().Overlays().Top(), "Say why the post is returned")
	})
	p.escape()
	fr.mu.Lock()
	if len(fr.returned) != 0 {
		t.Errorf("returned without a comment: %v", fr.returned)
	}
	fr.mu.Unlock()

	test.Tap(findButton(p.detail, "Return…"))
	entry := p.win.Canvas().Focused()
	if entry == nil {
		t.Fatal("the comment field has no focus")
	}
	test.Type(entry, "Add the French text.")
	entry.(*commentEntry).TypedShortcut(publishShortcuts[0]) // Ctrl+Enter sends it
	eventually(t, "returned with its comment", func() bool {
		fr.mu.Lock()
		defer fr.mu.Unlock()
		return fr.returned["p1"] == "Add the French text."
	})
}

func TestReviewChangeSignalsRefreshTheView(t *testing.T) {
	fr := newFakeReview("alice")
	_, p := openReview(t, fr)
	eventually(t, "the empty list", func() bool { return p.data.login == "alice" && contains(p.detail, "No post here.") })
	for i := range 5 { // a burst of a colleague's actions, as LISTEN/NOTIFY brings them
		fr.put(reviewItem(fmt.Sprintf("n%d", i), "vienna", "bob", team.StateSubmitted, "New"))
	}
	eventually(t, "the new posts", func() bool { return len(p.shown) == 5 })
	it := reviewItem("n0", "vienna", "bob", team.StatePublished, "New")
	fr.put(it)
	eventually(t, "a published post leaves Waiting for me", func() bool { return len(p.shown) == 4 })
	if got := p.filterSel.Options[reviewPublished]; got != "Published (1)" {
		t.Errorf("filter label %q", got)
	}
}

func TestReviewShowsRefusalsAndOfflineState(t *testing.T) {
	fr := newFakeReview("alice")
	fr.syncErr = fmt.Errorf("push review event: %w: dial tcp: connection refused", team.ErrServer)
	it := reviewItem("p1", "vienna", "alice", team.StateSubmitted, "Text")
	refused := team.Queued{Event: team.Event{ID: "e1", Mission: "vienna", Post: "p1", Kind: team.KindApprove}, Refused: team.ReasonOwnPost.MessageID()}
	it.Refused, it.Pending = []team.Queued{refused}, true
	fr.put(it)
	fr.queued = []team.Queued{refused, {Event: team.Event{ID: "e2", Post: "p1", Kind: team.KindSubmit}}}
	_, p := openReview(t, fr)
	eventually(t, "the offline state", func() bool {
		return strings.HasPrefix(p.status.Text, "Offline: The team server could not be reached") && p.problem.Visible()
	})
	if want := "One action waits on this computer"; !strings.HasPrefix(p.problem.Text, want) || !strings.Contains(p.problem.Text, "refused one of your actions") {
		t.Errorf("problem %q", p.problem.Text)
	}
	p.filterSel.SetSelectedIndex(int(reviewMine))
	selectPost(t, p, "p1")
	for _, s := range []string{"The team server refused your approval: You cannot approve or return your own post.", "not sent yet"} {
		if !contains(p.detail, s) {
			t.Errorf("detail lacks %q: %q", s, texts(p.detail))
		}
	}
	test.Tap(findButton(p.detail, "Dismiss"))
	eventually(t, "the refusal dismissed", func() bool {
		fr.mu.Lock()
		defer fr.mu.Unlock()
		return slices.Equal(fr.dismissed, []string{"e1"})
	})
}

func TestRefusedFirstSubmissionIsShownAboveTheList(t *testing.T) {
	fr := newFakeReview("alice")
	fr.queued = []team.Queued{{Event: team.Event{ID: "s1", Mission: "vienna", Post: "lost", Kind: team.KindSubmit}, Refused: team.ReasonNotMember.MessageID()}}
	_, p := openReview(t, fr)
	want := "The team server refused your submission: The team server says you are not a member of this mission."
	eventually(t, "the refusal", func() bool { return contains(p.orphans, want) })
	test.Tap(findButton(p.orphans, "Dismiss"))
	eventually(t, "dismissed", func() bool {
		fr.mu.Lock()
		defer fr.mu.Unlock()
		return slices.Equal(fr.dismissed, []string{"s1"})
	})
}

func TestReviewRequirementAndKeys(t *testing.T) {
	fr := newFakeReview("alice")
	fr.put(reviewItem("p1", "vienna", "bob", team.StateSubmitted, "Text"))
	u, p := openReview(t, fr)
	eventually(t, "loaded", func() bool { return !p.required.Disabled() })
	test.Tap(&p.required.Check)
	eventually(t, "Vienna requires review", func() bool { return fr.isRequired("vienna") })

	p.win.Canvas().Focus(p.list)
	p.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if p.selected != "p1" {
		t.Errorf("Enter on the list selected %q", p.selected)
	}
	test.Tap(findButton(p.detail, "Return…"))
	p.win.Canvas().Focused().(*commentEntry).TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if p.dialog != nil || len(u.review.panels) != 1 {
		t.Fatal("Escape in the comment field did not close only the dialog")
	}
	p.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if len(u.review.panels) != 0 {
		t.Error("Escape did not close the Review window")
	}
}

func TestColumnsCountThePostsWaitingForMe(t *testing.T) {
	fr := newFakeReview("alice")
	fr.put(reviewItem("p1", "vienna", "bob", team.StateSubmitted, "Text"))
	fr.put(reviewItem("p2", "vienna", "alice", team.StateReturned, "Mine"))
	fr.put(reviewItem("p3", "vienna", "alice", team.StateSubmitted, "Mine, waiting for others"))
	fr.put(reviewItem("p4", "beijing", "carol", team.StateSubmitted, "Text"))
	f := newFixture(t)
	f.params.Review = fr
	u := f.start(t)
	badges := u.review.badges
	eventually(t, "the counts", func() bool {
		return badges["vienna"].Visible() && badges["vienna"].Text == "2 posts to review" &&
			badges["beijing"].Visible() && badges["beijing"].Text == "1 post to review" && !badges["the-hague"].Visible()
	})
	fr.put(reviewItem("p4", "beijing", "carol", team.StateApproved, "Text"))
	eventually(t, "Beijing's post approved", func() bool { return !badges["beijing"].Visible() })
	test.Tap(badges["vienna"])
	if n := len(u.review.panels); n != 1 || u.review.panels[0].mission.ID != "vienna" {
		t.Fatalf("the badge opened %d Review windows", n)
	}
	u.review.panels[0].win.Close()
}

func TestReviewMenuAndShortcutOnlyWithTheService(t *testing.T) {
	hasItem := func(u *ui) bool {
		return slices.ContainsFunc(u.window.MainMenu().Items[0].Items, func(it *fyne.MenuItem) bool { return it.Label == "Review…" })
	}
	without := newFixture(t).start(t)
	if hasItem(without) {
		t.Error("File menu offers Review… without a team service")
	}
	fr := newFakeReview("alice")
	f := newFixture(t)
	f.params.Review = fr
	u := f.start(t)
	if !hasItem(u) {
		t.Error("File menu lacks Review…")
	}
	u.window.Canvas().(fyne.Shortcutable).TypedShortcut(reviewShortcut)
	if len(u.review.panels) != 1 {
		t.Fatal("Ctrl+E did not open the Review view")
	}
	u.review.panels[0].win.Close()
}

func TestReturnedPostOpensItsDraftForTheNextRevision(t *testing.T) {
	fr := newFakeReview("alice")
	f := newFixture(t)
	f.params.Review = fr
	u := f.start(t)
	d, err := f.params.Drafts.New([]string{"vienna-demo"})
	if err != nil {
		t.Fatal(err)
	}
	d.SetText("en", "Kept on this computer, edited since")
	if _, err := f.params.Drafts.Save(d); err != nil {
		t.Fatal(err)
	}
	fr.put(reviewItem(d.ID, "vienna", "alice", team.StateReturned, "As submitted"))
	fr.put(reviewItem("gone", "vienna", "alice", team.StateReturned, "Only on the server"))
	u.showReview("vienna")
	p := u.review.panels[0]
	p.filterSel.SetSelectedIndex(int(reviewReturned))
	for id, want := range map[string]string{d.ID: "Kept on this computer, edited since", "gone": "Only on the server"} {
		selectPost(t, p, id)
		test.Tap(findButton(p.detail, "Edit draft"))
		eventually(t, "the composer on "+id, func() bool { return u.composers[id] != nil })
		if got := u.composers[id].draft.Text("en"); got != want {
			t.Errorf("composer of %s shows %q, want %q", id, got, want)
		}
		u.composers[id].forget()
	}
	p.win.Close()
}

func TestEnterPressesTheReviewButtons(t *testing.T) {
	fr := newFakeReview("alice")
	fr.put(reviewItem("p1", "vienna", "bob", team.StateSubmitted, "Text"))
	_, p := openReview(t, fr)
	selectPost(t, p, "p1")
	var approve *enterButton
	for _, o := range p.detail.Objects {
		if box, ok := o.(*fyne.Container); ok {
			for _, b := range box.Objects {
				if eb, ok := b.(*enterButton); ok && eb.Text == "Approve" {
					approve = eb
				}
			}
		}
	}
	if approve == nil {
		t.Fatal("no Approve button")
	}
	p.win.Canvas().Focus(approve)
	approve.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	eventually(t, "approved with Enter", func() bool {
		fr.mu.Lock()
		defer fr.mu.Unlock()
		return slices.Equal(fr.approved, []string{"p1"})
	})
}

func TestAuthorWithdrawsAfterConfirming(t *testing.T) {
	fr := newFakeReview("alice")
	fr.put(reviewItem("p1", "vienna", "alice", team.StateSubmitted, "Mine"))
	_, p := openReview(t, fr)
	p.filterSel.SetSelectedIndex(int(reviewMine))
	selectPost(t, p, "p1")
	test.Tap(findButton(p.detail, "Withdraw"))
	p.escape() // Escape: nothing withdrawn
	test.Tap(findButton(p.detail, "Withdraw"))
	p.dialog.(*confirmDialog).Confirm()
	eventually(t, "withdrawn", func() bool {
		fr.mu.Lock()
		defer fr.mu.Unlock()
		return slices.Equal(fr.withdrawn, []string{"p1"})
	})
}
