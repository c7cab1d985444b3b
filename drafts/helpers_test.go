package drafts_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"chancery/drafts"
	"chancery/feeds"
	"chancery/storage"
)

func openDB(t testing.TB) *storage.DB {
	t.Helper()
	db, err := storage.Open(filepath.Join(t.TempDir(), "chancery.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// postServer is a minimal status-posting API that, like Mastodon, treats a
// repeated Idempotency-Key as the same request: it answers with the post it
// already created instead of creating another.
type postServer struct {
	mu      sync.Mutex
	byKey   map[string]string // idempotency key -> post id
	created []string          // texts, in creation order
	fail    func(r *http.Request) int
	srv     *httptest.Server
}

func newPostServer(t testing.TB) *postServer {
	s := &postServer{byKey: map[string]string{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.handle))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *postServer) handle(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && r.URL.Path == "/api/v1/accounts/1/statuses" {
		s.ownStatuses(w)
		return
	}
	if r.Method != http.MethodPost || r.URL.Path != "/api/v1/statuses" {
		http.NotFound(w, r)
		return
	}
	if s.fail != nil {
		if code := s.fail(r); code != 0 {
			if code == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", "120")
			}
			w.WriteHeader(code)
			fmt.Fprint(w, `{"error":"refused"}`)
			return
		}
	}
	key := r.Header.Get("Idempotency-Key")
	text := r.FormValue("status")
	s.mu.Lock()
	id, seen := s.byKey[key]
	if !seen || key == "" {
		s.created = append(s.created, text)
		id = fmt.Sprint(len(s.created))
		s.byKey[key] = id
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"id": id, "url": s.srv.URL + "/@me/" + id})
}

// ownStatuses answers GET /api/v1/accounts/:id/statuses: the posts
// created, newest first, with their text as HTML content.
func (s *postServer) ownStatuses(w http.ResponseWriter) {
	texts := s.texts()
	list := []map[string]string{}
	for i := len(texts) - 1; i >= 0; i-- {
		id := fmt.Sprint(i + 1)
		list = append(list, map[string]string{
			"id": id, "url": s.srv.URL + "/@me/" + id, "content": "<p>" + html.EscapeString(texts[i]) + "</p>",
		})
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(list)
}

func (s *postServer) texts() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.created...)
}

// httpPublisher posts entries to a postServer.
type httpPublisher struct{ base string }

func (p httpPublisher) Publish(ctx context.Context, e drafts.Entry) (feeds.Published, error) {
	form := url.Values{"status": {e.Text}, "language": {e.Lang}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.base+"/api/v1/statuses", strings.NewReader(form.Encode()))
	if err != nil {
		return feeds.Published{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Idempotency-Key", e.ID)
	body, _, err := feeds.Do(http.DefaultClient, req, 1<<20)
	if err != nil {
		return feeds.Published{}, err
	}
	var out struct{ ID, URL string }
	if err := json.Unmarshal(body, &out); err != nil {
		return feeds.Published{}, fmt.Errorf("%w: %w", feeds.ErrBadResponse, err)
	}
	return feeds.Published{RemoteID: out.ID, URL: out.URL}, nil
}

// Find looks for e among the account's own statuses by its text.
func (p httpPublisher) Find(ctx context.Context, e drafts.Entry) (feeds.Published, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.base+"/api/v1/accounts/1/statuses", nil)
	if err != nil {
		return feeds.Published{}, false, err
	}
	body, _, err := feeds.Do(http.DefaultClient, req, 1<<20)
	if err != nil {
		return feeds.Published{}, false, err
	}
	var list []struct{ ID, URL, Content string }
	if err := json.Unmarshal(body, &list); err != nil {
		return feeds.Published{}, false, fmt.Errorf("%w: %w", feeds.ErrBadResponse, err)
	}
	for _, st := range list {
		if feeds.HTMLToText(st.Content) == e.Text {
			return feeds.Published{RemoteID: st.ID, URL: st.URL}, true, nil
		}
	}
	return feeds.Published{}, false, nil
}

// lengthChecker refuses texts longer than max runes.
type lengthChecker struct{ max int }

func (c lengthChecker) Check(e drafts.Entry) error {
	if n := len([]rune(e.Text)); n > c.max {
		return fmt.Errorf("%d > %d: %w", n, c.max, drafts.ErrTooLong)
	}
	return nil
}
