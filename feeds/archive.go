package feeds

import (
	"strings"
	"time"

	"chancery/accounts"
)

// The records archive keeps what a mission said and what was said to it,
// whatever the cache's retention trims: every post published from
// Chancery and every mention of or reply to a mission account. It only
// grows; a later edit or deletion on the network changes nothing in it.

// RecordKind names one kind of record of the archive.
type RecordKind string

// Record kinds.
const (
	RecordPublished RecordKind = "published"
	RecordReceived  RecordKind = "received"
)

// RecordKinds lists every kind of record, in export order.
var RecordKinds = []RecordKind{RecordPublished, RecordReceived}

// RecordMedia is an image of a published post: its file name on the
// computer it was attached from, and its description.
type RecordMedia struct {
	Name string `json:"name"`
	Alt  string `json:"alt"`
}

// Record is one entry of the archive. Published records say who wrote
// the post on this computer (Writer, the operating system's user name)
// and when it was published; received records say who wrote to the
// mission (Author) and when.
type Record struct {
	Kind    RecordKind       `json:"kind"`
	Account string           `json:"account"`
	Mission string           `json:"mission"`
	Network accounts.Network `json:"network"`
	Handle  string           `json:"account_handle"`
	// RemoteID is the post's id on its network: with Account, the
	// record's identity.
	RemoteID string    `json:"remote_id"`
	URL      string    `json:"url"`
	At       time.Time `json:"at"` // published (published) or written (received)
	Lang     string    `json:"lang"`
	Text     string    `json:"text"`
	Warning  string    `json:"content_warning"`
	ReplyTo  string    `json:"reply_to"`

	// Published records only.
	Writer      string        `json:"writer,omitempty"`
	DraftID     string        `json:"draft,omitempty"`
	EntryID     string        `json:"outbox_entry,omitempty"`
	Visibility  string        `json:"visibility,omitempty"`
	ScheduledAt time.Time     `json:"scheduled_at,omitzero"`
	Zone        string        `json:"zone,omitempty"`
	Media       []RecordMedia `json:"media,omitempty"`

	// Received records only.
	Author       string   `json:"author,omitempty"`
	AuthorHandle string   `json:"author_handle,omitempty"`
	Notification string   `json:"notification,omitempty"` // mention or reply
	PostID       string   `json:"post_id,omitempty"`      // the cached post's id
	MediaURLs    []string `json:"media_urls,omitempty"`

	// Recorded is when the archive took the record.
	Recorded time.Time `json:"recorded_at"`
}

// Received reports whether p, fetched into the timeline of kind of
// account a, is a mention of a or a reply to one of its posts, written by
// someone else: what the archive keeps as received, as the needs-reply
// inbox sees it, plus what a network's mentions timeline holds without
// saying what it is. isOwn tells whether a post id is one of a's own
// posts. Demo accounts and RSS feeds receive nothing.
func Received(p Post, a accounts.Account, kind Kind, isOwn func(postID string) bool) bool {
	if a.Network == accounts.RSS || a.IsDemo() {
		return false
	}
	if kind == Mentions && p.Notification == "" {
		return !sameHandle(p.AuthorHandle, a.Handle)
	}
	var own map[string]bool // read only when p is a reply outside notifications
	if p.ReplyTo != "" && p.Notification == "" && isOwn(p.ReplyTo) {
		own = map[string]bool{p.ReplyTo: true}
	}
	return addressed(p, a, own)
}

// ReceivedRecord is the record of p, a post received on account a, taken
// at now.
func ReceivedRecord(p Post, a accounts.Account, now time.Time) Record {
	kind := p.Notification
	if kind == "" && p.ReplyTo != "" {
		kind = "reply"
	} else if kind == "" {
		kind = "mention"
	}
	urls := make([]string, 0, len(p.Media))
	for _, m := range p.Media {
		urls = append(urls, m.URL)
	}
	return Record{
		Kind: RecordReceived, Account: a.ID, Mission: a.Mission, Network: a.Network, Handle: a.Handle,
		RemoteID: RecordID(p), URL: p.URL, At: p.CreatedAt.UTC(), Lang: p.Lang, Text: p.Text,
		Warning: p.ContentWarning, ReplyTo: p.ReplyTo, Author: p.Author, AuthorHandle: p.AuthorHandle,
		Notification: kind, PostID: p.ID, MediaURLs: urls, Recorded: now.UTC(),
	}
}

// RecordID is the id of the post p names on its network, so that the same
// post seen as a notification and in a timeline is one record: a Mastodon
// notification's or boost's id ends with the id of its status.
func RecordID(p Post) string {
	if p.Network != accounts.Mastodon {
		return p.ID
	}
	if i := strings.LastIndex(p.ID, ":"); i >= 0 && i < len(p.ID)-1 {
		return p.ID[i+1:]
	}
	return p.ID
}
