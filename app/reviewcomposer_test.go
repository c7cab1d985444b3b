package app

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"chancery/drafts"
)

func TestComposerSubmitsForReviewWhereTheMissionRequiresIt(t *testing.T) {
	fr := newFakeReview("alice")
	fr.required["vienna"] = true
	f := newFixture(t)
	f.params.Review = fr
	u := f.start(t)
	c := u.openComposer(drafts.Draft{})
	eventually(t, "review known", func() bool { return c.review.ready && c.review.button.Visible() })
	if !c.publishBtn.Visible() {
		t.Error("Publish hidden with no target")
	}
	test.Tap(c.checks["new-york-demo"])
	if !c.publishBtn.Visible() || c.review.button.Importance == widget.HighImportance {
		t.Error("New York needs no review, yet Publish is replaced")
	}
	test.Tap(c.checks["vienna-demo"])
	if c.publishBtn.Visible() || c.review.button.Importance != widget.HighImportance {
		t.Error("Vienna requires review, yet Publish shows")
	}
	test.Tap(c.checks["new-york-demo"])
	test.Type(c.texts["en"], "Consular notice")
	c.publishKey() // Ctrl+Enter
	eventually(t, "submitted for review", func() bool {
		fr.mu.Lock()
		defer fr.mu.Unlock()
		return len(fr.submitted) == 1 && fr.submitted[0].Text("en") == "Consular notice"
	})
	eventually(t, "composer closed", func() bool { return len(u.composers) == 0 })
	if ds, _ := f.drafts.Drafts(); len(ds) != 1 {
		t.Errorf("%d drafts kept, want the submitted one", len(ds))
	}
}

func TestComposerRefusesDirectPublishingOfAReviewedMission(t *testing.T) {
	fr := newFakeReview("alice")
	f := newFixture(t)
	f.params.Review = fr
	u := f.start(t)
	c := u.openComposer(drafts.Draft{})
	test.Tap(c.checks["vienna-demo"])
	test.Type(c.texts["en"], "Consular notice")
	test.Type(c.texts["fr"], "Avis consulaire")
	eventually(t, "review known", func() bool { return c.review.ready && c.publishBtn.Visible() })
	_ = fr.SetRequiresReview("vienna", true) // set from the command line meanwhile
	c.submit()
	eventually(t, "refused", func() bool {
		return c.dialog != nil && contains(c.win.Canvas().Overlays().Top(), "publishes only through review")
	})
	if es, _ := f.drafts.Entries(); len(es) != 0 {
		t.Errorf("%d outbox entries queued", len(es))
	}
}
