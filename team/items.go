package team

import (
	"encoding/json"
	"slices"
	"strings"
)

// fold builds the items the pulled log and the local queue describe: the
// log in server order, then this laptop's events not yet pulled on top,
// made by login. Refused events are listed on their item, not applied.
func fold(pulled []Event, queued []Queued, login string) map[string]*Item {
	items := map[string]*Item{}
	get := func(e Event) *Item {
		it := items[e.Post]
		if it == nil {
			it = &Item{Post: e.Post, Mission: e.Mission}
			items[e.Post] = it
		}
		return it
	}
	for _, e := range pulled {
		apply(get(e), e)
	}
	for _, q := range queued {
		it := get(q.Event)
		if q.Refused != "" {
			it.Refused = append(it.Refused, q)
			continue
		}
		e := q.Event
		e.Actor, e.At = login, q.Queued
		it.Pending = true
		apply(it, e)
	}
	return items
}

// apply moves an item by one event.
func apply(it *Item, e Event) {
	if e.At.After(it.Updated) {
		it.Updated = e.At
	}
	switch e.Kind {
	case KindSubmit:
		var c Content
		_ = json.Unmarshal([]byte(e.Content), &c) // the server checked it against its hash
		it.Revisions = append(it.Revisions, Revision{Number: e.Revision, Hash: e.Hash, Content: c, Author: e.Actor, At: e.At})
		if it.Author == "" {
			it.Author = e.Actor
		}
		it.State, it.ClaimedBy, it.claim = StateSubmitted, "", ""
	case KindApprove:
		it.State = StateApproved
	case KindReturn:
		it.State = StateReturned
	case KindWithdraw:
		it.State = StateWithdrawn
	case KindClaim:
		it.State, it.ClaimedBy, it.claim = StateClaimed, e.Actor, e.ID
	case KindPublished:
		it.State = StatePublished
	}
	if strings.TrimSpace(e.Comment) != "" {
		it.Comments = append(it.Comments, Comment{Revision: e.Revision, Kind: e.Kind, Actor: e.Actor, Text: e.Comment, At: e.At})
	}
}

// sorted returns the items of mission ("" for all) in the given states
// (none: all), most recently changed first.
func sorted(items map[string]*Item, mission string, states []State) []Item {
	out := []Item{}
	for _, it := range items {
		if len(it.Revisions) == 0 {
			continue // only events about a post this laptop cannot see
		}
		if (mission == "" || it.Mission == mission) && (len(states) == 0 || slices.Contains(states, it.State)) {
			out = append(out, *it)
		}
	}
	slices.SortFunc(out, func(a, b Item) int {
		if c := b.Updated.Compare(a.Updated); c != 0 {
			return c
		}
		return strings.Compare(a.Post, b.Post)
	})
	return out
}
