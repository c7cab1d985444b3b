package feeds

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"sync"
	"time"

	"chancery/accounts"
)

// Phase tells what a refresh Event reports.
type Phase int

// Refresh phases.
const (
	Started Phase = iota
	Finished
	// Connectivity reports that the network was found gone or back.
	Connectivity
)

// Result is the outcome of refreshing one timeline.
type Result struct {
	Key   TimelineKey
	Added int
	Err   error
	At    time.Time
	// Skipped is set when the timeline was not fetched because its account
	// or server is backing off after errors; Err then says why.
	Skipped bool
}

// Event reports progress of a refresh to listeners.
type Event struct {
	Phase   Phase
	Result  Result
	Offline bool // for Connectivity events
}

// Refresher fetches timelines from their networks into the cache: many at
// a time, a few per host, backing off from accounts whose server fails, and
// telling listeners of every start and end and of connectivity changes.
type Refresher struct {
	nets    Registry
	cache   Cache
	now     func() time.Time
	timeout time.Duration
	global  chan struct{}
	perHost int
	// OnAccountState, if set, hears an account's state after each fetch.
	OnAccountState func(accountID string, s accounts.State)
	// stats, if set (KeepStats), records Reach figures at each fetch.
	stats StatsStore

	mu        sync.Mutex
	listeners map[int]func(Event)
	nextID    int
	hosts     map[string]*hostGate
	backoff   map[string]backoffState // account id -> back-off after errors
	offline   bool
}

type hostGate struct {
	slots chan struct{}
	until time.Time // the host asked us to wait until then
}

type backoffState struct {
	failures int
	until    time.Time
	err      error
}

// NewRefresher returns a refresher over nets and cache: up to 16 fetches at
// a time, 4 per host.
func NewRefresher(nets Registry, cache Cache, now func() time.Time) *Refresher {
	if now == nil {
		now = time.Now
	}
	return &Refresher{
		nets: nets, cache: cache, now: now, timeout: 30 * time.Second,
		global: make(chan struct{}, 16), perHost: 4,
		listeners: map[int]func(Event){}, hosts: map[string]*hostGate{}, backoff: map[string]backoffState{},
	}
}

// Subscribe registers fn for refresh events; fn runs on the refreshing
// goroutine and must not block. The returned func unsubscribes.
func (r *Refresher) Subscribe(fn func(Event)) func() {
	r.mu.Lock()
	defer r.mu.Unlock()
	id := r.nextID
	r.nextID++
	r.listeners[id] = fn
	return func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		delete(r.listeners, id)
	}
}

func (r *Refresher) emit(e Event) {
	r.mu.Lock()
	fns := make([]func(Event), 0, len(r.listeners))
	for _, fn := range r.listeners {
		fns = append(fns, fn)
	}
	r.mu.Unlock()
	for _, fn := range fns {
		fn(e)
	}
}

// Offline reports whether the last fetches found the network unreachable.
func (r *Refresher) Offline() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.offline
}

// DefaultKind is the timeline a column shows for an account of network n.
func (r *Refresher) DefaultKind(n accounts.Network) Kind {
	nw, err := r.nets.Lookup(n)
	if err != nil || len(nw.Capabilities().Kinds) == 0 {
		return Home
	}
	return nw.Capabilities().Kinds[0]
}

// Refresh fetches the default timeline of every account and returns one
// result per account, in the order given, when all are done or ctx ends.
// Accounts backing off after errors are skipped unless force is set (a
// refresh the user asked for).
func (r *Refresher) Refresh(ctx context.Context, accts []accounts.Account, force bool) []Result {
	results := make([]Result, len(accts))
	var wg sync.WaitGroup
	for i, a := range accts {
		wg.Go(func() { results[i] = r.RefreshOne(ctx, a, r.DefaultKind(a.Network), force) })
	}
	wg.Wait()
	return results
}

// Target is one timeline of one account to refresh.
type Target struct {
	Account accounts.Account
	Kind    Kind
}

// RefreshTargets fetches the given timelines, like Refresh.
func (r *Refresher) RefreshTargets(ctx context.Context, targets []Target, force bool) []Result {
	results := make([]Result, len(targets))
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Go(func() { results[i] = r.RefreshOne(ctx, t.Account, t.Kind, force) })
	}
	wg.Wait()
	return results
}

// Supports reports whether account a's network offers timeline kind k.
func (r *Refresher) Supports(a accounts.Account, k Kind) bool {
	nw, err := r.nets.Lookup(a.Network)
	return err == nil && nw.Capabilities().Supports(k)
}

// RefreshOne fetches one timeline into the cache.
func (r *Refresher) RefreshOne(ctx context.Context, a accounts.Account, kind Kind, force bool) Result {
	key := TimelineKey{Account: a.ID, Kind: kind}
	if !force && r.paced(a, key) {
		return Result{Key: key, At: r.now(), Skipped: true}
	}
	if err, skip := r.backingOff(a.ID, force); skip {
		return Result{Key: key, Err: err, At: r.now(), Skipped: true}
	}
	r.emit(Event{Phase: Started, Result: Result{Key: key}})
	res := Result{Key: key}
	res.Added, res.Err = r.gated(ctx, a, kind)
	res.At = r.now()
	r.record(a.ID, res.Err)
	r.emit(Event{Phase: Finished, Result: res})
	return res
}

// gated runs the fetch once a global slot and a slot of the account's host
// are free, and not before the host's requested wait is over.
func (r *Refresher) gated(ctx context.Context, a accounts.Account, kind Kind) (int, error) {
	gate := r.gate(a.Server)
	for _, slots := range []chan struct{}{r.global, gate.slots} {
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	r.mu.Lock()
	wait := gate.until.Sub(r.now())
	r.mu.Unlock()
	if wait > 0 {
		return 0, fmt.Errorf("%s asked to wait %s: %w", a.Server, wait.Round(time.Second), ErrRateLimited)
	}
	added, err := r.fetch(ctx, a, kind)
	var ra *RetryAfterError
	if errors.As(err, &ra) && ra.After > 0 {
		r.mu.Lock()
		gate.until = r.now().Add(ra.After)
		r.mu.Unlock()
	}
	return added, err
}

func (r *Refresher) gate(server string) *hostGate {
	host := server
	if u, err := url.Parse(server); err == nil && u.Host != "" {
		host = u.Host
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	g, ok := r.hosts[host]
	if !ok {
		g = &hostGate{slots: make(chan struct{}, r.perHost)}
		r.hosts[host] = g
	}
	return g
}

func (r *Refresher) backingOff(accountID string, force bool) (error, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	b := r.backoff[accountID]
	if force || b.failures == 0 || !r.now().Before(b.until) {
		return nil, false
	}
	return b.err, true
}

// record updates back-off, connectivity and the account's state after a fetch.
func (r *Refresher) record(accountID string, err error) {
	state, known := StateOf(err)
	if !known {
		return
	}
	r.mu.Lock()
	wasOffline := r.offline
	// A server that did not answer (ErrNoAnswer) or refused the connection
	// (ErrUnreachable) proves the network works: that account backs off,
	// the app is not offline.
	switch {
	case err == nil, errors.Is(err, ErrUnreachable):
		r.offline = false
	case errors.Is(err, ErrOffline):
		r.offline = true
	}
	if err == nil {
		delete(r.backoff, accountID)
	}
	if err != nil && (!errors.Is(err, ErrOffline) || errors.Is(err, ErrUnreachable)) {
		b := r.backoff[accountID]
		b.failures++
		b.until, b.err = r.now().Add(refreshBackoff(b.failures)), err
		r.backoff[accountID] = b
	}
	changed := wasOffline != r.offline
	offline := r.offline
	r.mu.Unlock()
	if changed {
		r.emit(Event{Phase: Connectivity, Offline: offline})
	}
	if r.OnAccountState != nil {
		r.OnAccountState(accountID, state)
	}
}

// refreshBackoff is the pause after n consecutive failures of an account:
// one minute doubling up to an hour, with ±20 % jitter.
func refreshBackoff(n int) time.Duration {
	d := min(time.Minute<<min(n-1, 6), time.Hour)
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

func (r *Refresher) fetch(ctx context.Context, a accounts.Account, kind Kind) (int, error) {
	nw, err := r.nets.Lookup(a.Network)
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	key := TimelineKey{a.ID, kind}
	var posts []Post
	if pager, ok := nw.(Pager); ok {
		posts, err = r.catchUp(ctx, pager, a, key)
	} else {
		posts, err = nw.Fetch(ctx, a, kind)
	}
	if err != nil {
		return 0, fmt.Errorf("fetch %s: %w", key, noAnswer(err))
	}
	for i := range posts {
		posts[i].Account = a.ID
		posts[i].Network = a.Network
	}
	added, err := r.cache.PutPosts(TimelineKey{a.ID, kind}, posts, r.now())
	if err != nil {
		return 0, fmt.Errorf("cache %s: %w", TimelineKey{a.ID, kind}, err)
	}
	r.sample(ctx, nw, a, kind, posts)
	return added, nil
}

// maxCatchUpPages bounds how many pages a refresh reads to reach what the
// cache already holds.
const maxCatchUpPages = 5

// catchUp reads the newest page, then older pages until they reach the
// newest cached post, so that a timeline has no gap after a long time
// offline (up to maxCatchUpPages pages).
func (r *Refresher) catchUp(ctx context.Context, pager Pager, a accounts.Account, key TimelineKey) ([]Post, error) {
	var known time.Time
	if newest, err := r.cache.Posts(key, 1); err == nil && len(newest) == 1 {
		known = newest[0].CreatedAt
	}
	var all []Post
	cursor := ""
	for page := 0; page < maxCatchUpPages; page++ {
		p, err := pager.FetchPage(ctx, a, key.Kind, cursor)
		if err != nil {
			if page > 0 {
				break // keep what the first pages brought
			}
			return nil, err
		}
		all = append(all, p.Posts...)
		if known.IsZero() || p.Older == "" || len(p.Posts) == 0 || !p.Posts[len(p.Posts)-1].CreatedAt.After(known) {
			break
		}
		cursor = p.Older
	}
	return all, nil
}

// FetchOlder fetches the page of timeline kind of a that follows cursor
// (the newest page for an empty cursor) into the cache. It returns the
// cursor of the page after it, empty at the end of the timeline, and how
// many posts were new. Networks that cannot page report ErrUnsupported.
func (r *Refresher) FetchOlder(ctx context.Context, a accounts.Account, kind Kind, cursor string) (string, int, error) {
	nw, err := r.nets.Lookup(a.Network)
	if err != nil {
		return "", 0, err
	}
	pager, ok := nw.(Pager)
	if !ok {
		return "", 0, fmt.Errorf("older posts of %s: %w", a.Network, ErrUnsupported)
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	page, err := pager.FetchPage(ctx, a, kind, cursor)
	if err != nil {
		return "", 0, fmt.Errorf("older posts of %s: %w", TimelineKey{a.ID, kind}, noAnswer(err))
	}
	for i := range page.Posts {
		page.Posts[i].Account, page.Posts[i].Network = a.ID, a.Network
	}
	added, err := r.cache.PutPosts(TimelineKey{a.ID, kind}, page.Posts, r.now())
	if err != nil {
		return "", 0, fmt.Errorf("cache %s: %w", TimelineKey{a.ID, kind}, err)
	}
	return page.Older, added, nil
}

// noAnswer puts ErrNoAnswer in front of a read that timed out or was cut
// after it left (OutcomeUnknown, other than a 5xx), so that the column says
// the server did not answer rather than speak of a post whose outcome is
// unknown.
func noAnswer(err error) error {
	if Classify(err) != OutcomeUnknown || errors.Is(err, ErrServer) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrNoAnswer, err)
}
