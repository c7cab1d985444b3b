package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"chancery/team"
)

// rebuild returns the text a word diff gives without the runs of skip.
func rebuild(ops []wordOp, skip team.Op) string {
	var b strings.Builder
	for _, o := range ops {
		if o.op != skip {
			b.WriteString(o.text)
		}
	}
	return b.String()
}

func TestDiffWords(t *testing.T) {
	tests := []struct {
		name, a, b string
		want       []wordOp
	}{
		{"same", "Visa office open.", "Visa office open.", []wordOp{{team.Same, "Visa office open."}}},
		{"one word", "Closed on Monday", "Open on Monday", []wordOp{{team.Removed, "Closed"}, {team.Added, "Open"}, {team.Same, " on Monday"}}},
		{"added words", "Call us", "Call us today at noon", []wordOp{{team.Same, "Call us"}, {team.Added, " today at noon"}}},
		{"first revision", "", "New post", []wordOp{{team.Added, "New post"}}},
		{"all removed", "Old post", "", []wordOp{{team.Removed, "Old post"}}},
		{"line kept", "A b\nc d", "A x\nc d", []wordOp{{team.Same, "A "}, {team.Removed, "b"}, {team.Added, "x"}, {team.Same, "\nc d"}}},
		{"chinese by character", "签证处周一关闭", "签证处周二关闭", []wordOp{{team.Same, "签证处周"}, {team.Removed, "一"}, {team.Added, "二"}, {team.Same, "关闭"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := diffWords(tt.a, tt.b)
			if len(got) != len(tt.want) {
				t.Fatalf("diff %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("diff %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestDiffWordsGivesBothTextsBack(t *testing.T) {
	pairs := [][2]string{
		{"The embassy is closed on 3 December.\n\nConsular services resume on Monday.", "The embassy is open on 3 December.\nConsular services resume on Tuesday, 9:00."},
		{"  leading and trailing  ", "leading  and\ttrailing"},
		{strings.Repeat("word ", 1200), strings.Repeat("other ", 1100)}, // past maxDiffCells
	}
	for _, p := range pairs {
		ops := diffWords(p[0], p[1])
		if got := rebuild(ops, team.Added); got != p[0] {
			t.Errorf("old text %q, want %q", got, p[0])
		}
		if got := rebuild(ops, team.Removed); got != p[1] {
			t.Errorf("new text %q, want %q", got, p[1])
		}
	}
}

func FuzzDiffWords(f *testing.F) {
	f.Add("Visa office closed", "Visa office open\nnow")
	f.Add("签证", "签证处")
	f.Fuzz(func(t *testing.T, a, b string) {
		if len(a) > 2000 || len(b) > 2000 {
			return
		}
		ops := diffWords(a, b)
		if rebuild(ops, team.Added) != a || rebuild(ops, team.Removed) != b {
			t.Fatalf("diff of %q and %q does not give them back: %v", a, b, ops)
		}
	})
}

func BenchmarkDiffWords(b *testing.B) {
	a := strings.Repeat("The consular section is open from Monday to Friday. ", 10)
	c := strings.ReplaceAll(a, "Friday", "Thursday")
	for b.Loop() {
		diffWords(a, c)
	}
}

// TestDiffColoursReadInBothThemes checks the diff against WCAG AA (contrast
// is in theme_test.go).
func TestDiffColoursReadInBothThemes(t *testing.T) {
	for _, base := range []fyne.Theme{theme.DefaultTheme(), newTheme()} {
		dt := diffTheme{Theme: base}
		for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
			bg := base.Color(theme.ColorNameBackground, v)
			for _, n := range []fyne.ThemeColorName{colorDiffAdded, colorDiffRemoved, theme.ColorNameForeground} {
				if c := contrast(dt.Color(n, v), bg); c < 4.5 {
					t.Errorf("variant %d: %s has a contrast of %.1f:1 on the background, want 4.5:1", v, n, c)
				}
			}
		}
	}
}
