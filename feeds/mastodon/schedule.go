package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

var _ feeds.Scheduler = (*Network)(nil)

// scheduledStatus is the ScheduledStatus entity: a status the server
// publishes at scheduled_at, with the parameters it was created with.
type scheduledStatus struct {
	ID          flexID `json:"id"`
	ScheduledAt string `json:"scheduled_at"`
	Params      struct {
		Text        string `json:"text"`
		SpoilerText string `json:"spoiler_text"`
		Language    string `json:"language"`
		InReplyToID flexID `json:"in_reply_to_id"`
		Visibility  string `json:"visibility"`
	} `json:"params"`
}

func (st scheduledStatus) scheduled(what string) (feeds.Scheduled, error) {
	at, err := time.Parse(time.RFC3339Nano, st.ScheduledAt)
	if st.ID == "" || err != nil {
		return feeds.Scheduled{}, fmt.Errorf("mastodon: %s: scheduled status %q at %q: %w", what, st.ID, st.ScheduledAt, feeds.ErrBadResponse)
	}
	return feeds.Scheduled{ID: string(st.ID), At: at, Out: feeds.Outgoing{
		Text: st.Params.Text, ContentWarning: st.Params.SpoilerText, Lang: st.Params.Language,
		ReplyTo: string(st.Params.InReplyToID), Visibility: st.Params.Visibility,
	}}, nil
}

// Schedule creates a scheduled status (POST /api/v1/statuses with
// scheduled_at, which the server answers with a ScheduledStatus instead of
// a Status), sending out.IdempotencyKey as Idempotency-Key. The server
// refuses (422) a time less than five minutes ahead.
func (n *Network) Schedule(ctx context.Context, acct accounts.Account, out feeds.Outgoing, at time.Time) (feeds.Scheduled, error) {
	s, form, err := n.statusForm(ctx, acct, out)
	if err != nil {
		return feeds.Scheduled{}, err
	}
	form.Set("scheduled_at", at.UTC().Format(time.RFC3339))
	key := out.IdempotencyKey
	if key == "" {
		key = contentKey(acct, out) + "-" + strconv.FormatInt(at.Unix(), 10)
	}
	body, _, err := s.do(ctx, call{method: http.MethodPost, path: []string{"api", "v1", "statuses"}, form: form, idem: key})
	if err != nil {
		return feeds.Scheduled{}, fmt.Errorf("mastodon: schedule: %w", err)
	}
	var st struct {
		scheduledStatus
		CreatedAt string `json:"created_at"`
		URL       string `json:"url"`
		URI       string `json:"uri"`
	}
	if err := s.decode(body, "api/v1/statuses", &st); err != nil {
		return feeds.Scheduled{}, err
	}
	if st.ScheduledAt == "" && st.CreatedAt != "" && st.ID != "" {
		// A server without scheduling ignores scheduled_at: the status
		// is out already.
		return feeds.Scheduled{Published: feeds.Published{RemoteID: string(st.ID), URL: webURL(st.URL, st.URI)}}, nil
	}
	return st.scheduled("schedule")
}

// Reschedule moves a scheduled status (PUT /api/v1/scheduled_statuses/:id;
// the API changes only the time).
func (n *Network) Reschedule(ctx context.Context, acct accounts.Account, id string, at time.Time) (feeds.Scheduled, error) {
	s, err := n.session(acct)
	if err != nil {
		return feeds.Scheduled{}, err
	}
	form := url.Values{"scheduled_at": {at.UTC().Format(time.RFC3339)}}
	body, _, err := s.do(ctx, call{method: http.MethodPut, path: []string{"api", "v1", "scheduled_statuses", id}, form: form})
	if err != nil {
		return feeds.Scheduled{}, fmt.Errorf("mastodon: reschedule %s: %w", id, notScheduled(err))
	}
	var st scheduledStatus
	if err := s.decode(body, "api/v1/scheduled_statuses", &st); err != nil {
		return feeds.Scheduled{}, err
	}
	return st.scheduled("reschedule")
}

// Unschedule deletes a scheduled status (DELETE
// /api/v1/scheduled_statuses/:id).
func (n *Network) Unschedule(ctx context.Context, acct accounts.Account, id string) error {
	s, err := n.session(acct)
	if err != nil {
		return err
	}
	if _, _, err := s.do(ctx, call{method: http.MethodDelete, path: []string{"api", "v1", "scheduled_statuses", id}}); err != nil {
		return fmt.Errorf("mastodon: unschedule %s: %w", id, notScheduled(err))
	}
	return nil
}

// ScheduledPost returns one scheduled status (GET
// /api/v1/scheduled_statuses/:id).
func (n *Network) ScheduledPost(ctx context.Context, acct accounts.Account, id string) (feeds.Scheduled, error) {
	s, err := n.session(acct)
	if err != nil {
		return feeds.Scheduled{}, err
	}
	var st scheduledStatus
	if _, err := s.getJSON(ctx, &st, nil, "api", "v1", "scheduled_statuses", id); err != nil {
		return feeds.Scheduled{}, fmt.Errorf("mastodon: scheduled status %s: %w", id, notScheduled(err))
	}
	return st.scheduled("scheduled status")
}

// schedulePages bounds the pages of scheduled statuses read: an account
// holds few (Mastodon allows 300).
const schedulePages = 10

// ScheduledPosts lists the account's scheduled statuses (GET
// /api/v1/scheduled_statuses, paged by its Link header).
func (n *Network) ScheduledPosts(ctx context.Context, acct accounts.Account) ([]feeds.Scheduled, error) {
	s, err := n.session(acct)
	if err != nil {
		return nil, err
	}
	q := url.Values{"limit": {strconv.Itoa(pageSize)}}
	var all []feeds.Scheduled
	for range schedulePages {
		var list []scheduledStatus
		h, err := s.getJSON(ctx, &list, q, "api", "v1", "scheduled_statuses")
		if err != nil {
			return nil, fmt.Errorf("mastodon: scheduled statuses: %w", err)
		}
		for _, st := range list {
			sc, err := st.scheduled("scheduled statuses")
			if err != nil {
				return nil, err
			}
			all = append(all, sc)
		}
		last := ""
		if len(list) > 0 {
			last = string(list[len(list)-1].ID)
		}
		next := older(h, len(list), last)
		if next == "" {
			break
		}
		q.Set("max_id", next)
	}
	return all, nil
}

// notScheduled adds feeds.ErrNotScheduled to a 404: the server no longer
// holds the scheduled status.
func notScheduled(err error) error {
	var se *feeds.StatusError
	if errors.As(err, &se) && se.Status == http.StatusNotFound {
		return fmt.Errorf("%w: %w", feeds.ErrNotScheduled, err)
	}
	return err
}
