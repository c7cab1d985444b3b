package feeds

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"chancery/accounts"
	"chancery/translations"
)

// Watch is a mission's saved keyword set: posts of its accounts that
// contain one of the words are shown in its Watch view and, when they
// arrive from a refresh, raise a desktop notification, except in the
// mission's quiet hours.
type Watch struct {
	Words []string `json:"words"`
	// QuietFrom and QuietTo ("15:04", in the mission's time zone) bound the
	// quiet hours; equal or empty means none. From after To spans midnight.
	QuietFrom string `json:"quiet_from,omitempty"`
	QuietTo   string `json:"quiet_to,omitempty"`
	// Since is when the watch started: older posts never notify.
	Since time.Time `json:"since"`
}

// ErrBadQuietHours reports quiet hours that are not "HH:MM".
var ErrBadQuietHours = translations.NewProblem("watch.bad_quiet_hours", "quiet hours must be written HH:MM")

// defaultWatchWords are the words a new watch starts with, per language.
var defaultWatchWords = map[string][]string{
	"en":      {"visa", "visa fraud", "passport", "consular"},
	"fr":      {"visa", "fraude", "passeport", "consulaire"},
	"de":      {"Visum", "Betrug"},
	"nl":      {"visum", "fraude"},
	"zh-Hans": {"签证", "诈骗", "护照", "领事"},
}

// DefaultWatch is the watch a mission starts with: the default words of
// its languages (English, French and its host language).
func DefaultWatch(m accounts.Mission, now time.Time) Watch {
	var words []string
	for _, l := range m.Languages() {
		words = append(words, defaultWatchWords[l]...)
	}
	return Watch{Words: CleanWords(words), Since: now}
}

// CleanWords trims the words, drops empty ones and those equal to an
// earlier one once case and accents are ignored.
func CleanWords(words []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range words {
		w = strings.Join(strings.Fields(w), " ")
		if n := fold(w); n != "" && !seen[n] {
			seen[n] = true
			out = append(out, w)
		}
	}
	return out
}

// ParseClock parses "HH:MM" into minutes after midnight; "" is -1.
func ParseClock(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return -1, nil
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("%q: %w", s, ErrBadQuietHours)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// Quiet reports whether t falls in the watch's quiet hours, read in loc.
func (w Watch) Quiet(t time.Time, loc *time.Location) bool {
	from, err1 := ParseClock(w.QuietFrom)
	to, err2 := ParseClock(w.QuietTo)
	if err1 != nil || err2 != nil || from < 0 || to < 0 || from == to {
		return false
	}
	local := t.In(loc)
	m := local.Hour()*60 + local.Minute()
	if from < to {
		return m >= from && m < to
	}
	return m >= from || m < to // across midnight
}

// Matcher finds a watch's words in text, ignoring case and accents. Words
// match whole words (a phrase, consecutive whole words); a word written
// in Chinese or Japanese script, which has no spaces, matches anywhere.
type Matcher struct {
	words  []string   // as the user wrote them
	tokens [][]string // folded words of each, for whole-word matching
	subs   []string   // folded text of each, for CJK substring matching
}

// NewMatcher prepares words for matching.
func NewMatcher(words []string) *Matcher {
	m := &Matcher{}
	for _, w := range CleanWords(words) {
		f := fold(w)
		m.words = append(m.words, w)
		if hasCJK(f) {
			m.tokens, m.subs = append(m.tokens, nil), append(m.subs, f)
			continue
		}
		m.tokens, m.subs = append(m.tokens, tokens(f)), append(m.subs, "")
	}
	return m
}

// Match returns the words found in text, in the watch's order.
func (m *Matcher) Match(text string) []string {
	if len(m.words) == 0 {
		return nil
	}
	f := fold(text)
	toks := tokens(f)
	var found []string
	for i, w := range m.words {
		if m.subs[i] != "" {
			if strings.Contains(f, m.subs[i]) {
				found = append(found, w)
			}
			continue
		}
		if containsRun(toks, m.tokens[i]) {
			found = append(found, w)
		}
	}
	return found
}

// containsRun reports whether run appears in toks as consecutive items.
func containsRun(toks, run []string) bool {
	if len(run) == 0 {
		return false
	}
	for i := 0; i+len(run) <= len(toks); i++ {
		if slices.Equal(toks[i:i+len(run)], run) {
			return true
		}
	}
	return false
}

// fold lowercases s and strips its accents (é → e, ä → a).
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return norm.NFC.String(b.String())
}

// tokens splits folded text into words of letters and digits.
func tokens(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// hasCJK reports whether s holds Han, kana or Hangul script.
func hasCJK(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
	})
}
