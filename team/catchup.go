package team

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

const selectMissions = `SELECT mission FROM chancery.members WHERE login = session_user`

const selectMissed = `SELECT seq, id, mission, post, revision, kind, content_hash, content, comment, actor, at
  FROM chancery.events WHERE mission = ANY($1) AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4`

// catchUp pulls the earlier events of the missions this login joined after
// its cursor moved on. The cursor is one for every mission: a login added
// to a mission would otherwise never see the posts already waiting there.
// A mission of which this laptop holds no event is read up to the cursor;
// one without any event on the server costs an indexed look-up per Sync.
func (s *Service) catchUp(ctx context.Context, conn *pgx.Conn, res *SyncResult) error {
	cursor, err := s.o.Store.Cursor()
	if err != nil || cursor == 0 {
		return err
	}
	missing, err := s.missingMissions(ctx, conn)
	if err != nil || len(missing) == 0 {
		return err
	}
	after := int64(0)
	for {
		page, err := queryEvents(ctx, conn, s.o.Timeout, selectMissed, missing, after, cursor, pullPage)
		if err != nil {
			return fmt.Errorf("pull the earlier review log of %v: %w: %w", missing, ErrServer, err)
		}
		if len(page) == 0 {
			return nil
		}
		after = page[len(page)-1].Seq
		if err := s.o.Store.SavePulled(page, cursor); err != nil {
			return err
		}
		res.Pulled += len(page)
		s.changed()
		if len(page) < pullPage {
			return nil
		}
	}
}

// missingMissions are this login's missions of which no event was pulled.
func (s *Service) missingMissions(ctx context.Context, conn *pgx.Conn) ([]string, error) {
	qctx, cancel := context.WithTimeout(ctx, s.o.Timeout)
	defer cancel()
	rows, err := conn.Query(qctx, selectMissions)
	if err != nil {
		return nil, fmt.Errorf("read the team missions: %w: %w", ErrServer, err)
	}
	missions, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("read the team missions: %w: %w", ErrServer, err)
	}
	pulled, err := s.o.Store.PulledEvents()
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, e := range pulled {
		have[e.Mission] = true
	}
	var missing []string
	for _, m := range missions {
		if !have[m] {
			missing = append(missing, m)
		}
	}
	return missing, nil
}

// queryEvents runs a query of the log's rows, bounded by timeout.
func queryEvents(ctx context.Context, conn *pgx.Conn, timeout time.Duration, q string, args ...any) ([]Event, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	rows, err := conn.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Event, error) {
		var e Event
		var kind string
		err := row.Scan(&e.Seq, &e.ID, &e.Mission, &e.Post, &e.Revision, &kind, &e.Hash, &e.Content, &e.Comment, &e.Actor, &e.At)
		e.Kind = Kind(kind)
		return e, err
	})
}
