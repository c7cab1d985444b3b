// Package mastodontest is a Mastodon-API server for tests, on 127.0.0.1. It
// keeps one account's statuses and scheduled statuses in memory, with the
// documented shapes (Status, ScheduledStatus, StatusSource, Account, error
// bodies, Link headers), on a clock the test moves: a scheduled status is
// published when the clock passes its time, whoever asks next, as the
// server's own scheduler would while no client runs.
package mastodontest

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Token is the only access token the server accepts.
const Token = "tok-mastodontest-4Kq9Zr"

// MinLead is how far ahead the server accepts a scheduled status.
const MinLead = 5 * time.Minute

// Status is a published status.
type Status struct {
	ID, Text, Spoiler, ReplyTo, Lang, Visibility string
	Created                                      time.Time
}

// Scheduled is a scheduled status the server holds.
type Scheduled struct {
	ID, Text, Spoiler, ReplyTo, Lang, Visibility string
	At                                           time.Time
}

// Server is the test server. Its fields are set before use; the methods
// are safe for concurrent use.
type Server struct {
	*httptest.Server

	mu        sync.Mutex
	now       time.Time
	statuses  []Status    // oldest first
	scheduled []Scheduled // in creation order
	byKey     map[string]any
	nextID    int
	requests  []string // "METHOD /path"
	// refuseScheduling makes POST with scheduled_at a 422; noScheduling
	// makes the server ignore scheduled_at and publish at once, as servers
	// without the feature do.
	refuseScheduling, noScheduling bool
	ignoreKeys                     bool

	dropMu sync.Mutex     // apart from mu: answers are written with mu held
	drop   map[string]int // "METHOD /path" → answers to drop after acting
}

// New starts a server whose clock reads start until moved.
func New(start time.Time) *Server {
	s := &Server{now: start, byKey: map[string]any{}, nextID: 110_000_000, drop: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/accounts/verify_credentials", s.verify)
	mux.HandleFunc("GET /api/v2/instance", s.instance)
	mux.HandleFunc("POST /api/v1/statuses", s.create)
	mux.HandleFunc("GET /api/v1/accounts/{id}/statuses", s.accountStatuses)
	mux.HandleFunc("GET /api/v1/statuses/{id}/source", s.source)
	mux.HandleFunc("DELETE /api/v1/statuses/{id}", s.deleteStatus)
	mux.HandleFunc("GET /api/v1/scheduled_statuses", s.listScheduled)
	mux.HandleFunc("GET /api/v1/scheduled_statuses/{id}", s.getScheduled)
	mux.HandleFunc("PUT /api/v1/scheduled_statuses/{id}", s.updateScheduled)
	mux.HandleFunc("DELETE /api/v1/scheduled_statuses/{id}", s.deleteScheduled)
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route := r.Method + " " + r.URL.Path
		s.mu.Lock()
		s.requests = append(s.requests, route)
		s.publishDue()
		s.mu.Unlock()
		if r.Header.Get("Authorization") != "Bearer "+Token && r.URL.Path != "/api/v2/instance" {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "The access token is invalid"})
			return
		}
		mux.ServeHTTP(&dropper{ResponseWriter: w, s: s, route: route}, r)
	}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("mastodontest: listen: %v", err))
	}
	s.Listener = ln
	s.Start()
	return s
}

// Advance moves the server's clock by d.
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = s.now.Add(d)
	s.publishDue()
}

// Now reads the server's clock.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now
}

// RefuseScheduling makes the server refuse scheduled_at with a 422.
func (s *Server) RefuseScheduling(on bool) { s.set(func() { s.refuseScheduling = on }) }

// NoScheduling makes the server ignore scheduled_at and publish at once.
func (s *Server) NoScheduling(on bool) { s.set(func() { s.noScheduling = on }) }

// IgnoreKeys makes the server ignore Idempotency-Key (as GoToSocial does).
func (s *Server) IgnoreKeys(on bool) { s.set(func() { s.ignoreKeys = on }) }

// DropAnswers makes the next n requests to route ("POST
// /api/v1/statuses") act, then lose their answer (the connection closes).
func (s *Server) DropAnswers(route string, n int) {
	s.dropMu.Lock()
	defer s.dropMu.Unlock()
	s.drop[route] = n
}

func (s *Server) set(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn()
}

// Statuses returns the published statuses, oldest first.
func (s *Server) Statuses() []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.statuses)
}

// ScheduledStatuses returns the scheduled statuses the server holds.
func (s *Server) ScheduledStatuses() []Scheduled {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.scheduled)
}

// Count returns how many requests matched route ("POST /api/v1/statuses").
func (s *Server) Count(route string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r == route {
			n++
		}
	}
	return n
}

// StatusURL is the web address of status id.
func StatusURL(id string) string { return "https://social.example/@ambassade/" + id }

// publishDue turns the scheduled statuses whose time has come into
// statuses, created at the clock's time. Called with mu held.
func (s *Server) publishDue() {
	kept := s.scheduled[:0]
	for _, sc := range s.scheduled {
		if sc.At.After(s.now) {
			kept = append(kept, sc)
			continue
		}
		s.statuses = append(s.statuses, Status{
			ID: s.newID(), Text: sc.Text, Spoiler: sc.Spoiler, ReplyTo: sc.ReplyTo, Lang: sc.Lang,
			Visibility: sc.Visibility, Created: s.now,
		})
	}
	s.scheduled = kept
}

func (s *Server) newID() string {
	s.nextID++
	return strconv.Itoa(s.nextID)
}

// dropper closes the connection instead of answering, for routes set by
// DropAnswers: the server acted, the client never hears of it.
type dropper struct {
	http.ResponseWriter
	s     *Server
	route string
}

func (d *dropper) WriteHeader(code int) {
	d.s.dropMu.Lock()
	n := d.s.drop[d.route]
	if n > 0 {
		d.s.drop[d.route] = n - 1
	}
	d.s.dropMu.Unlock()
	if n > 0 {
		if conn, _, err := d.ResponseWriter.(http.Hijacker).Hijack(); err == nil {
			_ = conn.Close()
		}
		panic(http.ErrAbortHandler)
	}
	d.ResponseWriter.WriteHeader(code)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func account() map[string]any {
	return map[string]any{
		"id": "1", "username": "ambassade", "acct": "ambassade", "display_name": "Ambassade",
		"url": "https://social.example/@ambassade", "avatar": "https://social.example/avatars/1.png",
		"created_at": "2016-03-16T14:34:26.392Z",
	}
}

func (s *Server) verify(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, account())
}

func (s *Server) instance(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"domain": "social.example",
		"configuration": map[string]any{
			"statuses": map[string]any{"max_characters": 500, "characters_reserved_per_url": 23},
		},
	})
}

func nullable(id string) any {
	if id == "" {
		return nil
	}
	return id
}

func (st Status) entity() map[string]any {
	return map[string]any{
		"id": st.ID, "created_at": st.Created.UTC().Format(time.RFC3339Nano), "in_reply_to_id": nullable(st.ReplyTo),
		"sensitive": st.Spoiler != "", "spoiler_text": st.Spoiler, "visibility": "public", "language": st.Lang,
		"uri": "https://social.example/users/ambassade/statuses/" + st.ID, "url": StatusURL(st.ID),
		"replies_count": 0, "reblogs_count": 0, "favourites_count": 0, "content": "<p>" + escape(st.Text) + "</p>",
		"reblog": nil, "account": account(), "media_attachments": []any{}, "mentions": []any{}, "tags": []any{},
	}
}

func (sc Scheduled) entity() map[string]any {
	return map[string]any{
		"id": sc.ID, "scheduled_at": sc.At.UTC().Format("2006-01-02T15:04:05.000Z"),
		"params": map[string]any{
			"text": sc.Text, "spoiler_text": sc.Spoiler, "language": nullable(sc.Lang), "in_reply_to_id": nullable(sc.ReplyTo),
			"visibility": sc.Visibility, "poll": nil, "media_ids": nil, "sensitive": nil, "scheduled_at": nil,
			"application_id": 596551, "idempotency": nil, "with_rate_limit": false,
		},
		"media_attachments": []any{},
	}
}

func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\n", "<br>").Replace(s)
}
