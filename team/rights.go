package team

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
)

// ErrRightsUnknown says this profile has not yet learned from the team
// server in which missions its login may approve (it never synced since).
var ErrRightsUnknown = errors.New("the approval rights of this login are not known yet")

// selectApproverMissions is the missions where the server's rules (team/sql,
// check_event) let session_user approve or return a post: a member of the
// mission, holding chancery_approver, and not the owner of the log (who
// takes no part in review). It only reads.
const selectApproverMissions = `SELECT m.mission FROM chancery.members m
  WHERE m.login = session_user
    AND pg_has_role(session_user, 'chancery_approver', 'MEMBER')
    AND NOT pg_has_role(session_user,
      (SELECT c.relowner FROM pg_class c WHERE c.oid = 'chancery.events'::regclass), 'MEMBER')
  ORDER BY m.mission`

// CanApprove tells whether the login may approve or return posts in
// mission, as the team server last said (at connect or at the last Sync
// that reached it), so that it answers offline too. Before the first
// answer it returns ErrRightsUnknown. The server still judges each action:
// rights changed since are refused with their reason.
func (s *Service) CanApprove(mission string) (bool, error) {
	missions, known, err := s.o.Store.ApproverMissions()
	if err != nil {
		return false, err
	}
	if !known {
		return false, ErrRightsUnknown
	}
	return slices.Contains(missions, mission), nil
}

// learnRights asks the server where the login may approve and keeps the
// answer in the profile.
func (s *Service) learnRights(ctx context.Context, conn *pgx.Conn) error {
	missions, err := s.queryRights(ctx, conn)
	if err != nil {
		return err
	}
	return s.keepRights(missions)
}

// queryRights reads the missions where the login may approve.
func (s *Service) queryRights(ctx context.Context, conn *pgx.Conn) ([]string, error) {
	qctx, cancel := context.WithTimeout(ctx, s.o.Timeout)
	defer cancel()
	rows, err := conn.Query(qctx, selectApproverMissions)
	if err != nil {
		return nil, fmt.Errorf("read the approval rights: %w: %w", ErrServer, err)
	}
	missions, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("read the approval rights: %w: %w", ErrServer, err)
	}
	if missions == nil {
		missions = []string{}
	}
	return missions, nil
}

// keepRights saves the server's answer, signalling a change when it
// differs from the last one.
func (s *Service) keepRights(missions []string) error {
	old, known, err := s.o.Store.ApproverMissions()
	if err != nil {
		return err
	}
	if known && slices.Equal(old, missions) {
		return nil
	}
	if err := s.o.Store.SetApproverMissions(missions); err != nil {
		return err
	}
	s.changed()
	return nil
}
