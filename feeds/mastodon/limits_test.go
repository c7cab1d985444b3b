package mastodon

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"chancery/feeds"
)

// TestHostileIDsAndNamesAreContained checks that one status whose id is
// longer than a cache key may be (40 KB) is dropped while the rest of the
// page is kept, and that server strings are cut to feeds' limits.
func TestHostileIDsAndNamesAreContained(t *testing.T) {
	huge := strings.Repeat("9", 40<<10)
	longName := strings.Repeat("Ambassade ", 2000)
	status := func(id, text string, reblog any) map[string]any {
		return map[string]any{
			"id": id, "created_at": "2025-03-01T09:00:00.000Z", "content": "<p>" + text + "</p>",
			"url": "https://social.example/@ambassade/1", "spoiler_text": strings.Repeat("cw ", 1000),
			"in_reply_to_id": huge, "reblog": reblog,
			"account": map[string]any{"id": "1", "username": "ambassade", "acct": "ambassade", "display_name": longName},
		}
	}
	page, err := json.Marshal([]map[string]any{
		status("113000000000000003", "Kept first", nil),
		status(huge, "Dropped: its own id is too long", nil),
		status("113000000000000002", "Dropped: boosts a status with a huge id", status(huge, "x", nil)),
		status("113000000000000001", strings.Repeat("long text ", 5000), nil),
	})
	if err != nil {
		t.Fatal(err)
	}
	f, n, acct, _ := setup(t)
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/api/v1/timelines/home" {
			return false
		}
		writeJSON(w, http.StatusOK, string(page))
		return true
	})
	posts, err := n.Fetch(context.Background(), acct, feeds.Home)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range posts {
		ids = append(ids, p.ID)
		if len(p.ID) > feeds.MaxIDLen || len(p.ReplyTo) > feeds.MaxIDLen {
			t.Errorf("post kept an id of %d bytes or a reply-to of %d", len(p.ID), len(p.ReplyTo))
		}
		for what, s := range map[string]string{"author": p.Author, "warning": p.ContentWarning, "text": p.Text} {
			limit := map[string]int{"author": feeds.MaxNameLen, "warning": feeds.MaxWarningLen, "text": feeds.MaxTextLen}[what]
			if n := utf8.RuneCountInString(s); n > limit || n == 0 {
				t.Errorf("%s %s: %d characters, want 1..%d", p.ID, what, n, limit)
			}
		}
	}
	if want := []string{"113000000000000003", "113000000000000001"}; !slices.Equal(ids, want) {
		t.Errorf("ids = %v, want %v", ids, want)
	}
}
