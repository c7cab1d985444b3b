package contract

import (
	"testing"

	"chancery/feeds"
)

// deletePart publishes a post and deletes it with the network's Deleter;
// deleting it again succeeds (a post already gone counts as deleted, so a
// delete whose answer was lost can be sent again); where the fake server
// shows published posts in Own, the post is no longer there.
func deletePart(t *testing.T, h Harness) {
	fx := h.start(t)
	del, ok := fx.Net.(feeds.Deleter)
	if !ok {
		t.Skip("not a feeds.Deleter")
	}
	pub := publisher(t, fx)
	done, err := pub.Publish(t.Context(), fx.Account, outgoing("delete"))
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if err := del.Delete(t.Context(), fx.Account, done.RemoteID); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if err := del.Delete(t.Context(), fx.Account, done.RemoteID); err != nil {
		t.Errorf("Delete of a post already deleted: %v, want success", err)
	}
	if !h.PublishedInOwn {
		return
	}
	posts, err := fx.Net.Fetch(t.Context(), fx.Account, feeds.Own)
	if err != nil {
		t.Fatalf("Fetch(own) after deleting: %v", err)
	}
	for _, p := range posts {
		if p.ID == done.RemoteID {
			t.Errorf("the deleted post %q is still in the Own timeline", p.ID)
		}
	}
}
