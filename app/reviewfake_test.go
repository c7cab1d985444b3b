package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"chancery/drafts"
	"chancery/team"
)

// fakeReview is an in-memory ReviewService: its items are what the test
// puts there, and it records the actions asked of it.
type fakeReview struct {
	mu        sync.Mutex
	login     string
	loginErr  error
	items     []team.Item
	queued    []team.Queued
	required  map[string]bool
	syncErr   error // what Run's syncs report
	approved  []string
	returned  map[string]string
	withdrawn []string
	dismissed []string
	submitted []drafts.Draft
	changes   chan struct{}
	runs      int
	// approver is where the login may approve; nil: the server never said.
	approver map[string]bool
	// connects are the calls of Connect; connectErr is its failure and
	// connectGate, when set, holds it until closed.
	connects    []fakeConnect
	connectErr  error
	connectGate chan struct{}
}

func newFakeReview(login string) *fakeReview {
	return &fakeReview{login: login, required: map[string]bool{}, returned: map[string]string{}, changes: make(chan struct{}, 1)}
}

func (f *fakeReview) signal() {
	select {
	case f.changes <- struct{}{}:
	default:
	}
}

// put adds or replaces an item and signals the change, as a pulled
// colleague's action would.
func (f *fakeReview) put(it team.Item) {
	f.mu.Lock()
	f.items = slices.DeleteFunc(f.items, func(o team.Item) bool { return o.Post == it.Post })
	f.items = append(f.items, it)
	f.mu.Unlock()
	f.signal()
}

func (f *fakeReview) List(mission string, states ...team.State) ([]team.Item, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []team.Item
	for _, it := range f.items {
		if (mission == "" || it.Mission == mission) && (len(states) == 0 || slices.Contains(states, it.State)) {
			out = append(out, it)
		}
	}
	return out, nil
}

func (f *fakeReview) Submit(d drafts.Draft) (team.Item, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.submitted = append(f.submitted, d.Clone())
	return team.Item{Post: d.ID, State: team.StateSubmitted}, nil
}

func (f *fakeReview) record(post string, fn func()) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !slices.ContainsFunc(f.items, func(it team.Item) bool { return it.Post == post }) {
		return fmt.Errorf("post %s: %w", post, team.ErrNoPost)
	}
	fn()
	return nil
}

func (f *fakeReview) Approve(post string) error {
	return f.record(post, func() { f.approved = append(f.approved, post) })
}

func (f *fakeReview) Return(post, comment string) error {
	return f.record(post, func() { f.returned[post] = comment })
}

func (f *fakeReview) Withdraw(post string) error {
	return f.record(post, func() { f.withdrawn = append(f.withdrawn, post) })
}

func (f *fakeReview) Dismiss(id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dismissed = append(f.dismissed, id)
	return nil
}

func (f *fakeReview) Queued() ([]team.Queued, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.queued), nil
}

func (f *fakeReview) RequiresReview(mission string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.required[mission], nil
}

func (f *fakeReview) SetRequiresReview(mission string, on bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.required[mission] = on
	return nil
}

func (f *fakeReview) CheckDirect(d drafts.Draft) error {
	if slices.ContainsFunc(d.Targets, func(id string) bool { return f.isRequired(missionOfDemo(id)) }) {
		return fmt.Errorf("check: %w", team.ErrReviewNeeded)
	}
	return nil
}

func (f *fakeReview) isRequired(mission string) bool {
	on, _ := f.RequiresReview(mission)
	return on
}

// missionOfDemo reads the mission of a demo account id ("vienna-demo").
func missionOfDemo(id string) string {
	m, _, _ := strings.Cut(id, "-demo")
	return m
}

func (f *fakeReview) Sync(context.Context) (team.SyncResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return team.SyncResult{}, f.syncErr
}

// Run syncs once, as the real loop does at start, then waits for ctx.
func (f *fakeReview) Run(ctx context.Context, opts team.RunOptions) {
	f.mu.Lock()
	f.runs++
	err := f.syncErr
	f.mu.Unlock()
	if opts.OnSync != nil {
		opts.OnSync(team.SyncResult{}, err)
	}
	<-ctx.Done()
}

func (f *fakeReview) Changes() <-chan struct{} { return f.changes }

func (f *fakeReview) Login() (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.login, f.loginErr
}

// reviewItem is a post by author in mission with the given revisions of
// its English text, in state.
func reviewItem(post, mission, author string, state team.State, texts ...string) team.Item {
	it := team.Item{Post: post, Mission: mission, Author: author, State: state, Updated: testNow}
	for i, text := range texts {
		c := team.Content{Targets: []string{mission + "-demo"}, Variants: []drafts.Variant{{Lang: "en", Text: text}}}
		it.Revisions = append(it.Revisions, team.Revision{Number: i + 1, Content: c, Author: author, At: testNow.Add(time.Duration(i) * time.Minute)})
	}
	return it
}

func (f *fakeReview) CanApprove(mission string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.approver == nil {
		return false, team.ErrRightsUnknown
	}
	return f.approver[mission], nil
}

// setApprover sets where the login may approve and signals the change, as
// a sync that learned it would.
func (f *fakeReview) setApprover(missions ...string) {
	f.mu.Lock()
	f.approver = map[string]bool{}
	for _, m := range missions {
		f.approver[m] = true
	}
	f.mu.Unlock()
	f.signal()
}

// fakeConnect is one call of Connect.
type fakeConnect struct{ dsn, secret, cert string }

// Connect records the call; it waits for connectGate when set, fails with
// connectErr when set, else the profile is connected from then on.
func (f *fakeReview) Connect(ctx context.Context, dsn, secret, certFile string) (team.Config, error) {
	f.mu.Lock()
	f.connects = append(f.connects, fakeConnect{dsn, secret, certFile})
	gate := f.connectGate
	f.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return team.Config{}, ctx.Err()
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.connectErr != nil {
		return team.Config{}, f.connectErr
	}
	f.loginErr = nil
	return team.Config{DSN: dsn, Login: f.login, CertFile: certFile}, nil
}
