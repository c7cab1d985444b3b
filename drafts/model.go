// Package drafts holds drafts with their language variants, the rules that
// count a post's length per network, and the outbox: the state machine that
// publishes each queued post once, and only once, when the network allows.
package drafts

import (
	"crypto/rand"
	"encoding/hex"
	"slices"
	"strings"
	"time"

	"chancery/translations"
)

// Variant is a draft's text in one language.
type Variant struct {
	Lang string `json:"lang"`
	Text string `json:"text"`
}

// Draft is a post being written: one or more target accounts, and its text
// in one or more languages. Each non-empty variant becomes its own post on
// each target.
type Draft struct {
	ID             string    `json:"id"`
	Targets        []string  `json:"accounts"` // account ids
	Variants       []Variant `json:"variants"`
	ContentWarning string    `json:"content_warning,omitempty"`
	ReplyTo        string    `json:"reply_to,omitempty"` // remote post id, with a single target
	Visibility     string    `json:"visibility,omitempty"`
	// Media are images to attach to every variant, read from disk when the
	// post goes out.
	Media []Attachment `json:"media,omitempty"`
	// ScheduledAt is when to publish, if later than now; Zone is the time
	// zone the user chose it in (the mission's).
	ScheduledAt time.Time `json:"scheduled_at,omitzero"`
	Zone        string    `json:"zone,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Attachment is an image file to publish with a post, and its description
// for people who cannot see it. Path is the copy kept in the profile; Name
// is the file name the user attached it from.
type Attachment struct {
	Path string `json:"path"`
	Name string `json:"name,omitempty"`
	Alt  string `json:"alt"`
}

// Clone returns a copy of d that shares nothing with it.
func (d Draft) Clone() Draft {
	d.Targets = slices.Clone(d.Targets)
	d.Variants = slices.Clone(d.Variants)
	d.Media = slices.Clone(d.Media)
	return d
}

// Blank reports whether d holds nothing the user wrote: no text in any
// language, no content warning and no image.
func (d Draft) Blank() bool {
	for _, v := range d.Variants {
		if strings.TrimSpace(v.Text) != "" {
			return false
		}
	}
	return strings.TrimSpace(d.ContentWarning) == "" && len(d.Media) == 0
}

// Text returns the text of the variant in lang, or "".
func (d Draft) Text(lang string) string {
	for _, v := range d.Variants {
		if v.Lang == lang {
			return v.Text
		}
	}
	return ""
}

// SetText sets the text of the variant in lang, adding it if needed.
func (d *Draft) SetText(lang, text string) {
	for i := range d.Variants {
		if d.Variants[i].Lang == lang {
			d.Variants[i].Text = text
			return
		}
	}
	d.Variants = append(d.Variants, Variant{Lang: lang, Text: text})
}

// State is where an outbox entry stands.
type State string

// Outbox states: queued → sending → sent | failed. A failed entry may be
// queued again by the user.
const (
	Queued  State = "queued"
	Sending State = "sending"
	Sent    State = "sent"
	Failed  State = "failed"
)

// Where an entry waits.
const (
	WhereLocal  = "local"
	WhereServer = "server"
)

// Entry is one post to publish on one account: a draft's variant for one
// target. Its ID doubles as the idempotency key sent to the network.
type Entry struct {
	ID             string       `json:"id"`
	DraftID        string       `json:"draft"`
	Account        string       `json:"account"`
	Lang           string       `json:"lang"`
	Text           string       `json:"text"`
	ContentWarning string       `json:"content_warning,omitempty"`
	ReplyTo        string       `json:"reply_to,omitempty"`
	Visibility     string       `json:"visibility,omitempty"`
	Media          []Attachment `json:"media,omitempty"`
	State          State        `json:"state"`
	RemoteID       string       `json:"remote_id"`
	URL            string       `json:"url,omitempty"`
	Error          string       `json:"error,omitempty"` // why it failed, in English, for details
	Attempts       int          `json:"attempts"`
	FirstTry       time.Time    `json:"first_try,omitzero"`
	// Uncertain is set when an attempt ended without knowing whether the
	// network published the post (a crash, a time-out, a server error).
	Uncertain bool      `json:"uncertain,omitempty"`
	NotBefore time.Time `json:"not_before,omitzero"` // scheduled time or back-off
	// ScheduledAt is the time the user chose, if any, and Zone the time
	// zone chosen in (the mission's).
	ScheduledAt time.Time `json:"scheduled_at,omitzero"`
	Zone        string    `json:"zone,omitempty"`
	// Where a scheduled entry waits: WhereServer when the network's server
	// holds it as ScheduledID, else in this computer's outbox.
	Where       string `json:"where,omitempty"`
	ScheduledID string `json:"scheduled_id,omitempty"`
	// HandingOff is set while handing the entry to the server is in flight
	// or its outcome unknown; the server's scheduled posts are looked at
	// before it is handed again. HandOffs counts the hand-offs, so each new
	// one has its own idempotency key.
	HandingOff bool `json:"handing_off,omitempty"`
	HandOffs   int  `json:"hand_offs,omitempty"`
	// LocalReason says why the server does not hold the entry (it refused
	// to schedule it); the entry then waits on this computer.
	LocalReason string    `json:"local_reason,omitempty"`
	Seq         int       `json:"seq"` // order within its draft
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Errors of this package.
var (
	ErrNoDraft       = translations.NewProblem("error.no_draft", "no such draft")
	ErrNoEntry       = translations.NewProblem("error.no_entry", "no such outbox entry")
	ErrEmptyDraft    = translations.NewProblem("error.empty_draft", "the draft has no text")
	ErrNoTargets     = translations.NewProblem("error.no_targets", "the draft has no target account")
	ErrTooLong       = translations.NewProblem("error.too_long", "the text is longer than the network allows")
	ErrCannotPublish = translations.NewProblem("error.cannot_publish", "this account cannot publish")
	ErrNotRetryable  = translations.NewProblem("error.not_retryable", "only failed entries can be retried")
	ErrNotWaiting    = translations.NewProblem("error.not_waiting", "only a post that is waiting can be changed")
	ErrPastTime      = translations.NewProblem("error.past_time", "the time is in the past")
	ErrNoMedia       = translations.NewProblem("error.no_media", "this network cannot publish images")
	ErrAttachment    = translations.NewProblem("error.attachment", "an attached image cannot be read")
	// ErrNoLanguageForAccount: none of the written variants is in a
	// language of the target account's mission.
	ErrNoLanguageForAccount = translations.NewProblem("error.no_language_for_account", "no version of the post is in a language of this account's mission")
)

// newID returns a random, URL-safe identifier.
func newID() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return hex.EncodeToString(b[:])
}
