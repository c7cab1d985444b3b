package app

import (
	"bytes"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	fynestorage "fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"chancery/accounts"
	"chancery/feeds"
)

// memReach is an in-memory ReachStore.
type memReach struct {
	mu       sync.Mutex
	audience map[string][]feeds.Audience
	samples  map[string][]feeds.PostSample
	targets  map[string]feeds.CadenceTarget
}

func (m *memReach) Audience(id string, since time.Time) ([]feeds.Audience, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []feeds.Audience
	for _, a := range m.audience[id] {
		if !a.At.Before(since) {
			out = append(out, a)
		}
	}
	return out, nil
}

func (m *memReach) PostSamples(id string, since time.Time) ([]feeds.PostSample, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []feeds.PostSample
	for _, s := range m.samples[id] {
		if !s.CreatedAt.Before(since) {
			out = append(out, s)
		}
	}
	return out, nil
}

func (m *memReach) SentVariants([]string, time.Time) ([]feeds.SentVariant, error) { return nil, nil }

func (m *memReach) CadenceTarget(id string) (feeds.CadenceTarget, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if t, ok := m.targets[id]; ok {
		return t, nil
	}
	return feeds.DefaultTarget, nil
}

func (m *memReach) SetCadenceTarget(id string, t feeds.CadenceTarget) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.targets[id] = t
	return t.Check()
}

// weekOfReach is a week of figures for Vienna's demo account: followers
// every six hours, and one post a day, published at 09:00 UTC except the
// last two at 15:00; Beijing posted once.
func weekOfReach() *memReach {
	m := &memReach{audience: map[string][]feeds.Audience{}, samples: map[string][]feeds.PostSample{}, targets: map[string]feeds.CadenceTarget{}}
	for i := range 28 {
		at := testNow.Add(-7*24*time.Hour + time.Duration(i)*6*time.Hour)
		m.audience["vienna-demo"] = append(m.audience["vienna-demo"], feeds.Audience{At: at, Followers: 1000 + 5*i, Following: 80, Posts: 300 + i/4})
	}
	for d := range 7 {
		created := testNow.Add(-time.Duration(7-d) * 24 * time.Hour).Truncate(24 * time.Hour).Add(9 * time.Hour)
		if d >= 5 {
			created = created.Add(6 * time.Hour)
		}
		m.samples["vienna-demo"] = append(m.samples["vienna-demo"], feeds.PostSample{
			Account: "vienna-demo", PostID: "v" + string(rune('a'+d)), CreatedAt: created, At: testNow,
			Counts: feeds.Counts{Replies: d, Reposts: 2 * d, Likes: 10 + 5*d},
		})
	}
	m.samples["beijing-demo"] = []feeds.PostSample{{Account: "beijing-demo", PostID: "b1", CreatedAt: testNow.Add(-48 * time.Hour), At: testNow}}
	return m
}

// drawn reports whether img holds more than its background: lines, bars.
func drawn(img image.Image, bg color.Color) bool {
	if img == nil {
		return false
	}
	br, bgc, bb, _ := bg.RGBA()
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r != br || g != bgc || bl != bb {
				return true
			}
		}
	}
	return false
}

func TestReachViewShowsTheFourChartsOfTheComputedSeries(t *testing.T) {
	f := newFixture(t)
	store := weekOfReach()
	f.params.Reach = store
	u := f.start(t)
	u.showReach("vienna")
	p := lastReachPanel(t, u)
	if !strings.Contains(p.win.Title(), "Vienna") {
		t.Errorf("window %q", p.win.Title())
	}
	eventually(t, "the figures", func() bool { return p.loaded })
	bg := u.app.Settings().Theme().Color("background", u.app.Settings().ThemeVariant())
	for k := range chartCount {
		if p.charts[k].Hidden || !drawn(p.charts[k].Image, bg) {
			t.Errorf("chart %d is not drawn", k)
		}
		if p.texts[k].Text == "" {
			t.Errorf("chart %d has no text beside it", k)
		}
	}
	if !strings.Contains(p.texts[chartFollowers].Text, "1,135 on 1 account (+135") {
		t.Errorf("followers text %q", p.texts[chartFollowers].Text)
	}
	if !strings.Contains(p.texts[chartHours].Text, "around 16:00") { // 15:00 UTC is 16:00 in Vienna
		t.Errorf("hours text %q (the last two posts, 15:00 UTC, got the most)", p.texts[chartHours].Text)
	}
	if !p.warning.Hidden {
		t.Errorf("7 posts a week warned: %q", p.warning.Text)
	}
	// The series shown are those of the one computation the CLI uses.
	m := u.missions[0]
	want, err := feeds.ComputeReach(store, m, []accounts.Account{{ID: "vienna-demo", Mission: "vienna"}}, testNow.AddDate(0, 0, -28), testNow)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p.report, want) {
		t.Errorf("the view holds other series than ComputeReach")
	}
	var shown, computed bytes.Buffer
	_ = feeds.WriteCSV(&shown, p.report)
	_ = feeds.WriteCSV(&computed, want)
	if shown.String() != computed.String() || !strings.Contains(shown.String(), "vienna,likes,vienna-demo,") {
		t.Error("the CSV of the view differs from the computed CSV")
	}
}

// lastReachPanel finds the panel of the Reach window opened last.
func lastReachPanel(t *testing.T, u *ui) *reachPanel {
	t.Helper()
	if u.reach == nil || len(u.reach.open) == 0 {
		t.Fatal("no Reach window opened")
	}
	return u.reach.open[len(u.reach.open)-1]
}

func TestReachWarnsBelowTargetAndKeepsANewTarget(t *testing.T) {
	f := newFixture(t)
	store := weekOfReach()
	f.params.Reach = store
	u := f.start(t)
	badge := func(id string) bool {
		b := u.reach.badges[id]
		return b != nil && !b.Hidden
	}
	eventually(t, "Beijing's warning", func() bool { return badge("beijing") })
	if badge("vienna") {
		t.Error("Vienna, 7 posts a week, warned")
	}
	if text := u.reach.badges["beijing"].Text; !strings.Contains(text, "Below target · 1/3") {
		t.Errorf("badge %q", text)
	}
	test.Tap(u.reach.badges["beijing"])
	p := lastReachPanel(t, u)
	eventually(t, "the figures", func() bool { return p.loaded })
	if p.mission.ID != "beijing" || p.warning.Hidden || !strings.Contains(p.warning.Text, "Beijing published 1 times") && !strings.Contains(p.warning.Text, "Beijing published once") {
		t.Errorf("warning of %s: hidden %v, %q", p.mission.ID, p.warning.Hidden, p.warning.Text)
	}
	p.minEntry.SetText("1")
	p.maxEntry.SetText("2")
	p.saveTarget()
	eventually(t, "the new target", func() bool { return p.loaded && p.warning.Hidden && !badge("beijing") })
	if got, _ := store.CadenceTarget("beijing"); got != (feeds.CadenceTarget{Min: 1, Max: 2}) {
		t.Errorf("stored %+v", got)
	}
	p.minEntry.SetText("5")
	p.maxEntry.SetText("two")
	p.saveTarget()
	if !strings.Contains(p.status.Text, "not understood") {
		t.Errorf("a bad target says %q", p.status.Text)
	}
	if got, _ := store.CadenceTarget("beijing"); got.Min != 1 {
		t.Errorf("a bad target was stored: %+v", got)
	}
	if !slices.Contains(u.app.Driver().AllWindows(), p.win) {
		t.Error("the Reach window is not open")
	}
}

// redBackground is a theme whose background is pure red.
type redBackground struct{ fyne.Theme }

func (t redBackground) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameBackground {
		return color.NRGBA{R: 0xff, A: 0xff}
	}
	return t.Theme.Color(n, v)
}

func TestReachChartsFollowTheTheme(t *testing.T) {
	f := newFixture(t)
	f.params.Reach = weekOfReach()
	u := f.start(t)
	u.showReach("vienna")
	p := lastReachPanel(t, u)
	eventually(t, "the figures", func() bool { return p.loaded })
	// red reports whether most of the cadence chart is the red background.
	red := func() bool {
		img := p.charts[chartCadence].Image
		b, n := img.Bounds(), 0
		for y := b.Min.Y; y < b.Max.Y; y += 4 {
			for x := b.Min.X; x < b.Max.X; x += 4 {
				if r, g, bl, _ := img.At(x, y).RGBA(); r == 0xffff && g == 0 && bl == 0 {
					n++
				}
			}
		}
		return n > b.Dx()*b.Dy()/16/2
	}
	if red() {
		t.Fatal("red before the theme changed")
	}
	u.app.Settings().SetTheme(redBackground{u.app.Settings().Theme()})
	eventually(t, "charts drawn on the new background", red)
}

func TestReachCSVSavedIsTheViewsSeries(t *testing.T) {
	f := newFixture(t)
	f.params.Reach = weekOfReach()
	u := f.start(t)
	u.showReach("vienna")
	p := lastReachPanel(t, u)
	eventually(t, "the figures", func() bool { return p.loaded })
	path := filepath.Join(t.TempDir(), "reach.csv")
	w, err := fynestorage.Writer(fynestorage.NewFileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	p.saveCSV(w, p.report)
	eventually(t, "the saved message", func() bool { return strings.Contains(p.status.Text, "Saved to "+path) })
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := feeds.WriteCSV(&want, p.report); err != nil {
		t.Fatal(err)
	}
	if string(got) != want.String() || !strings.Contains(string(got), "vienna,seen_likes,vienna-demo,") {
		t.Errorf("saved CSV differs from the series shown:\n%s", got)
	}
}
