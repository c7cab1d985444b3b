package team

import (
	"chancery/drafts"
)

// Config is how this laptop reaches the team server. The DSN never holds
// the password: the secret (password or client key) is in the OS keyring.
type Config struct {
	DSN   string `json:"dsn"`
	Login string `json:"login"`
	// Device identifies this laptop's profile; claims are made in its name,
	// so two laptops of one login never both publish.
	Device string `json:"device"`
	// CertFile is the client certificate (public), when the login signs in
	// with a certificate whose key is in the keyring.
	CertFile string `json:"cert_file,omitempty"`
}

// Store keeps the local side of the review log in the profile. Implemented
// by storage.
type Store interface {
	// TeamConfig returns the saved configuration, or ErrNotConnected.
	TeamConfig() (Config, error)
	PutTeamConfig(c Config) error
	// QueueEvent appends an event to the local queue.
	QueueEvent(q Queued) error
	// QueuedEvents returns the queue in the order events were made.
	QueuedEvents() ([]Queued, error)
	// RefuseEvent keeps a queued event with the reason it was refused.
	RefuseEvent(id, reason, detail string) error
	// DropRefused forgets a refused event (the user read why); an event
	// not refused is kept.
	DropRefused(id string) error
	// SavePulled appends events to the pulled log, drops the queued events
	// they contain and moves the cursor, in one transaction.
	SavePulled(events []Event, cursor int64) error
	// Cursor is the server sequence number of the last pulled event.
	Cursor() (int64, error)
	// PulledEvents returns the pulled log in server order.
	PulledEvents() ([]Event, error)
	// RequiresReview tells whether a mission publishes only through review.
	RequiresReview(mission string) (bool, error)
	// ApproverMissions returns the missions where the login may approve,
	// as the server last said; known is false before its first answer.
	ApproverMissions() (missions []string, known bool, err error)
	// SetApproverMissions keeps the server's latest answer.
	SetApproverMissions(missions []string) error
	SetRequiresReview(mission string, on bool) error
	// EnqueueDerived stores outbox entries whose ids are derived (see
	// EntryID) and deletes the draft, skipping entries already stored, in
	// one transaction. It returns how many were added.
	EnqueueDerived(draftID string, entries []drafts.Entry) (int, error)
	// Draft and DeleteDraft reach the drafts (see drafts.Store).
	Draft(id string) (drafts.Draft, error)
	DeleteDraft(id string) error
}

// Outbox is the part of the outbox the team service publishes through.
// Implemented by storage (Entry) and drafts.Outbox (Flush) together.
type Outbox interface {
	Entry(id string) (drafts.Entry, error)
}

// Planner splits a draft into outbox entries (drafts.Service).
type Planner interface {
	Entries(d drafts.Draft) ([]drafts.Entry, error)
}
