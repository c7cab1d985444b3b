package mastodon

import (
	"context"
	"net/http"
	"testing"
	"time"

	"chancery/feeds"
)

func TestFindPublishedMatchesOwnRecentStatus(t *testing.T) {
	f, n, acct, _ := setup(t)
	created := time.Now().UTC().Format(time.RFC3339)
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodGet || r.URL.Path != "/api/v1/accounts/1/statuses" {
			return false
		}
		writeJSON(w, http.StatusOK, `[{"id":"555","created_at":"`+created+`","content":"<p>Le consulat   est fermé vendredi.</p>",
			"url":"https://social.example/@ambassade/555","account":{"id":"1","username":"ambassade","acct":"ambassade"}},
			{"id":"554","created_at":"2025-01-01T00:00:00Z","content":"<p>Old</p>","account":{"id":"1","username":"ambassade","acct":"ambassade"}}]`)
		return true
	})
	since := time.Now().Add(-2 * time.Hour)
	pub, found, err := n.FindPublished(context.Background(), acct, feeds.Outgoing{Text: "Le consulat est fermé vendredi."}, since)
	if err != nil || !found || pub.RemoteID != "555" || pub.URL != "https://social.example/@ambassade/555" {
		t.Fatalf("found %v %+v %v", found, pub, err)
	}
	if _, found, _ := n.FindPublished(context.Background(), acct, feeds.Outgoing{Text: "Old"}, since); found {
		t.Error("a status older than the first attempt was taken for it")
	}
	if _, found, _ := n.FindPublished(context.Background(), acct, feeds.Outgoing{Text: "Something else"}, since); found {
		t.Error("a different text matched")
	}
}
