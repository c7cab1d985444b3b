package bluesky

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"chancery/feeds"
)

func TestLikeAndUndo(t *testing.T) {
	f := newFakeServer(t)
	n, acct, _ := signedIn(t, f)
	ctx := context.Background()
	likes := f.recordsOf(collLike) // the seeded like of A1

	if err := n.Act(ctx, acct, uriA2, feeds.Like, false); err != nil {
		t.Fatalf("like: %v", err)
	}
	if f.recordsOf(collLike) != likes+1 {
		t.Fatalf("like record not created")
	}
	f.mu.Lock()
	like := f.findSubject(collLike, uriA2)
	f.mu.Unlock()
	if like == "" {
		t.Fatal("no like of A2")
	}
	if err := n.Act(ctx, acct, uriA2, feeds.Like, false); err != nil || f.recordsOf(collLike) != likes+1 {
		t.Errorf("liking twice: %v, %d likes", err, f.recordsOf(collLike))
	}
	if err := n.Act(ctx, acct, uriA2, feeds.Like, true); err != nil || f.recordsOf(collLike) != likes {
		t.Errorf("undo like: %v, %d likes", err, f.recordsOf(collLike))
	}
	if err := n.Act(ctx, acct, uriA2, feeds.Like, true); err != nil {
		t.Errorf("undoing a like that is not there: %v", err)
	}
	if err := n.Act(ctx, acct, uriA1, feeds.Like, true); err != nil || f.recordsOf(collLike) != likes-1 {
		t.Errorf("undo the earlier like of A1: %v, %d likes", err, f.recordsOf(collLike))
	}
}

func TestRepostRecord(t *testing.T) {
	f := newFakeServer(t)
	n, acct, _ := signedIn(t, f)
	ctx := context.Background()
	if err := n.Act(ctx, acct, uriA2+repostMarker+uriRepost, feeds.Repost, false); err != nil {
		t.Fatalf("repost: %v", err)
	}
	f.mu.Lock()
	var rec subjectRecord
	for key, raw := range f.records {
		if strings.HasPrefix(key, collRepost+"/") {
			_ = json.Unmarshal(raw, &rec)
		}
	}
	f.mu.Unlock()
	want := subjectRecord{Type: collRepost, Subject: strongRef{URI: uriA2, CID: cidOf(uriA2)}, CreatedAt: "2026-03-14T09:00:00.000Z"}
	if rec != want {
		t.Errorf("repost record = %+v, want %+v", rec, want)
	}
	if err := n.Act(ctx, acct, uriA2, feeds.Repost, true); err != nil || f.recordsOf(collRepost) != 0 {
		t.Errorf("undo repost: %v, %d reposts", err, f.recordsOf(collRepost))
	}
}

func TestActRefusals(t *testing.T) {
	f := newFakeServer(t)
	n, acct, _ := signedIn(t, f)
	ctx := context.Background()
	if err := n.Act(ctx, acct, "at://"+aliceDID+"/app.bsky.feed.post/3lgone", feeds.Like, false); !errors.Is(err, feeds.ErrRejected) {
		t.Errorf("unknown post: %v", err)
	}
	if err := n.Act(ctx, acct, "not a uri", feeds.Like, false); !errors.Is(err, feeds.ErrRejected) {
		t.Errorf("bad id: %v", err)
	}
	if err := n.Act(ctx, acct, uriA1, feeds.Action("bookmark"), false); !errors.Is(err, feeds.ErrUnsupported) {
		t.Errorf("unknown action: %v", err)
	}
	if f.count("pds", nsidCreateRecord) != 0 {
		t.Errorf("records written: %v", f.calls)
	}
}
