package feeds_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"chancery/feeds"
)

func TestClip(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"ééééééééééé", 10, "ééééééééé…"},
		{"word and more words", 10, "word and…"},
		{"大使馆发布公告内容", 5, "大使馆发…"},
		{"abc", 0, ""},
	}
	for _, tt := range tests {
		if got := feeds.Clip(tt.in, tt.n); got != tt.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestBounded(t *testing.T) {
	huge := strings.Repeat("x", 40<<10)
	media := make([]feeds.Media, 40)
	for i := range media {
		media[i] = feeds.Media{Type: "image", URL: "https://files.example/a.png", Alt: huge}
	}
	p := feeds.Bounded(feeds.Post{
		ID: "1", Author: huge, AuthorHandle: huge, Text: huge, ContentWarning: huge, RepostedBy: huge,
		ReplyToAuthor: huge, ReplyTo: huge, Lang: huge, Media: media,
		Quote: &feeds.Quote{ID: huge, Author: "a", Text: "t"},
	})
	for what, s := range map[string]string{"author": p.Author, "handle": p.AuthorHandle, "reposted by": p.RepostedBy, "reply-to author": p.ReplyToAuthor} {
		if utf8.RuneCountInString(s) != feeds.MaxNameLen {
			t.Errorf("%s: %d characters", what, utf8.RuneCountInString(s))
		}
	}
	if utf8.RuneCountInString(p.Text) != feeds.MaxTextLen || utf8.RuneCountInString(p.ContentWarning) != feeds.MaxWarningLen {
		t.Errorf("text %d, warning %d characters", utf8.RuneCountInString(p.Text), utf8.RuneCountInString(p.ContentWarning))
	}
	if p.ReplyTo != "" || p.Quote != nil || p.Lang != "" || len(p.Media) != feeds.MaxMediaCount || utf8.RuneCountInString(p.Media[0].Alt) != feeds.MaxAltLen {
		t.Errorf("reply-to %d bytes, quote %v, lang %d bytes, %d media", len(p.ReplyTo), p.Quote != nil, len(p.Lang), len(p.Media))
	}
	kept := feeds.Bounded(feeds.Post{ID: "2", ReplyTo: "1", Quote: &feeds.Quote{ID: "0", Author: huge}})
	if kept.ReplyTo != "1" || kept.Quote == nil || utf8.RuneCountInString(kept.Quote.Author) != feeds.MaxNameLen {
		t.Errorf("sane references lost or quote author not cut: %+v", kept)
	}
	if !feeds.UsableID(strings.Repeat("9", feeds.MaxIDLen)) || feeds.UsableID(huge) || feeds.UsableID("") {
		t.Error("UsableID draws the line in the wrong place")
	}
}
