package app

import (
	"testing"

	"chancery/feeds"
	"chancery/translations"
)

// A post's footer writes its counts as the interface language writes
// numbers, with the plural chosen on the number.
func TestPostFooterCountsFollowTheLanguage(t *testing.T) {
	p := feeds.Post{Lang: "fr", Counts: feeds.Counts{Replies: 1, Reposts: 12500, Likes: 1310}}
	for lang, want := range map[string]string{
		"en":      "FR · 1 reply · 12,500 reposts · 1,310 likes",
		"fr":      "FR · 1 réponse · 12\u00a0500 partages · 1\u00a0310 j'aime",
		"de":      "FR · 1 Antwort · 12.500-mal geteilt · 1.310 Likes",
		"nl":      "FR · 1 reactie · 12.500 keer gedeeld · 1.310 likes",
		"zh-Hans": "FR · 1 条回复 · 12,500 次转发 · 1,310 个赞",
	} {
		if got := postFooter(translations.New(lang), p); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
}
