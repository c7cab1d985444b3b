package drafts_test

import (
	"errors"
	"strings"
	"testing"

	"chancery/drafts"
)

// Count gives the figures Check refuses a post on: on Mastodon the content
// warning counts with the text.
func TestCountIsWhatCheckRefusesOn(t *testing.T) {
	f := newCheckFixture(t)
	for _, tc := range []struct {
		text, warning string
		used          int
		over          int
		withWarning   bool
	}{
		{"Bonjour", "", 7, 0, false},
		{strings.Repeat("a", 490), "Élections", 499, 0, true},
		{strings.Repeat("a", 495), "Élections", 504, 4, true},
		{strings.Repeat("é", 512), "", 512, 12, false},
	} {
		e := drafts.Entry{Account: "vie-m", Lang: "fr", Text: tc.text, ContentWarning: tc.warning}
		c, err := f.pub.Count(e)
		if err != nil {
			t.Fatal(err)
		}
		if c.Used != tc.used || c.Limit != 500 || c.Over() != tc.over || c.Warning != tc.withWarning {
			t.Errorf("%d runes + %q: %+v (over %d)", len([]rune(tc.text)), tc.warning, c, c.Over())
		}
		if refused := errors.Is(f.pub.Check(e), drafts.ErrTooLong); refused != (tc.over > 0) {
			t.Errorf("%d runes + %q: Check refused %v, Count says over by %d", len([]rune(tc.text)), tc.warning, refused, c.Over())
		}
	}
	if _, err := f.pub.Count(drafts.Entry{Account: "nobody"}); err == nil {
		t.Error("an unknown account was counted")
	}
}

// A blank draft is not stored until saved; a deleted draft comes back as
// it was.
func TestBlankDraftsAreNotStoredAndDeletedOnesComeBack(t *testing.T) {
	f := newCheckFixture(t)
	d := f.svc.Blank([]string{"vie-m"})
	if d.ID == "" || !d.Blank() {
		t.Fatalf("blank draft %+v", d)
	}
	if ds, _ := f.svc.List(); len(ds) != 0 {
		t.Fatalf("a blank draft was stored: %+v", ds)
	}
	d.SetText("fr", "  ")
	if !d.Blank() {
		t.Error("spaces count as text")
	}
	d.SetText("fr", "Bonjour")
	saved, err := f.svc.Save(d)
	if err != nil || saved.Blank() {
		t.Fatalf("save: %v", err)
	}
	if err := f.svc.Delete(saved.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Restore(saved); err != nil {
		t.Fatal(err)
	}
	back, err := f.svc.Get(saved.ID)
	if err != nil || !back.UpdatedAt.Equal(saved.UpdatedAt) || back.Text("fr") != "Bonjour" {
		t.Errorf("restored %+v, %v", back, err)
	}
}
