package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"chancery/drafts"
)

// The drafts list names each draft's accounts by mission and handle with
// its edit time; Delete removes a draft and Undo brings it back as it was.
func TestDraftsListDeletesWithUndo(t *testing.T) {
	f := newFixture(t)
	svc := f.params.Drafts
	keep, gone := svc.Blank([]string{"vienna-demo", "beijing-demo"}), svc.Blank([]string{"new-york-demo"})
	keep.SetText("en", "Consular hours")
	gone.SetText("fr", "Avis de fermeture")
	for _, d := range []drafts.Draft{keep, gone} {
		if _, err := svc.Save(d); err != nil {
			t.Fatal(err)
		}
	}
	stored, _ := f.drafts.Draft(gone.ID)
	u := f.start(t)
	u.showDrafts()
	var overlay fyne.CanvasObject
	eventually(t, "the list", func() bool { overlay = u.window.Canvas().Overlays().Top(); return overlay != nil })
	for _, want := range []string{
		"Consular hours — Vienna · @vienna@demo, Beijing · @beijing@demo — edited now (12:00)",
		"Avis de fermeture — New York · @new-york@demo — edited now (12:00)",
	} {
		if !contains(overlay, want) {
			t.Errorf("list lacks %q: %q", want, texts(overlay))
		}
	}
	deletes := []string{}
	for _, b := range findButtons(overlay) {
		if b.Text == "Delete" {
			deletes = append(deletes, b.Text)
		}
	}
	if len(deletes) != 2 {
		t.Fatalf("%d Delete buttons", len(deletes))
	}
	var del fyne.Tappable
	for _, o := range visible(overlay) {
		if b, ok := o.(*fyne.Container); ok && len(b.Objects) == 2 && contains(b, "Avis de fermeture") {
			del = findButton(b, "Delete")
		}
	}
	if del == nil {
		t.Fatal("no Delete on the New York draft")
	}
	test.Tap(del)
	eventually(t, "deleted, with Undo", func() bool {
		_, err := f.drafts.Draft(gone.ID)
		return err != nil && contains(overlay, "Draft deleted.") && findButton(overlay, "Undo") != nil
	})
	if contains(overlay, "Avis de fermeture") || !contains(overlay, "Consular hours") {
		t.Errorf("after the deletion: %q", texts(overlay))
	}
	test.Tap(findButton(overlay, "Undo"))
	eventually(t, "restored", func() bool { return contains(overlay, "Avis de fermeture") && !contains(overlay, "Draft deleted.") })
	back, err := f.drafts.Draft(gone.ID)
	if err != nil || !back.UpdatedAt.Equal(stored.UpdatedAt) || back.Text("fr") != "Avis de fermeture" {
		t.Errorf("restored %+v, %v (was %+v)", back, err, stored)
	}
}

// A draft open in a composer is not offered for deletion in the list.
func TestAnOpenDraftCannotBeDeletedFromTheList(t *testing.T) {
	_, u, c := composeFor(t, "vienna-demo")
	test.Type(c.texts["en"], "Being written")
	c.saver.flush()
	u.showDrafts()
	var overlay fyne.CanvasObject
	eventually(t, "the list", func() bool { overlay = u.window.Canvas().Overlays().Top(); return overlay != nil })
	if !contains(overlay, "Being written") || findButton(overlay, "Delete") != nil {
		t.Errorf("list %q offers to delete the open draft", texts(overlay))
	}
}
