package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"

	"chancery/accounts"
	"chancery/drafts"
	"chancery/team"
	"chancery/team/pgtest"
)

// memTeamStore is an in-memory team.Store: the profile's side of the
// review log, as storage keeps it in bbolt.
type memTeamStore struct {
	mu       sync.Mutex
	cfg      *team.Config
	queued   []team.Queued
	pulled   []team.Event
	cursor   int64
	required map[string]bool
	approver []string // nil: the server never said
}

func (s *memTeamStore) TeamConfig() (team.Config, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cfg == nil {
		return team.Config{}, team.ErrNotConnected
	}
	return *s.cfg, nil
}

func (s *memTeamStore) PutTeamConfig(c team.Config) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg = &c
	return nil
}

func (s *memTeamStore) QueueEvent(q team.Queued) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queued = append(s.queued, q)
	return nil
}

func (s *memTeamStore) QueuedEvents() ([]team.Queued, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.queued), nil
}

func (s *memTeamStore) RefuseEvent(id, reason, detail string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.queued {
		if s.queued[i].ID == id {
			s.queued[i].Refused, s.queued[i].Detail = reason, detail
		}
	}
	return nil
}

func (s *memTeamStore) SavePulled(events []team.Event, cursor int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range events {
		s.queued = slices.DeleteFunc(s.queued, func(q team.Queued) bool { return q.ID == e.ID })
	}
	s.pulled, s.cursor = append(s.pulled, events...), cursor
	return nil
}

func (s *memTeamStore) Cursor() (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cursor, nil
}

func (s *memTeamStore) PulledEvents() ([]team.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.pulled), nil
}

func (s *memTeamStore) RequiresReview(mission string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.required[mission], nil
}

func (s *memTeamStore) SetRequiresReview(mission string, on bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.required == nil {
		s.required = map[string]bool{}
	}
	s.required[mission] = on
	return nil
}

func (s *memTeamStore) EnqueueDerived(string, []drafts.Entry) (int, error) {
	return 0, errors.New("this test publishes nothing")
}

func (s *memTeamStore) DropRefused(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queued = slices.DeleteFunc(s.queued, func(q team.Queued) bool { return q.ID == id && q.Refused != "" })
	return nil
}

func (s *memTeamStore) Draft(id string) (drafts.Draft, error) {
	return drafts.Draft{}, fmt.Errorf("draft %s: %w", id, drafts.ErrNoDraft)
}

func (s *memTeamStore) DeleteDraft(string) error { return nil }

func (s *memTeamStore) ApproverMissions() ([]string, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.approver), s.approver != nil, nil
}

func (s *memTeamStore) SetApproverMissions(missions []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.approver = append([]string{}, missions...)
	return nil
}

// teamReview is the real team service with its login, as main wires it.
type teamReview struct {
	*team.Service
	store *memTeamStore
}

func (r teamReview) Login() (string, error) {
	cfg, err := r.store.TeamConfig()
	return cfg.Login, err
}

// TestReviewViewOnTheRealTeamService runs the Review view on the real
// team service and a real PostgreSQL cluster (team/pgtest): a colleague
// submits from another laptop, the view is woken by the server, and the
// approver returns then approves from the view.
func TestReviewViewOnTheRealTeamService(t *testing.T) {
	cluster, err := pgtest.Start()
	switch {
	case errors.Is(err, pgtest.ErrMissing) && os.Getenv("CI") != "true":
		t.Skip(err)
	case err != nil:
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cluster.Stop() })
	ctx := context.Background()
	db, admin := cluster.NewDatabase(t)
	if err := team.Migrate(ctx, admin); err != nil {
		t.Fatal(err)
	}
	for _, login := range []string{"bob", "alice"} {
		if _, err := admin.Exec(ctx, "INSERT INTO chancery.members (login, mission) VALUES ($1, 'vienna')", login); err != nil {
			t.Fatal(err)
		}
	}
	bobPW, alicePW := cluster.Login(t, "bob", "chancery_staff"), cluster.Login(t, "alice", "chancery_approver")

	f := newFixture(t)
	ws := f.params.Admin.(*accounts.Workspace)
	bob := team.New(team.Options{Store: &memTeamStore{}, Accounts: ws, Secrets: f.keyring})
	if _, err := bob.Connect(ctx, cluster.DSN("bob", bobPW, db), "", ""); err != nil {
		t.Fatal(err)
	}
	aliceStore := &memTeamStore{}
	alice := team.New(team.Options{Store: aliceStore, Accounts: ws, Secrets: f.keyring})
	if _, err := alice.Connect(ctx, cluster.DSN("alice", alicePW, db), "", ""); err != nil {
		t.Fatal(err)
	}
	f.params.Review = teamReview{Service: alice, store: aliceStore}
	u := f.start(t)
	t.Cleanup(u.stop) // ends the sync loop before the cluster stops
	u.showReview("vienna")
	p := u.review.panels[0]
	eventually(t, "in step with the server", func() bool { return strings.HasPrefix(p.status.Text, "In step with the team server") })

	draft := drafts.Draft{ID: "post-1", Targets: []string{"vienna-demo"}, Variants: []drafts.Variant{{Lang: "en", Text: "The visa office is closed on Monday."}}}
	if _, err := bob.Submit(draft); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	selectPost(t, p, "post-1") // NOTIFY woke alice's laptop, which pulled it

	test.Tap(findButton(p.detail, "Return…"))
	test.Type(p.win.Canvas().Focused(), "It opens on Monday.")
	p.dialog.(*confirmDialog).Confirm()
	p.filterSel.SetSelectedIndex(int(reviewApproved))
	waitState(t, bob, "post-1", team.StateReturned)
	if it, _ := bob.Item("post-1"); len(it.Comments) != 1 || it.Comments[0].Actor != "alice" || it.Comments[0].Text != "It opens on Monday." {
		t.Errorf("bob's laptop has the comments %+v", it.Comments)
	}

	draft.Variants[0].Text = "The visa office is open on Monday."
	if _, err := bob.Submit(draft); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	p.filterSel.SetSelectedIndex(int(reviewWaiting))
	selectPost(t, p, "post-1")
	eventually(t, "revision 2 and its diff", func() bool {
		return slices.Contains(diffRuns(p), "-closed") && slices.Contains(diffRuns(p), "+open") && contains(p.detail, "It opens on Monday.")
	})
	test.Tap(findButton(p.detail, "Approve"))
	waitState(t, bob, "post-1", team.StateApproved, team.StateClaimed)
	p.filterSel.SetSelectedIndex(int(reviewApproved))
	eventually(t, "listed as approved, sent", func() bool {
		return len(p.shown) == 1 && !p.shown[0].Pending && p.problem.Hidden
	})
}

// waitState syncs the laptop until the post is in one of the states.
func waitState(t *testing.T, svc *team.Service, post string, states ...team.State) {
	t.Helper()
	eventually(t, "post "+post+" "+string(states[0]), func() bool {
		if _, err := svc.Sync(context.Background()); err != nil {
			t.Fatal(err)
		}
		it, err := svc.Item(post)
		return err == nil && slices.Contains(states, it.State)
	})
}
