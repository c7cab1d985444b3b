package feeds

import (
	"context"
	"fmt"
	"sync"
	"time"

	"chancery/accounts"
)

// Phase tells whether a refresh Event starts or ends a fetch.
type Phase int

// Refresh phases.
const (
	Started Phase = iota
	Finished
)

// Result is the outcome of refreshing one timeline.
type Result struct {
	Key   TimelineKey
	Added int
	Err   error
	At    time.Time
}

// Event reports progress of a refresh to listeners.
type Event struct {
	Phase  Phase
	Result Result
}

// Refresher fetches timelines from their networks into the cache, a bounded
// number at a time. Listeners hear of every start and end.
type Refresher struct {
	nets     Registry
	cache    Cache
	now      func() time.Time
	parallel int
	timeout  time.Duration

	mu        sync.Mutex
	listeners map[int]func(Event)
	nextID    int
}

// NewRefresher returns a refresher over nets and cache.
func NewRefresher(nets Registry, cache Cache, now func() time.Time) *Refresher {
	if now == nil {
		now = time.Now
	}
	return &Refresher{
		nets: nets, cache: cache, now: now,
		parallel: 4, timeout: 30 * time.Second,
		listeners: map[int]func(Event){},
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

// DefaultKind is the timeline a column shows for an account of network n.
func (r *Refresher) DefaultKind(n accounts.Network) Kind {
	nw, err := r.nets.Lookup(n)
	if err != nil || len(nw.Capabilities().Kinds) == 0 {
		return Home
	}
	return nw.Capabilities().Kinds[0]
}

// Refresh fetches the default timeline of every account and returns one
// result per account, in the order given. It returns when all are done or
// ctx is cancelled.
func (r *Refresher) Refresh(ctx context.Context, accts []accounts.Account) []Result {
	results := make([]Result, len(accts))
	sem := make(chan struct{}, r.parallel)
	var wg sync.WaitGroup
	for i, a := range accts {
		key := TimelineKey{Account: a.ID, Kind: r.DefaultKind(a.Network)}
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-ctx.Done():
				results[i] = Result{Key: key, Err: ctx.Err(), At: r.now()}
				return
			}
			results[i] = r.RefreshOne(ctx, a, key.Kind)
		})
	}
	wg.Wait()
	return results
}

// RefreshOne fetches one timeline into the cache.
func (r *Refresher) RefreshOne(ctx context.Context, a accounts.Account, kind Kind) Result {
	key := TimelineKey{Account: a.ID, Kind: kind}
	r.emit(Event{Phase: Started, Result: Result{Key: key}})
	res := Result{Key: key}
	res.Added, res.Err = r.fetch(ctx, a, kind)
	res.At = r.now()
	r.emit(Event{Phase: Finished, Result: res})
	return res
}

func (r *Refresher) fetch(ctx context.Context, a accounts.Account, kind Kind) (int, error) {
	nw, err := r.nets.Lookup(a.Network)
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	posts, err := nw.Fetch(ctx, a, kind)
	if err != nil {
		return 0, fmt.Errorf("fetch %s: %w", TimelineKey{a.ID, kind}, err)
	}
	for i := range posts {
		posts[i].Account = a.ID
		posts[i].Network = a.Network
	}
	added, err := r.cache.PutPosts(TimelineKey{a.ID, kind}, posts, r.now())
	if err != nil {
		return 0, fmt.Errorf("cache %s: %w", TimelineKey{a.ID, kind}, err)
	}
	return added, nil
}
