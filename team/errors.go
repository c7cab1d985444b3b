package team

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"chancery/translations"
)

// Errors of this package.
var (
	ErrNotConnected = translations.NewProblem("team.error.not_connected", "no team server is set up on this profile (chancery team connect)")
	ErrNoPost       = translations.NewProblem("team.error.no_post", "no such post in review")
	ErrNotYours     = translations.NewProblem("team.error.not_yours", "only the author can do this")
	ErrState        = translations.NewProblem("team.error.state", "the post is not in a state that allows this")
	ErrNoComment    = translations.NewProblem("team.error.no_comment", "a returned post needs a comment")
	ErrMixedMission = translations.NewProblem("team.error.mixed_mission", "a post under review goes to the accounts of one mission only")
	ErrReviewNeeded = translations.NewProblem("team.error.review_needed", "this mission publishes only through review: submit the draft")
	ErrBadDSN       = translations.NewProblem("team.error.bad_dsn", "the team server address is not valid")
	ErrServer       = translations.NewProblem("team.error.server", "the team server could not be reached or refused the request")
	// ErrPasswordInDSN refuses a password typed on a command line.
	ErrPasswordInDSN = translations.NewProblem("team.error.password_in_dsn", "the password goes on standard input (--secret-stdin), not in the address")
)

// The reasons the server refuses an event, one per SQLSTATE its triggers
// raise (team/sql), plus the standard ones they meet.
var (
	ReasonNotMember   = translations.NewProblem("team.refused.not_member", "you are not a member of this mission on the team server")
	ReasonNotApprover = translations.NewProblem("team.refused.not_approver", "only an approver can approve or return a post")
	ReasonOwnPost     = translations.NewProblem("team.refused.own_post", "the author cannot approve or return their own post")
	ReasonStale       = translations.NewProblem("team.refused.stale", "the post was changed since: this is not its latest revision")
	ReasonState       = translations.NewProblem("team.refused.state", "the post is no longer in a state that allows this")
	ReasonNoComment   = translations.NewProblem("team.refused.no_comment", "a returned post needs a comment")
	ReasonNotAuthor   = translations.NewProblem("team.refused.not_author", "only the author can do this")
	ReasonNotClaimer  = translations.NewProblem("team.refused.not_claimer", "another laptop is publishing this post")
	ReasonAppendOnly  = translations.NewProblem("team.refused.append_only", "the review log cannot be changed, only added to")
	ReasonBadHash     = translations.NewProblem("team.refused.bad_hash", "the revision's content does not match its hash")
	ReasonIDTaken     = translations.NewProblem("team.refused.id_taken", "the event id is already used by someone else")
	ReasonClaimed     = translations.NewProblem("team.refused.claimed", "another laptop already claimed this revision")
	ReasonDenied      = translations.NewProblem("team.refused.denied", "the team server does not allow this login to do that")
	ReasonInvalid     = translations.NewProblem("team.refused.invalid", "the team server refused the event as invalid")
)

var reasons = map[string]*translations.Problem{
	"CHA01": ReasonNotMember, "CHA02": ReasonNotApprover, "CHA03": ReasonOwnPost,
	"CHA04": ReasonStale, "CHA05": ReasonState, "CHA06": ReasonNoComment,
	"CHA07": ReasonNotAuthor, "CHA08": ReasonNotClaimer, "CHA09": ReasonAppendOnly,
	"CHA10": ReasonBadHash, "CHA11": ReasonIDTaken, "CHA12": ReasonClaimed,
	"23505": ReasonStale,   // unique_violation: one submit, claim and published per revision
	"42501": ReasonDenied,  // insufficient_privilege, including row-level security
	"23514": ReasonInvalid, // check_violation
	"22001": ReasonInvalid, // string_data_right_truncation
}

// Refusal is the server's refusal of one event: final, never retried.
type Refusal struct {
	Reason *translations.Problem
	Code   string // SQLSTATE
	Detail string // the server's message
}

func (r *Refusal) Error() string {
	if r.Code == "" {
		return "refused by the team server: " + r.Detail
	}
	return fmt.Sprintf("refused by the team server (SQLSTATE %s): %s", r.Code, r.Detail)
}

// Unwrap lets errors.Is find the reason.
func (r *Refusal) Unwrap() error { return r.Reason }

// refusal returns the Refusal err stands for, or nil when err is not a
// refusal of the event itself (offline, a lost answer, a server fault),
// after which the event is sent again.
func refusal(err error) *Refusal {
	var pg *pgconn.PgError
	if !errors.As(err, &pg) {
		return nil
	}
	reason, ok := reasons[pg.Code]
	if !ok && (strings.HasPrefix(pg.Code, "22") || strings.HasPrefix(pg.Code, "23")) {
		// Any other data exception or integrity violation is about the
		// event itself: sending it again would be refused again, and
		// would hold back every event queued after it.
		reason, ok = ReasonInvalid, true
	}
	if !ok {
		return nil
	}
	return &Refusal{Reason: reason, Code: pg.Code, Detail: pg.Message}
}

// ReasonOf returns the reason a queued event was refused, or nil.
func ReasonOf(q Queued) *translations.Problem {
	if q.Refused == "" {
		return nil
	}
	for _, r := range reasons {
		if r.MessageID() == q.Refused {
			return r
		}
	}
	return ReasonInvalid
}
