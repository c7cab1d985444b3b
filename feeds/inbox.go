package feeds

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"chancery/accounts"
)

// InboxState is what was done about a post waiting for an answer.
type InboxState struct {
	// Answered is when a reply to it was sent from Chancery.
	Answered time.Time `json:"answered,omitzero"`
	// Handled is when someone marked it handled by hand.
	Handled time.Time `json:"handled,omitzero"`
}

// InboxStore keeps the inbox's states by account and post id.
// Implemented by storage.
type InboxStore interface {
	InboxStates() (map[string]InboxState, error)
	// SetInboxState stores s, keeping the stored times s leaves zero.
	SetInboxState(accountID, postID string, s InboxState) error
}

// InboxKey names a post of an account in the InboxStore.
func InboxKey(accountID, postID string) string { return accountID + " " + postID }

// InboxItem is a mention of or reply to a mission account that waits for
// an answer.
type InboxItem struct {
	Mission accounts.Mission
	Account accounts.Account
	Post    Post
}

// inboxScan is how many cached posts of each timeline the inbox reads.
const inboxScan = 1000

// NeedsReply lists, oldest first, the mentions of and replies to the
// missions' accounts found in the cache that no one answered (from
// Chancery, or by a reply cached among the account's own posts) nor marked
// handled.
func NeedsReply(posts PostReader, store InboxStore, ws MissionLister) ([]InboxItem, error) {
	ms, err := ws.Missions()
	if err != nil {
		return nil, err
	}
	accts, err := ws.Accounts()
	if err != nil {
		return nil, err
	}
	states, err := store.InboxStates()
	if err != nil {
		return nil, err
	}
	var out []InboxItem
	for _, a := range accts {
		i := slices.IndexFunc(ms, func(m accounts.Mission) bool { return m.ID == a.Mission })
		if i < 0 || a.Network == accounts.RSS {
			continue // nobody writes to a mission through its RSS feed
		}
		waiting, err := waitingFor(posts, a, states)
		if err != nil {
			return nil, err
		}
		for _, p := range waiting {
			out = append(out, InboxItem{Mission: ms[i], Account: a, Post: p})
		}
	}
	slices.SortStableFunc(out, func(x, y InboxItem) int { return x.Post.CreatedAt.Compare(y.Post.CreatedAt) })
	return out, nil
}

// CountByMission counts the waiting items of each mission.
func CountByMission(items []InboxItem) map[string]int {
	n := map[string]int{}
	for _, it := range items {
		n[it.Mission.ID]++
	}
	return n
}

// waitingFor finds an account's cached mentions and replies to its posts
// that are neither answered nor handled.
func waitingFor(r PostReader, a accounts.Account, states map[string]InboxState) ([]Post, error) {
	read := func(k Kind) ([]Post, error) {
		ps, err := r.Posts(TimelineKey{Account: a.ID, Kind: k}, inboxScan)
		if err != nil {
			return nil, fmt.Errorf("read %s of %s: %w", k, a.ID, err)
		}
		return ps, nil
	}
	own, err := read(Own)
	if err != nil {
		return nil, err
	}
	ownIDs, answered := map[string]bool{}, map[string]bool{}
	for _, p := range own {
		ownIDs[p.ID] = true
		if p.ReplyTo != "" {
			answered[p.ReplyTo] = true
		}
	}
	var out []Post
	seen := map[string]bool{}
	for _, k := range []Kind{Mentions, Home, Feed} {
		ps, err := read(k)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			if seen[p.ID] || !addressed(p, a, ownIDs) || isAnswered(p, answered, states[InboxKey(a.ID, p.ID)]) {
				continue
			}
			seen[p.ID] = true
			out = append(out, p)
		}
	}
	return out, nil
}

// addressed reports whether p is a mention of a or a reply to one of its
// posts, written by someone else.
func addressed(p Post, a accounts.Account, ownIDs map[string]bool) bool {
	if sameHandle(p.AuthorHandle, a.Handle) {
		return false
	}
	switch p.Notification {
	case "mention", "reply":
		return true
	case "":
		return p.ReplyTo != "" && ownIDs[p.ReplyTo]
	}
	return false
}

// isAnswered reports whether p was answered or handled: by its stored
// state, or by a reply among the account's own cached posts (a Mastodon
// notification's id ends with the id of its post).
func isAnswered(p Post, answered map[string]bool, s InboxState) bool {
	if !s.Answered.IsZero() || !s.Handled.IsZero() || answered[p.ID] {
		return true
	}
	i := strings.LastIndex(p.ID, ":")
	return i >= 0 && answered[p.ID[i+1:]]
}

// sameHandle compares handles without the leading @ and, when one of them
// has no server, without the server.
func sameHandle(a, b string) bool {
	a, b = strings.ToLower(strings.TrimPrefix(a, "@")), strings.ToLower(strings.TrimPrefix(b, "@"))
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	ua, _, hasA := strings.Cut(a, "@")
	ub, _, hasB := strings.Cut(b, "@")
	return (!hasA || !hasB) && ua == ub
}
