package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"chancery/drafts"
)

// planTexts returns the composer's lines on what each target publishes.
func planTexts(c *composer) []string { return texts(c.planBox) }

func planLabel(c *composer, prefix string) *widget.Label {
	for _, o := range visible(c.planBox) {
		if l, ok := o.(*widget.Label); ok && strings.HasPrefix(l.Text, prefix) {
			return l
		}
	}
	return nil
}

func TestComposerShowsWhatEachAccountPublishesAndQueuesJustThat(t *testing.T) {
	f := newFixture(t)
	u := f.start(t)
	c := u.openComposer(drafts.Draft{})
	test.Tap(c.checks["vienna-demo"])
	test.Tap(c.checks["beijing-demo"])
	if l := planLabel(c, "Vienna · @vienna@demo: EN · FR · DE"); l == nil || l.Importance != widget.LowImportance {
		t.Errorf("before any text, the plan shows %q", planTexts(c))
	}
	// A Dutch version written for The Hague stays when The Hague is unticked.
	test.Tap(c.checks["the-hague-demo"])
	test.Type(c.texts["nl"], "De openingstijden veranderen vrijdag.")
	test.Tap(c.checks["the-hague-demo"])
	if _, ok := c.texts["nl"]; !ok {
		t.Fatal("the written Dutch version disappeared")
	}
	test.Type(c.texts["en"], "Consular hours change on Friday.")
	test.Type(c.texts["fr"], "Les heures changent vendredi.")
	test.Type(c.texts["de"], "Neue Öffnungszeiten ab Freitag.")
	test.Type(c.texts["zh-Hans"], "领事办公时间周五调整。")

	want := []string{
		"Each account publishes",
		"Vienna · @vienna@demo: EN · FR · DE",
		"Beijing · @beijing@demo: EN · FR · ZH",
		"Published on none of the chosen accounts: NL",
	}
	if got := planTexts(c); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("plan %q\nwant %q", got, want)
	}
	if l := planLabel(c, "Published on none"); l == nil || l.Importance != widget.WarningImportance {
		t.Error("the unpublished Dutch version is not flagged as a warning")
	}

	test.Tap(findButton(c.win.Content(), "Publish"))
	eventually(t, "queued", func() bool { es, _ := f.drafts.Entries(); return len(es) == 6 })
	es, _ := f.drafts.Entries()
	var got []string
	for _, e := range es {
		got = append(got, e.Account+"/"+e.Lang)
	}
	if strings.Join(got, " ") != "vienna-demo/en vienna-demo/fr vienna-demo/de beijing-demo/en beijing-demo/fr beijing-demo/zh-Hans" {
		t.Errorf("queued %v", got)
	}
}

func TestComposerRefusesAnAccountThatWouldPublishNothing(t *testing.T) {
	f, _, c := composeFor(t, "vienna-demo")
	test.Tap(c.checks["washington-demo"])
	test.Type(c.texts["de"], "Nur auf Deutsch.")
	if l := planLabel(c, "Washington · @washington@demo: nothing"); l == nil || l.Importance != widget.DangerImportance {
		t.Errorf("plan %q does not flag Washington", planTexts(c))
	}
	test.Tap(findButton(c.win.Content(), "Publish"))
	overlay := c.win.Canvas().Overlays().Top()
	if overlay == nil || !contains(overlay, "Washington · @washington@demo would publish nothing") {
		t.Fatal("publishing nothing on Washington was not refused by name")
	}
	if es, _ := f.drafts.Entries(); len(es) != 0 {
		t.Errorf("%d entries queued", len(es))
	}
}

func TestComposerNamesTheAccountsMissingAnOfficialLanguage(t *testing.T) {
	_, _, c := composeFor(t, "beijing-demo")
	test.Tap(c.checks["vienna-demo"])
	test.Type(c.texts["fr"], "Avis consulaire")
	test.Tap(findButton(c.win.Content(), "Publish"))
	overlay := c.win.Canvas().Overlays().Top()
	if overlay == nil || !contains(overlay, "no English version") ||
		!contains(overlay, "Concerned: Vienna · @vienna@demo, Beijing · @beijing@demo") {
		t.Fatalf("official-languages warning: %q", texts(overlay))
	}
}

func TestChangingAMissionsHostLanguageReachesMenuAndComposer(t *testing.T) {
	f, u, c := composeFor(t, "new-york-demo")
	if _, ok := c.texts["es"]; ok {
		t.Fatal("a Spanish version before New York has Spanish")
	}
	d := u.showMissionLanguages("new-york")
	if d == nil {
		t.Fatal("no languages dialog")
	}
	overlay := u.window.Canvas().Overlays().Top()
	sels := findSelects(overlay)
	if len(sels) != 1 || sels[0].Selected != "None" {
		t.Fatalf("host language choice %v", sels)
	}
	sels[0].SetSelected("Spanish") // named in the interface language
	test.Tap(findButton(overlay, "Save"))
	eventually(t, "saved", func() bool {
		ms, _ := f.params.Workspace.Missions()
		for _, m := range ms {
			if m.ID == "new-york" {
				return m.HostLanguage == "es"
			}
		}
		return false
	})
	eventually(t, "shown", func() bool { return planLabel(c, "New York · @new-york@demo: EN · FR · ES") != nil })
	if _, ok := c.texts["es"]; !ok {
		t.Error("the composer has no Spanish version for New York")
	}
	if !menuHas(u, "New York: EN · FR · ES…") {
		t.Error("the Missions menu does not show New York's new languages")
	}
}

func menuHas(u *ui, label string) bool {
	for _, m := range u.window.MainMenu().Items {
		for _, it := range m.Items {
			if it.Label == label {
				return true
			}
		}
	}
	return false
}
