package facebook

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

// The window in which Facebook takes a scheduled_publish_time.
const (
	MinScheduleLead = 10 * time.Minute
	MaxScheduleLead = 75 * 24 * time.Hour
)

// subcodeNoObject is Graph's "object does not exist" (code 100).
const subcodeNoObject = 33

// schedulePages bounds the pages of scheduled posts read.
const schedulePages = 10

// scheduledFields are the fields of a scheduled post read back.
const scheduledFields = "id,message,scheduled_publish_time,is_published,created_time"

// checkWindow refuses a time Facebook would refuse: less than
// MinScheduleLead or more than MaxScheduleLead ahead. The error wraps
// ErrSchedule and feeds.ErrRejected, so the outbox keeps the entry and
// publishes it itself at its time.
func (n *Network) checkWindow(at time.Time) error {
	lead := at.Sub(n.now())
	if lead < MinScheduleLead || lead > MaxScheduleLead {
		return fmt.Errorf("facebook: schedule %s ahead: %w: %w", lead.Round(time.Minute), ErrSchedule, feeds.ErrRejected)
	}
	return nil
}

// Schedule hands out to Facebook as an unpublished Page post with
// scheduled_publish_time (POST /{page-id}/feed, published=false), its
// photos uploaded as temporary unpublished photos and attached. Facebook
// publishes it at its time while Chancery is closed. A reply (a comment)
// cannot be scheduled on Facebook's side.
func (n *Network) Schedule(ctx context.Context, acct accounts.Account, out feeds.Outgoing, at time.Time) (feeds.Scheduled, error) {
	if out.ReplyTo != "" {
		return feeds.Scheduled{}, fmt.Errorf("facebook: schedule a comment: %w: %w", feeds.ErrUnsupported, feeds.ErrRejected)
	}
	if err := n.checkWindow(at); err != nil {
		return feeds.Scheduled{}, err
	}
	s, err := n.session(acct)
	if err != nil {
		return feeds.Scheduled{}, err
	}
	if used := length(compose(out)); used > MaxLength {
		return feeds.Scheduled{}, fmt.Errorf("facebook: %d characters, at most %d: %w", used, MaxLength, feeds.ErrRejected)
	}
	form, err := s.feedForm(ctx, out, true)
	if err != nil {
		return feeds.Scheduled{}, err
	}
	form.Set("published", "false")
	form.Set("scheduled_publish_time", strconv.FormatInt(at.Unix(), 10))
	var c created
	if err := s.postJSON(ctx, call{path: []string{s.page, "feed"}, form: form, perm: "pages_manage_posts"}, &c); err != nil {
		return feeds.Scheduled{}, fmt.Errorf("facebook: schedule: %w", err)
	}
	if !validID(c.ID) {
		return feeds.Scheduled{}, fmt.Errorf("facebook: schedule: post id %q: %w: %w", c.ID, feeds.ErrBadResponse, feeds.ErrOutcomeUnknown)
	}
	return feeds.Scheduled{
		ID: c.ID, At: time.Unix(at.Unix(), 0).UTC(),
		Out: feeds.Outgoing{Text: out.Text, ContentWarning: out.ContentWarning},
	}, nil
}

// Reschedule moves the scheduled post id to at (POST /{post-id} with
// scheduled_publish_time).
func (n *Network) Reschedule(ctx context.Context, acct accounts.Account, id string, at time.Time) (feeds.Scheduled, error) {
	if err := n.checkWindow(at); err != nil {
		return feeds.Scheduled{}, err
	}
	s, err := n.scheduledSession(acct, id)
	if err != nil {
		return feeds.Scheduled{}, err
	}
	form := url.Values{"scheduled_publish_time": {strconv.FormatInt(at.Unix(), 10)}}
	var res struct {
		Success bool `json:"success"`
	}
	if err := s.postJSON(ctx, call{path: []string{id}, form: form, perm: "pages_manage_posts"}, &res); err != nil {
		return feeds.Scheduled{}, fmt.Errorf("facebook: reschedule %s: %w", id, notScheduled(err))
	}
	return n.ScheduledPost(ctx, acct, id)
}

// Unschedule deletes the scheduled post id (DELETE /{post-id}).
func (n *Network) Unschedule(ctx context.Context, acct accounts.Account, id string) error {
	s, err := n.scheduledSession(acct, id)
	if err != nil {
		return err
	}
	if _, err := n.ScheduledPost(ctx, acct, id); err != nil {
		return err // a post published meanwhile must not be deleted
	}
	c := call{method: http.MethodDelete, path: []string{id}, perm: "pages_manage_posts"}
	if err := s.postJSON(ctx, c, nil); err != nil {
		return fmt.Errorf("facebook: unschedule %s: %w", id, notScheduled(err))
	}
	return nil
}

// ScheduledPost returns the scheduled post id (GET /{post-id}); one
// published or deleted meanwhile is an error wrapping
// feeds.ErrNotScheduled, a *feeds.PublishedError for a published one.
func (n *Network) ScheduledPost(ctx context.Context, acct accounts.Account, id string) (feeds.Scheduled, error) {
	s, err := n.scheduledSession(acct, id)
	if err != nil {
		return feeds.Scheduled{}, err
	}
	var p postNode
	c := call{path: []string{id}, query: url.Values{"fields": {scheduledFields}}, perm: "pages_read_engagement"}
	if err := s.getJSON(ctx, c, &p); err != nil {
		return feeds.Scheduled{}, fmt.Errorf("facebook: scheduled post %s: %w", id, notScheduled(err))
	}
	if p.IsPublished != nil && *p.IsPublished {
		// The post keeps its id when Facebook publishes it.
		published := &feeds.PublishedError{Published: feeds.Published{RemoteID: id, URL: postURL(id)}}
		return feeds.Scheduled{}, fmt.Errorf("facebook: scheduled post %s: %w", id, published)
	}
	if p.ScheduledPublishTime == 0 {
		return feeds.Scheduled{}, fmt.Errorf("facebook: scheduled post %s: %w", id, feeds.ErrNotScheduled)
	}
	return p.scheduled(), nil
}

// ScheduledPosts lists the Page's scheduled posts (GET
// /{page-id}/scheduled_posts).
func (n *Network) ScheduledPosts(ctx context.Context, acct accounts.Account) ([]feeds.Scheduled, error) {
	s, err := n.session(acct)
	if err != nil {
		return nil, err
	}
	q := url.Values{"fields": {scheduledFields}, "limit": {strconv.Itoa(pageSize)}}
	var all []feeds.Scheduled
	for range schedulePages {
		var list struct {
			Data   []postNode `json:"data"`
			Paging paging     `json:"paging"`
		}
		c := call{path: []string{s.page, "scheduled_posts"}, query: q, perm: "pages_read_engagement"}
		if err := s.getJSON(ctx, c, &list); err != nil {
			return nil, fmt.Errorf("facebook: scheduled posts: %w", err)
		}
		for _, p := range list.Data {
			if p.ScheduledPublishTime != 0 {
				all = append(all, p.scheduled())
			}
		}
		next := list.Paging.older()
		if next == "" || len(list.Data) == 0 {
			break
		}
		if err := applyCursor(q, next); err != nil {
			return nil, err
		}
	}
	return all, nil
}

// scheduledSession opens acct's session for the post id.
func (n *Network) scheduledSession(acct accounts.Account, id string) (*session, error) {
	if !validID(id) {
		return nil, fmt.Errorf("facebook: scheduled post %q: %w", id, feeds.ErrNotScheduled)
	}
	return n.session(acct)
}

// scheduled converts a scheduled post.
func (p postNode) scheduled() feeds.Scheduled {
	text, warning := decompose(p.Message)
	return feeds.Scheduled{
		ID: p.ID, At: time.Unix(p.ScheduledPublishTime, 0).UTC(),
		Out: feeds.Outgoing{Text: text, ContentWarning: warning},
	}
}

// notScheduled adds feeds.ErrNotScheduled to Graph's "object does not
// exist".
func notScheduled(err error) error {
	var ge *GraphError
	if errors.As(err, &ge) && ge.Code == codeParam && ge.Subcode == subcodeNoObject {
		return fmt.Errorf("%w: %w", feeds.ErrNotScheduled, err)
	}
	return err
}
