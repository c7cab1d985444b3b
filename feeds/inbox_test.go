package feeds

import (
	"testing"
	"time"

	"chancery/accounts"
)

type inboxWorld struct {
	ms    []accounts.Mission
	accts []accounts.Account
	posts map[TimelineKey][]Post
	reads []TimelineKey
}

func (w *inboxWorld) Missions() ([]accounts.Mission, error) { return w.ms, nil }
func (w *inboxWorld) Accounts() ([]accounts.Account, error) { return w.accts, nil }

func (w *inboxWorld) Posts(k TimelineKey, _ int) ([]Post, error) {
	w.reads = append(w.reads, k)
	return w.posts[k], nil
}

func (w *inboxWorld) InboxStates() (map[string]InboxState, error) { return nil, nil }

func (w *inboxWorld) SetInboxState(string, string, InboxState) error { return nil }

// TestNeedsReplyLeavesRSSFeedsAlone: nobody writes to a mission through its
// RSS feed, so its thousands of cached items are not read at each refresh.
func TestNeedsReplyLeavesRSSFeedsAlone(t *testing.T) {
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	w := &inboxWorld{
		ms: []accounts.Mission{{ID: "vienna"}},
		accts: []accounts.Account{
			{ID: "vienna-rss", Mission: "vienna", Network: accounts.RSS, Handle: "press"},
			{ID: "vienna-social", Mission: "vienna", Network: accounts.Mastodon, Handle: "embassy"},
		},
		posts: map[TimelineKey][]Post{
			{Account: "vienna-rss", Kind: Feed}:        {{ID: "r1", Notification: "mention", AuthorHandle: "reader", CreatedAt: now}},
			{Account: "vienna-social", Kind: Mentions}: {{ID: "m1", Notification: "mention", AuthorHandle: "reader", CreatedAt: now}},
		},
	}
	items, err := NeedsReply(w, w, w)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Post.ID != "m1" {
		t.Errorf("items %+v, want the Mastodon mention only", items)
	}
	for _, k := range w.reads {
		if k.Account == "vienna-rss" {
			t.Errorf("the RSS account's %s timeline was read", k.Kind)
		}
	}
}
