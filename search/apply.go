package search

import (
	"fmt"
	"log/slog"

	"github.com/blevesearch/bleve/v2"

	"chancery/storage"
)

// applyPending applies the queued changes of the cache to the index, in one
// batch.
func (x *Index) applyPending() {
	x.mu.Lock()
	changes := x.pending
	x.pending, x.pendingPosts = nil, 0
	x.mu.Unlock()
	if len(changes) == 0 {
		return
	}
	x.life.RLock()
	defer x.life.RUnlock()
	if x.idx == nil {
		return
	}
	if err := applyChanges(x.idx, changes); err != nil {
		// The index no longer matches the cache: build it again next time.
		slog.Warn("search index not updated; it is built again at the next start", "err", err)
		x.markStale()
	}
}

// markStale makes the next start build the index again.
func (x *Index) markStale() {
	x.mu.Lock()
	x.stale = true
	x.mu.Unlock()
}

// applier gathers the effect of changes on the posts they touch, then writes
// them in one batch.
type applier struct {
	idx     bleve.Index
	touched map[string]*entry // nil: the post leaves the index
}

func applyChanges(idx bleve.Index, changes []storage.PostsChange) error {
	a := applier{idx: idx, touched: map[string]*entry{}}
	for _, c := range changes {
		if c.AccountRemoved != "" {
			if err := a.removeAccount(c.AccountRemoved); err != nil {
				return err
			}
			continue
		}
		kind := string(c.Key.Kind)
		for _, p := range c.Put {
			p.Account = c.Key.Account
			e, err := a.entry(docID(p.Account, p.ID))
			if err != nil {
				return err
			}
			if e == nil {
				e = &entry{}
			}
			e.post = p
			e.addKind(kind)
			a.touched[docID(p.Account, p.ID)] = e
		}
		for _, id := range c.Removed {
			did := docID(c.Key.Account, id)
			e, err := a.entry(did)
			if err != nil {
				return err
			}
			if e != nil && !e.dropKind(kind) {
				e = nil
			}
			a.touched[did] = e
		}
	}
	return a.write()
}

// entry returns the post's entry as the changes so far left it.
func (a *applier) entry(id string) (*entry, error) {
	if e, ok := a.touched[id]; ok {
		return e, nil
	}
	e, err := loadEntry(a.idx, id)
	if err != nil {
		return nil, fmt.Errorf("read post %q from the search index: %w", id, err)
	}
	return e, nil
}

// write puts the touched entries into the index.
func (a *applier) write() error {
	b := a.idx.NewBatch()
	for id, e := range a.touched {
		if e == nil {
			b.Delete(id)
			continue
		}
		d, err := e.document()
		if err != nil {
			return fmt.Errorf("post %q: %w", id, err)
		}
		if err := b.Index(id, d); err != nil {
			return fmt.Errorf("index post %q: %w", id, err)
		}
	}
	a.touched = map[string]*entry{}
	if b.Size() == 0 {
		return nil
	}
	if err := a.idx.Batch(b); err != nil {
		return fmt.Errorf("write search index: %w", err)
	}
	return nil
}

// removeAccount deletes every post of an account, after writing what the
// changes before did.
func (a *applier) removeAccount(account string) error {
	if err := a.write(); err != nil {
		return err
	}
	for {
		q := bleve.NewTermQuery(account)
		q.SetField(fieldAccount)
		req := bleve.NewSearchRequestOptions(q, 1000, 0, false)
		res, err := a.idx.Search(req)
		if err != nil {
			return fmt.Errorf("find posts of %q: %w", account, err)
		}
		if len(res.Hits) == 0 {
			return nil
		}
		b := a.idx.NewBatch()
		for _, h := range res.Hits {
			b.Delete(h.ID)
		}
		if err := a.idx.Batch(b); err != nil {
			return fmt.Errorf("remove posts of %q: %w", account, err)
		}
	}
}
