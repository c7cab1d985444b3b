// Package team keeps a mission's review of posts on the team's PostgreSQL
// server: an append-only event log (submit, approve, return, withdraw,
// claim, published) whose rules live in the database (team/sql), mirrored
// on each laptop by a local queue of events not yet pushed and the pulled
// log, both kept by a Store (storage). It is the only package that imports
// pgx.
//
// The Service is the API the window and the command line share: Submit,
// Approve, Return and Withdraw queue an event locally (offline first);
// Sync pushes the queue, pulls the log and publishes what this laptop won
// the claim of; List, Item, Diff and Comments read the local mirror;
// Changes signals every change.
package team

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"chancery/drafts"
)

// Kind is what an event does.
type Kind string

// The kinds of events in the log.
const (
	KindSubmit    Kind = "submit"    // the author submits a revision for review
	KindApprove   Kind = "approve"   // an approver approves the latest revision
	KindReturn    Kind = "return"    // an approver returns it with a comment
	KindWithdraw  Kind = "withdraw"  // the author withdraws the post
	KindClaim     Kind = "claim"     // a laptop claims the right to publish
	KindPublished Kind = "published" // the claiming laptop published it
)

// Event is one line of the review log. ID is made on the laptop (a resend
// is harmless); Seq, Actor and At are set by the server and are zero on an
// event not yet pulled.
type Event struct {
	ID       string `json:"id"`
	Seq      int64  `json:"seq,omitempty"`
	Mission  string `json:"mission"`
	Post     string `json:"post"`
	Revision int    `json:"revision"`
	Kind     Kind   `json:"kind"`
	// Hash is the content hash of the revision the event names.
	Hash string `json:"hash"`
	// Content is the revision's JSON-encoded Content, on submit events.
	Content string    `json:"content,omitempty"`
	Comment string    `json:"comment,omitempty"`
	Actor   string    `json:"actor,omitempty"`
	At      time.Time `json:"at,omitzero"`
}

// Queued is an event made on this laptop and not yet seen in the pulled
// log. Refused holds the message id of the reason the server refused it
// (see Refusal); a refused event is kept and never sent again.
type Queued struct {
	Event
	Queued  time.Time `json:"queued"`
	Refused string    `json:"refused,omitempty"`
	Detail  string    `json:"detail,omitempty"` // the server's words, for details
}

// Content is what a revision proposes to publish: the draft's targets,
// text in each language and images. The image files stay on the author's
// laptop (Media names them, with their descriptions), so only a laptop
// that has them can publish the revision.
type Content struct {
	Targets []string `json:"accounts"`
	// Refs say what each target is (network, server, handle), so another
	// laptop, where the same account has its own id, can publish it.
	Refs           []AccountRef        `json:"account_refs,omitempty"`
	Variants       []drafts.Variant    `json:"variants"`
	ContentWarning string              `json:"content_warning,omitempty"`
	Media          []drafts.Attachment `json:"media,omitempty"`
	ReplyTo        string              `json:"reply_to,omitempty"`
	Visibility     string              `json:"visibility,omitempty"`
	ScheduledAt    time.Time           `json:"scheduled_at,omitzero"`
	Zone           string              `json:"zone,omitempty"`
}

// AccountRef names a target account the same way on every laptop.
type AccountRef struct {
	ID      string `json:"id"` // the author's id for it
	Network string `json:"network"`
	Server  string `json:"server"`
	Handle  string `json:"handle"`
}

// ContentOf returns what draft d proposes to publish.
func ContentOf(d drafts.Draft) Content {
	c := Content{
		Targets: d.Targets, ContentWarning: d.ContentWarning, ReplyTo: d.ReplyTo, Media: d.Media,
		Visibility: d.Visibility, ScheduledAt: d.ScheduledAt, Zone: d.Zone,
	}
	for _, v := range d.Variants {
		if v.Text != "" {
			c.Variants = append(c.Variants, v)
		}
	}
	return c
}

// Encode returns c's canonical JSON and its content hash (hex SHA-256 of
// that JSON, which the server checks on submit).
func (c Content) Encode() (string, string, error) {
	raw, err := json.Marshal(c)
	if err != nil {
		return "", "", fmt.Errorf("encode content: %w", err)
	}
	sum := sha256.Sum256(raw)
	return string(raw), hex.EncodeToString(sum[:]), nil
}

// Draft returns the draft that publishes c, under id.
func (c Content) Draft(id string) drafts.Draft {
	return drafts.Draft{
		ID: id, Targets: slices.Clone(c.Targets), Variants: slices.Clone(c.Variants), ContentWarning: c.ContentWarning,
		ReplyTo: c.ReplyTo, Visibility: c.Visibility, ScheduledAt: c.ScheduledAt, Zone: c.Zone,
		Media: slices.Clone(c.Media),
	}
}

// State is where a post stands in review.
type State string

// The states of a post, from the last event about it.
const (
	StateSubmitted State = "submitted" // waiting for an approver
	StateApproved  State = "approved"  // approved; a laptop will claim it
	StateReturned  State = "returned"  // returned to the author with a comment
	StateWithdrawn State = "withdrawn" // withdrawn by the author
	StateClaimed   State = "claimed"   // a laptop is publishing it
	StatePublished State = "published" // published
)

// Revision is one submitted version of a post.
type Revision struct {
	Number  int
	Hash    string
	Content Content
	Author  string
	At      time.Time
}

// Comment is a reviewer's or author's words on a revision.
type Comment struct {
	Revision int
	Kind     Kind
	Actor    string
	Text     string
	At       time.Time
}

// Item is a post under review as this laptop knows it: the pulled log with
// this laptop's queued events applied on top.
type Item struct {
	Post      string
	Mission   string
	Author    string
	State     State
	Revisions []Revision // in order; the last is the latest
	Comments  []Comment
	// ClaimedBy is the login whose laptop publishes the approved revision.
	ClaimedBy string
	// Pending is set while this laptop has events about the post not yet
	// in the pulled log; Refused lists those the server refused.
	Pending bool
	Refused []Queued
	Updated time.Time
	claim   string // the id of the pulled claim on the latest revision
}

// Latest returns the latest revision (the zero Revision if none).
func (it Item) Latest() Revision {
	if len(it.Revisions) == 0 {
		return Revision{}
	}
	return it.Revisions[len(it.Revisions)-1]
}
