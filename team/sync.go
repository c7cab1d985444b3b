package team

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"chancery/drafts"
)

// Flusher publishes the outbox's due entries (drafts.Outbox).
type Flusher interface {
	Flush(ctx context.Context) (drafts.FlushResult, error)
}

// SyncResult counts what one Sync did.
type SyncResult struct {
	Pushed    int // events the server now holds
	Refused   int // events the server refused (kept with their reason)
	Pulled    int // events pulled from the log
	Claimed   int // revisions this laptop won the claim of
	Published int // revisions this laptop reported published
}

// pullPage is how many events one pull query reads.
const pullPage = 500

// Sync pushes the local queue, pulls the log, then publishes what this
// laptop won: it claims the approved revisions its login wrote, queues the
// won ones in the outbox (entry ids derived from post, revision, account
// and language), flushes the outbox and reports the revisions published.
// A refused event is kept with its reason and never sent again. Only one
// Sync runs at a time.
func (s *Service) Sync(ctx context.Context) (SyncResult, error) {
	s.syncing.Lock()
	defer s.syncing.Unlock()
	cfg, err := s.o.Store.TeamConfig()
	if err != nil {
		return SyncResult{}, err
	}
	conn, err := s.connect(ctx, cfg)
	if err != nil {
		return SyncResult{}, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if err := s.learnRights(ctx, conn); err != nil {
		return SyncResult{}, err
	}
	var res SyncResult
	// Two rounds: the second pushes the claims and reports the first made.
	for range 2 {
		if err := s.exchange(ctx, conn, &res); err != nil {
			return res, err
		}
		more, err := s.publish(ctx, cfg, &res)
		if err != nil || !more {
			return res, err
		}
	}
	return res, s.exchange(ctx, conn, &res)
}

// exchange pushes the queue, pulls the log, then the earlier events of
// missions this login joined since.
func (s *Service) exchange(ctx context.Context, conn *pgx.Conn, res *SyncResult) error {
	if err := s.push(ctx, conn, res); err != nil {
		return err
	}
	if err := s.pull(ctx, conn, res); err != nil {
		return err
	}
	return s.catchUp(ctx, conn, res)
}

const insertEvent = `INSERT INTO chancery.events
  (seq, id, mission, post, revision, kind, content_hash, content, comment, actor, at)
  VALUES (0, $1, $2, $3, $4, $5, $6, $7, $8, session_user, now())
  ON CONFLICT (id) DO NOTHING`

// push sends each queued event not refused, in order. An event the server
// refuses is kept with its reason; any other failure stops the push, and
// the rest waits for the next Sync (a resend is harmless).
func (s *Service) push(ctx context.Context, conn *pgx.Conn, res *SyncResult) error {
	queued, err := s.o.Store.QueuedEvents()
	if err != nil {
		return err
	}
	for _, q := range queued {
		if q.Refused != "" {
			continue
		}
		e := q.Event
		err := pushOne(ctx, conn, e, s.o.Timeout)
		if err == nil {
			res.Pushed++
			continue
		}
		r := refusal(err)
		if r == nil {
			return fmt.Errorf("push review event %s: %w: %w", e.ID, ErrServer, err)
		}
		if err := s.o.Store.RefuseEvent(e.ID, r.Reason.MessageID(), r.Code+": "+r.Detail); err != nil {
			return err
		}
		res.Refused++
		s.changed()
	}
	return nil
}

// pushOne sends one event in its own READ COMMITTED transaction, whatever
// the server's default: the rules judge it on the log as it is now.
func pushOne(ctx context.Context, conn *pgx.Conn, e Event, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	opts := pgx.TxOptions{IsoLevel: pgx.ReadCommitted}
	return pgx.BeginTxFunc(ctx, conn, opts, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, insertEvent, e.ID, e.Mission, e.Post, e.Revision, string(e.Kind), e.Hash, e.Content, e.Comment)
		return err
	})
}

const selectEvents = `SELECT seq, id, mission, post, revision, kind, content_hash, content, comment, actor, at
  FROM chancery.events WHERE seq > $1 ORDER BY seq LIMIT $2`

// pull reads the log from the cursor, page by page, saving each page with
// its cursor in one local transaction.
func (s *Service) pull(ctx context.Context, conn *pgx.Conn, res *SyncResult) error {
	cursor, err := s.o.Store.Cursor()
	if err != nil {
		return err
	}
	for {
		page, err := readPage(ctx, conn, cursor, s.o.Timeout)
		if err != nil {
			return fmt.Errorf("pull review log after %d: %w: %w", cursor, ErrServer, err)
		}
		if len(page) == 0 {
			return nil
		}
		cursor = page[len(page)-1].Seq
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

func readPage(ctx context.Context, conn *pgx.Conn, cursor int64, timeout time.Duration) ([]Event, error) {
	return queryEvents(ctx, conn, timeout, selectEvents, cursor, pullPage)
}
