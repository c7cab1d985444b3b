package faulttest

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const mastodonToken = "tok-fault-7Hq2Lx9P"

// mastodonStatus is a status kept by fakeMastodon.
type mastodonStatus struct {
	ID, Text, Spoiler, ReplyTo, Lang string
	Created                          time.Time
}

// fakeMastodon answers like a Mastodon-API server that ignores
// Idempotency-Key (as GoToSocial does): every POST /api/v1/statuses
// creates a status. Shapes follow docs.joinmastodon.org: Status, Account,
// StatusSource, the Link header of account statuses, error bodies.
type fakeMastodon struct {
	now func() time.Time
	srv *httptest.Server

	mu       sync.Mutex
	statuses []mastodonStatus // oldest first
}

func newFakeMastodon(t *testing.T, now func() time.Time) *fakeMastodon {
	f := &fakeMastodon{now: now}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/accounts/verify_credentials", f.verify)
	mux.HandleFunc("GET /api/v2/instance", f.instance)
	mux.HandleFunc("POST /api/v1/statuses", f.create)
	mux.HandleFunc("GET /api/v1/accounts/{id}/statuses", f.accountStatuses)
	mux.HandleFunc("GET /api/v1/statuses/{id}/source", f.source)
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+mastodonToken && r.URL.Path != "/api/v2/instance" {
			mastodonJSON(w, http.StatusUnauthorized, map[string]string{"error": "The access token is invalid"})
			return
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func mastodonJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func (f *fakeMastodon) account() map[string]any {
	return map[string]any{
		"id": "1", "username": "ambassade", "acct": "ambassade", "display_name": "Ambassade",
		"url": "https://social.example/@ambassade", "avatar": "https://social.example/avatars/1.png",
		"created_at": "2016-03-16T14:34:26.392Z",
	}
}

func (f *fakeMastodon) verify(w http.ResponseWriter, _ *http.Request) {
	mastodonJSON(w, http.StatusOK, f.account())
}

func (f *fakeMastodon) instance(w http.ResponseWriter, _ *http.Request) {
	mastodonJSON(w, http.StatusOK, map[string]any{
		"domain": "social.example",
		"configuration": map[string]any{
			"statuses": map[string]any{"max_characters": 500, "characters_reserved_per_url": 23},
		},
	})
}

func (f *fakeMastodon) create(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || strings.TrimSpace(r.PostForm.Get("status")) == "" {
		mastodonJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": "Validation failed: Text can't be blank"})
		return
	}
	f.mu.Lock()
	st := mastodonStatus{
		ID:   strconv.Itoa(110_000_000 + len(f.statuses) + 1),
		Text: r.PostForm.Get("status"), Spoiler: r.PostForm.Get("spoiler_text"),
		ReplyTo: r.PostForm.Get("in_reply_to_id"), Lang: r.PostForm.Get("language"), Created: f.now().UTC(),
	}
	f.statuses = append(f.statuses, st)
	f.mu.Unlock()
	mastodonJSON(w, http.StatusOK, f.entity(st))
}

// entity is the Status entity of st, its content rendered as the server
// renders it: mentions without their server, links with a hidden scheme.
func (f *fakeMastodon) entity(st mastodonStatus) map[string]any {
	var reply any
	if st.ReplyTo != "" {
		reply = st.ReplyTo
	}
	return map[string]any{
		"id": st.ID, "created_at": st.Created.Format(time.RFC3339Nano), "in_reply_to_id": reply,
		"sensitive": st.Spoiler != "", "spoiler_text": st.Spoiler, "visibility": "public", "language": st.Lang,
		"uri": "https://social.example/users/ambassade/statuses/" + st.ID, "url": "https://social.example/@ambassade/" + st.ID,
		"replies_count": 0, "reblogs_count": 0, "favourites_count": 0, "content": render(st.Text),
		"reblog": nil, "account": f.account(), "media_attachments": []any{}, "mentions": []any{}, "tags": []any{},
	}
}

func render(text string) string {
	words := strings.Fields(text)
	for i, w := range words {
		switch {
		case strings.HasPrefix(w, "@") && strings.Count(w, "@") == 2:
			user, host, _ := strings.Cut(w[1:], "@")
			words[i] = fmt.Sprintf(`<span class="h-card"><a href="https://%s/@%s" class="u-url mention">@<span>%s</span></a></span>`,
				html.EscapeString(host), html.EscapeString(user), html.EscapeString(user))
		case strings.HasPrefix(w, "https://"):
			words[i] = fmt.Sprintf(`<a href="%s" rel="nofollow noopener" target="_blank"><span class="invisible">https://</span><span class="">%s</span></a>`,
				html.EscapeString(w), html.EscapeString(strings.TrimPrefix(w, "https://")))
		case strings.HasPrefix(w, "#"):
			words[i] = fmt.Sprintf(`<a href="https://social.example/tags/%s" class="mention hashtag" rel="tag">#<span>%s</span></a>`,
				html.EscapeString(w[1:]), html.EscapeString(w[1:]))
		default:
			words[i] = html.EscapeString(w)
		}
	}
	return "<p>" + strings.Join(words, " ") + "</p>"
}

// accountStatuses pages the account's statuses newest first, by max_id,
// with a Link header to the next page while there is one.
func (f *fakeMastodon) accountStatuses(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("id") != "1" {
		mastodonJSON(w, http.StatusNotFound, map[string]string{"error": "Record not found"})
		return
	}
	limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil || limit <= 0 || limit > 40 {
		limit = 20
	}
	maxID, _ := strconv.Atoi(r.URL.Query().Get("max_id"))
	f.mu.Lock()
	var page []any
	last := ""
	for i := len(f.statuses) - 1; i >= 0 && len(page) < limit; i-- {
		st := f.statuses[i]
		if id, _ := strconv.Atoi(st.ID); maxID > 0 && id >= maxID {
			continue
		}
		page, last = append(page, f.entity(st)), st.ID
	}
	more := last != "" && last != f.firstID()
	f.mu.Unlock()
	if more {
		w.Header().Set("Link", fmt.Sprintf(`<%s/api/v1/accounts/1/statuses?limit=%d&max_id=%s>; rel="next"`, f.srv.URL, limit, last))
	}
	mastodonJSON(w, http.StatusOK, append([]any{}, page...))
}

func (f *fakeMastodon) firstID() string { return f.statuses[0].ID }

func (f *fakeMastodon) source(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, st := range f.statuses {
		if st.ID == r.PathValue("id") {
			mastodonJSON(w, http.StatusOK, map[string]string{"id": st.ID, "text": st.Text, "spoiler_text": st.Spoiler})
			return
		}
	}
	mastodonJSON(w, http.StatusNotFound, map[string]string{"error": "Record not found"})
}

// copies counts the statuses made of text, and returns the id of the last.
func (f *fakeMastodon) copies(text string) (int, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n, id := 0, ""
	for _, st := range f.statuses {
		if st.Text == text {
			n, id = n+1, st.ID
		}
	}
	return n, id
}

func (f *fakeMastodon) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.statuses)
}
