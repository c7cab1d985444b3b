package search

import (
	"testing"

	"chancery/feeds"
)

func TestDeletedPostLeavesTheIndex(t *testing.T) {
	f := newFixture(t, "vienna/vie1", "vienna/vie2")
	idx := f.open(t)
	f.put(t, "vie1", feeds.Own, mkPost("p1", "en", "Visa fraud warning", 1), mkPost("p2", "en", "Visa office hours", 2))
	f.put(t, "vie1", feeds.Home, mkPost("p1", "en", "Visa fraud warning", 1))
	f.put(t, "vie2", feeds.Home, mkPost("p1", "en", "Visa fraud warning", 1))
	eventually(t, "posts indexed", func() bool { return len(find(t, idx, Request{Query: "visa", Limit: 10})) == 3 })

	if n, err := f.db.DropPost("vie1", "p1"); err != nil || n != 2 {
		t.Fatalf("DropPost = %d, %v", n, err)
	}
	eventually(t, "deleted post dropped", func() bool {
		return sameIDs(find(t, idx, Request{Query: "fraud", Accounts: []string{"vie1"}})) &&
			sameIDs(find(t, idx, Request{Query: "visa", Accounts: []string{"vie1"}}), "p2")
	})
	// Another account's copy of the same id stays.
	if got := find(t, idx, Request{Query: "fraud"}); !sameIDs(got, "p1") {
		t.Errorf("fraud finds %v", got)
	}
}
