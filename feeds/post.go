// Package feeds holds the post and timeline model, the Network interface each
// network package implements, and the refresh engine that fills the cache.
package feeds

import (
	"fmt"
	"strings"
	"time"

	"chancery/accounts"
	"chancery/translations"
)

// Kind names one timeline of an account: home, mentions, own, tag:NAME,
// list:ID, search:QUERY or feed.
type Kind string

// Plain timeline kinds; tag:, list: and search: kinds carry an argument.
const (
	Home     Kind = "home"
	Mentions Kind = "mentions"
	Own      Kind = "own"
	Feed     Kind = "feed"
)

// ErrBadKind reports a timeline kind that cannot be parsed.
var ErrBadKind = translations.NewProblem("error.bad_kind", "unknown timeline kind")

// ParseKind validates s as a timeline kind.
func ParseKind(s string) (Kind, error) {
	switch Kind(s) {
	case Home, Mentions, Own, Feed:
		return Kind(s), nil
	}
	for _, prefix := range []string{"tag:", "list:", "search:", "feed:"} {
		if arg, ok := strings.CutPrefix(s, prefix); ok && strings.TrimSpace(arg) != "" {
			return Kind(s), nil
		}
	}
	return "", fmt.Errorf("%q: %w", s, ErrBadKind)
}

// Counts are a post's public interaction counts.
type Counts struct {
	Replies int `json:"replies"`
	Reposts int `json:"reposts"`
	Likes   int `json:"likes"`
}

// Post is one item of a timeline, as cached and shown.
type Post struct {
	ID           string           `json:"id"` // unique within its account
	Account      string           `json:"account"`
	Network      accounts.Network `json:"network"`
	Author       string           `json:"author"`
	AuthorHandle string           `json:"author_handle,omitempty"`
	Text         string           `json:"text"`
	Lang         string           `json:"lang"`
	CreatedAt    time.Time        `json:"created_at"`
	URL          string           `json:"url"`
	ReplyTo      string           `json:"reply_to"`
	Counts       Counts           `json:"counts"`

	// Optional details, filled by networks that have them.
	ReplyToAuthor  string  `json:"reply_to_author,omitempty"`
	RepostedBy     string  `json:"reposted_by,omitempty"` // who boosted/reposted it into this timeline
	ContentWarning string  `json:"content_warning,omitempty"`
	Sensitive      bool    `json:"sensitive,omitempty"`
	Media          []Media `json:"media,omitempty"`
	Quote          *Quote  `json:"quote,omitempty"`
	// Notification is the kind of a notification timeline item: mention,
	// reply, repost, like, follow or quote.
	Notification string `json:"notification,omitempty"`
	// Viewer state: whether this account has reposted or liked the post.
	Reposted bool `json:"reposted,omitempty"`
	Liked    bool `json:"liked,omitempty"`
}

// Media is an attachment of a post.
type Media struct {
	Type       string `json:"type"` // image, video, audio, other
	URL        string `json:"url"`
	PreviewURL string `json:"preview_url,omitempty"`
	Alt        string `json:"alt,omitempty"`
}

// Quote is a post quoted inside another.
type Quote struct {
	ID     string `json:"id"`
	Author string `json:"author"`
	Text   string `json:"text"`
	URL    string `json:"url,omitempty"`
}

// TimelineKey identifies one cached timeline.
type TimelineKey struct {
	Account string
	Kind    Kind
}

// String renders the key as "account/kind".
func (k TimelineKey) String() string { return k.Account + "/" + string(k.Kind) }
