package feeds

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what a server's answer may put in a post, so that one hostile
// or broken entry can neither fail the page it came in (a cache key too
// long for the database) nor swamp a column.
const (
	// MaxIDLen is the longest post id kept, in bytes. Ids are part of cache
	// keys, which bbolt caps at 32 KiB; a post whose id is longer is
	// dropped by the network that read it, and the rest of its page kept.
	MaxIDLen = 512
	// MaxNameLen is the longest author name, handle or similar label, in
	// characters; longer ones are cut.
	MaxNameLen = 200
	// MaxWarningLen is the longest content warning, in characters.
	MaxWarningLen = 500
	// MaxTextLen is the longest post or quote text, in characters.
	MaxTextLen = 20000
	// MaxAltLen is the longest description of an attachment, in characters.
	MaxAltLen = 5000
	// MaxMediaCount is how many attachments a post keeps.
	MaxMediaCount = 16
	// maxLangLen is the longest language tag kept, in bytes (BCP 47 tags
	// in use are far shorter).
	maxLangLen = 35
)

// UsableID reports whether id can identify a cached post: not empty and at
// most MaxIDLen bytes.
func UsableID(id string) bool { return id != "" && len(id) <= MaxIDLen }

// Clip cuts s to at most n characters, the last being "…" when cut.
func Clip(s string, n int) string {
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	count := 0
	for i := range s {
		if count == n-1 {
			return strings.TrimRightFunc(s[:i], unicode.IsSpace) + "…"
		}
		count++
	}
	return s
}

// Bounded returns p with every server string within the limits above:
// labels and texts cut, a reference to another post (reply, quote) longer
// than MaxIDLen dropped, attachments beyond MaxMediaCount left out. It
// leaves p.ID alone: a network drops a post whose id is not UsableID.
func Bounded(p Post) Post {
	p.Author = Clip(p.Author, MaxNameLen)
	p.AuthorHandle = Clip(p.AuthorHandle, MaxNameLen)
	p.ReplyToAuthor = Clip(p.ReplyToAuthor, MaxNameLen)
	p.RepostedBy = Clip(p.RepostedBy, MaxNameLen)
	p.ContentWarning = Clip(p.ContentWarning, MaxWarningLen)
	p.Text = Clip(p.Text, MaxTextLen)
	p.Notification = Clip(p.Notification, MaxNameLen)
	if len(p.Lang) > maxLangLen {
		p.Lang = ""
	}
	if len(p.ReplyTo) > MaxIDLen {
		p.ReplyTo = ""
	}
	if p.Media != nil {
		p.Media = slices.Clone(p.Media[:min(len(p.Media), MaxMediaCount)])
	}
	for i := range p.Media {
		p.Media[i].Alt = Clip(p.Media[i].Alt, MaxAltLen)
	}
	if q := p.Quote; q != nil {
		if len(q.ID) > MaxIDLen {
			p.Quote = nil
		} else {
			p.Quote = &Quote{ID: q.ID, Author: Clip(q.Author, MaxNameLen), Text: Clip(q.Text, MaxTextLen), URL: q.URL}
		}
	}
	return p
}
