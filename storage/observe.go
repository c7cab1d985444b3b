package storage

import "chancery/feeds"

// PostsChange is what one committed write did to the cached posts: either
// posts put into (and dropped from) one timeline, or every timeline of a
// removed account gone.
type PostsChange struct {
	// Key is the timeline the posts were put into or dropped from.
	Key feeds.TimelineKey
	// Put are the posts merged into the timeline (some may have been
	// dropped again at once by the retention: they are in Removed too).
	Put []feeds.Post
	// Removed are the ids of the posts the retention dropped.
	Removed []string
	// AccountRemoved, when set, is an account whose timelines were all
	// deleted; Key, Put and Removed are then empty.
	AccountRemoved string
}

// ObservePosts sets fn to be called after each committed write that changes
// cached posts, on the writer's goroutine, in commit order (writers wait
// meanwhile). fn must return quickly (queue the work) and must not call
// back into the database. A nil fn stops the calls.
func (db *DB) ObservePosts(fn func(...PostsChange)) {
	if fn == nil {
		db.observer.Store(nil)
		return
	}
	db.observer.Store(&fn)
}

// notify passes changes to the observer, if there is one.
func (db *DB) notify(changes ...PostsChange) {
	if len(changes) == 0 {
		return
	}
	if fn := db.observer.Load(); fn != nil {
		(*fn)(changes...)
	}
}
