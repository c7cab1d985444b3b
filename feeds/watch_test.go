package feeds

import (
	"slices"
	"testing"
	"time"

	"chancery/accounts"
)

func TestMatcherIgnoresCaseAndAccentsAndMatchesWholeWords(t *testing.T) {
	m := NewMatcher([]string{"consulaire", "visa fraud", "Visumantrag", "Pékin", "签证"})
	tests := []struct {
		text string
		want []string
	}{
		{"Services CONSULAIRES fermés", nil}, // whole words only
		{"Le service CONSULAIRE est fermé", []string{"consulaire"}},
		{"Beware: VISA  Fraud, again", []string{"visa fraud"}},
		{"visa and fraud", nil},
		{"Ihr Visumantrag wird geprüft", []string{"Visumantrag"}},
		{"Ambassade à pekin", []string{"Pékin"}},
		{"请警惕签证诈骗", []string{"签证"}},
		{"visas", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := m.Match(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("Match(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestMatcherFindsAccentedWordsWrittenPlain(t *testing.T) {
	m := NewMatcher([]string{"visumantrage", "fraude"})
	got := m.Match("Zwei Visumanträge und eine FRAUDE signalée")
	if !slices.Equal(got, []string{"visumantrage", "fraude"}) {
		t.Fatalf("got %q", got)
	}
}

func TestDefaultWatchFollowsTheMissionsLanguages(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		host string
		want []string
	}{
		{"", []string{"visa", "visa fraud", "passport", "consular", "fraude", "passeport", "consulaire"}},
		{"de", []string{"visa", "visa fraud", "passport", "consular", "fraude", "passeport", "consulaire", "Visum", "Betrug"}},
		{"nl", []string{"visa", "visa fraud", "passport", "consular", "fraude", "passeport", "consulaire", "visum"}},
		{"zh-Hans", []string{"visa", "visa fraud", "passport", "consular", "fraude", "passeport", "consulaire", "签证", "诈骗", "护照", "领事"}},
	}
	for _, tt := range tests {
		w := DefaultWatch(accounts.Mission{ID: "m", HostLanguage: tt.host}, now)
		if !slices.Equal(w.Words, tt.want) || !w.Since.Equal(now) {
			t.Errorf("host %q: %q since %v, want %q", tt.host, w.Words, w.Since, tt.want)
		}
	}
}

func TestQuietHoursAreReadInTheMissionsZone(t *testing.T) {
	beijing, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	night := Watch{QuietFrom: "22:00", QuietTo: "07:00"}
	day := Watch{QuietFrom: "12:00", QuietTo: "13:30"}
	tests := []struct {
		w    Watch
		utc  string
		want bool
	}{
		{night, "2026-03-10T15:00:00Z", true},  // 23:00 in Beijing
		{night, "2026-03-10T22:59:00Z", true},  // 06:59 the next day
		{night, "2026-03-10T23:00:00Z", false}, // 07:00
		{night, "2026-03-10T05:00:00Z", false}, // 13:00
		{day, "2026-03-10T04:30:00Z", true},    // 12:30
		{day, "2026-03-10T05:30:00Z", false},   // 13:30
		{Watch{}, "2026-03-10T15:00:00Z", false},
		{Watch{QuietFrom: "8:00", QuietTo: "8:00"}, "2026-03-10T00:00:00Z", false},
	}
	for _, tt := range tests {
		at, _ := time.Parse(time.RFC3339, tt.utc)
		if got := tt.w.Quiet(at, beijing); got != tt.want {
			t.Errorf("%s–%s at %s: quiet %v, want %v", tt.w.QuietFrom, tt.w.QuietTo, tt.utc, got, tt.want)
		}
	}
}

func TestParseClockRefusesNonsense(t *testing.T) {
	for _, s := range []string{"25:00", "7h", "noon"} {
		if _, err := ParseClock(s); err == nil {
			t.Errorf("ParseClock(%q) accepted", s)
		}
	}
	if m, err := ParseClock(" 07:30 "); err != nil || m != 450 {
		t.Errorf("ParseClock(07:30) = %d, %v", m, err)
	}
}
