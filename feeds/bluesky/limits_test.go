package bluesky

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"chancery/feeds"
)

// TestHostileURIsAndNamesAreContained checks that a feed item whose AT-URI
// is longer than a cache key may be (40 KB) is dropped while the rest of
// the page is kept, and that names and media addresses are held to feeds'
// rules.
func TestHostileURIsAndNamesAreContained(t *testing.T) {
	item := func(uri, name string) map[string]any {
		return map[string]any{"post": map[string]any{
			"uri": uri, "cid": "bafyreib2rxk3rybk3aobmv5cjuql3bm2twh4jo5uxgf5nanhrpxtfosxiq",
			"author": map[string]any{"did": aliceDID, "handle": "alice.bsky.social", "displayName": name},
			"record": map[string]any{"$type": "app.bsky.feed.post", "text": "hello", "createdAt": "2025-03-01T09:00:00.000Z"},
			"embed": map[string]any{"$type": typeImagesView, "images": []map[string]any{
				{"fullsize": "javascript:alert(1)", "thumb": "https://cdn.bsky.app/img/feed_thumbnail/plain/a@jpeg", "alt": "a"},
				{"fullsize": "data:image/png;base64,AAAA", "thumb": "file:///etc/passwd", "alt": "b"},
			}},
			"indexedAt": "2025-03-01T09:00:01.000Z",
		}}
	}
	first, last := "at://"+aliceDID+"/app.bsky.feed.post/3kfirst", "at://"+aliceDID+"/app.bsky.feed.post/3klast"
	huge := "at://" + aliceDID + "/app.bsky.feed.post/" + strings.Repeat("z", 40<<10)
	body, err := json.Marshal(map[string]any{"feed": []any{
		item(first, strings.Repeat("Alice ", 1000)), item(huge, "Mallory"), item(last, "Alice"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	f := newFakeServer(t)
	n, acct, _ := signedIn(t, f)
	f.queue(nsidTimeline, reply{status: 200, body: string(body)})
	posts, err := n.Fetch(context.Background(), acct, feeds.Home)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range posts {
		ids = append(ids, p.ID)
		if c := utf8.RuneCountInString(p.Author); c > feeds.MaxNameLen {
			t.Errorf("%s: author of %d characters", p.ID, c)
		}
		if len(p.Media) != 1 || p.Media[0].URL != "" || !strings.HasPrefix(p.Media[0].PreviewURL, "https://cdn.bsky.app/") {
			t.Errorf("%s: media %+v, want only the https thumbnail", p.ID, p.Media)
		}
	}
	if want := []string{first, last}; !slices.Equal(ids, want) {
		t.Errorf("ids = %v, want %v", ids, want)
	}
}
