// Package fbtest is a Graph API server for tests, on 127.0.0.1, that holds
// one Facebook Page in memory with the documented shapes: nodes and edges
// under a versioned path, {"data":[…],"paging":{"cursors":{…},"next":…}}
// lists whose next addresses carry the access token as Graph's do, error
// bodies {"error":{"message","type","code","error_subcode","fbtrace_id"}},
// the X-App-Usage header, multipart photo uploads with alt_text_custom,
// attached_media, comments, likes, and scheduled posts checked against the
// 10-minute to 75-day window and published when the server's clock passes
// their time. It never checks what a request was before: Graph has no
// idempotency key.
package fbtest

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The Page, its tokens and its manager.
const (
	PageID    = "104857600000001"
	PageName  = "Ambassade à Vienne"
	UserID    = "100000000000042"
	UserToken = "EAAUser-fbtest-Zq81Lw"
	PageToken = "EAAPage-fbtest-Kd52Vx"
	Version   = "v21.0"
)

// The scheduling window Graph accepts.
const (
	MinLead = 10 * time.Minute
	MaxLead = 75 * 24 * time.Hour
)

// Post is a Page post, published or scheduled.
type Post struct {
	ID, Message string
	Created     time.Time
	Scheduled   time.Time // zero for a post published at once
	Published   bool
	Photos      []string // photo ids
	Likes       int
	Shares      int
	Liked       bool // by the Page
}

// Comment is a comment on a post or on a comment.
type Comment struct {
	ID, Object, Post, Message string // Object: what it answers; Post: the post it is under
	FromID, FromName          string
	Created                   time.Time
	Photo                     string
	Liked                     bool
}

// Photo is an uploaded photo.
type Photo struct {
	ID, Alt, Type, Message string
	Size                   int
	Published, Temporary   bool
}

// Server is the test server; its methods are safe for concurrent use.
type Server struct {
	*httptest.Server

	mu       sync.Mutex
	now      time.Time
	clock    func() time.Time // when set, the clock's reading replaces now
	posts    []*Post          // oldest first
	comments []*Comment
	photos   map[string]*Photo
	nextID   int
	requests []string
	revoked  map[string]bool // permissions the token lacks
	expired  bool
	usage    map[string]string // extra response headers
	fail     map[string][]failure
	audience [2]int // the Page's followers_count and fan_count

	dropMu sync.Mutex
	drop   map[string]int
}

type failure struct {
	status int
	body   string
}

// New starts a server whose clock reads start until moved.
func New(start time.Time) *Server {
	s := &Server{
		now: start, photos: map[string]*Photo{}, nextID: 1000, revoked: map[string]bool{}, audience: [2]int{1520, 1490},
		usage: map[string]string{}, fail: map[string][]failure{}, drop: map[string]int{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{v}/me", s.me)
	mux.HandleFunc("GET /{v}/{id}", s.node)
	mux.HandleFunc("POST /{v}/{id}", s.updateNode)
	mux.HandleFunc("DELETE /{v}/{id}", s.deleteNode)
	mux.HandleFunc("GET /{v}/{id}/published_posts", s.publishedPosts)
	mux.HandleFunc("GET /{v}/{id}/scheduled_posts", s.scheduledPosts)
	mux.HandleFunc("GET /{v}/{id}/comments", s.listComments)
	mux.HandleFunc("POST /{v}/{id}/feed", s.createPost)
	mux.HandleFunc("POST /{v}/{id}/photos", s.uploadPhoto)
	mux.HandleFunc("POST /{v}/{id}/comments", s.createComment)
	mux.HandleFunc("POST /{v}/{id}/likes", s.like)
	mux.HandleFunc("DELETE /{v}/{id}/likes", s.like)
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route := r.Method + " " + r.URL.Path
		s.mu.Lock()
		s.requests = append(s.requests, route)
		s.tick()
		s.publishDue()
		f, failing := s.nextFailure(route)
		headers := s.headers()
		s.mu.Unlock()
		for k, v := range headers {
			w.Header().Set(k, v)
		}
		if failing {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(f.status)
			_, _ = w.Write([]byte(f.body))
			return
		}
		if !strings.HasPrefix(r.URL.Path, "/"+Version+"/") {
			graphError(w, http.StatusBadRequest, "Unknown path components: "+r.URL.Path, "OAuthException", 2500, 0)
			return
		}
		mux.ServeHTTP(s.dropper(w, route), r)
	}))
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("fbtest: listen: %v", err))
	}
	s.Listener = l
	s.Start()
	return s
}

// Base is the versioned Graph address of the server.
func (s *Server) Base() string { return s.URL + "/" + Version }

// Advance moves the server's clock; scheduled posts whose time passed are
// published at the next request.
func (s *Server) Advance(d time.Duration) { s.set(func() { s.now = s.now.Add(d) }) }

// Now is the server's clock.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tick()
	return s.now
}

// UseClock makes the server read its time from now (shared with the
// client under test) instead of its own clock.
func (s *Server) UseClock(now func() time.Time) { s.set(func() { s.clock = now }) }

func (s *Server) tick() {
	if s.clock != nil {
		s.now = s.clock()
	}
}

// Revoke makes the token lack permission perm (pages_manage_posts,
// pages_manage_engagement, pages_read_engagement, pages_read_user_content).
func (s *Server) Revoke(perm string) { s.set(func() { s.revoked[perm] = true }) }

// Expire makes every token expired (code 190, subcode 463).
func (s *Server) Expire() { s.set(func() { s.expired = true }) }

// SetHeader adds a header to every answer (X-App-Usage,
// X-Business-Use-Case-Usage, …).
func (s *Server) SetHeader(name, value string) { s.set(func() { s.usage[name] = value }) }

// Fail makes the next n requests of route ("POST /v21.0/104…/feed")
// answer status with body, without acting.
func (s *Server) Fail(route string, n, status int, body string) {
	s.set(func() {
		for range n {
			s.fail[route] = append(s.fail[route], failure{status, body})
		}
	})
}

// DropAnswers makes the server act on the next n requests of route and
// then cut the connection instead of answering.
func (s *Server) DropAnswers(route string, n int) {
	s.dropMu.Lock()
	s.drop[route] += n
	s.dropMu.Unlock()
}

func (s *Server) set(fn func()) {
	s.mu.Lock()
	fn()
	s.mu.Unlock()
}

func (s *Server) nextFailure(route string) (failure, bool) {
	list := s.fail[route]
	if len(list) == 0 {
		return failure{}, false
	}
	s.fail[route] = list[1:]
	return list[0], true
}

func (s *Server) headers() map[string]string {
	h := map[string]string{"X-App-Usage": `{"call_count":1,"total_cputime":1,"total_time":1}`}
	for k, v := range s.usage {
		h[k] = v
	}
	return h
}

// Posts returns copies of the Page's posts, published and scheduled,
// oldest first.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Post, len(s.posts))
	for i, p := range s.posts {
		out[i] = *p
		out[i].Photos = append([]string(nil), p.Photos...)
	}
	return out
}

// Comments returns copies of every comment, oldest first.
func (s *Server) Comments() []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Comment, len(s.comments))
	for i, c := range s.comments {
		out[i] = *c
	}
	return out
}

// Photo returns the uploaded photo id.
func (s *Server) Photo(id string) (Photo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.photos[id]
	if !ok {
		return Photo{}, false
	}
	return *p, true
}

// Count returns how many requests of route the server received.
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

// AddPost publishes a post at created and returns its id.
func (s *Server) AddPost(message string, created time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := &Post{ID: PageID + "_" + s.newID(), Message: message, Created: created, Published: true}
	s.posts = append(s.posts, p)
	return p.ID
}

// SetAudience sets the Page's followers_count and fan_count.
func (s *Server) SetAudience(followers, fans int) {
	s.set(func() { s.audience = [2]int{followers, fans} })
}

// EditMessage changes the message of the post id, as a Page admin
// editing it on facebook.com would; it reports whether the post exists.
func (s *Server) EditMessage(id, message string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.post(id)
	if p != nil {
		p.Message = message
	}
	return p != nil
}

// AddComment adds a comment by someone on object (a post or a comment)
// at created and returns its id.
func (s *Server) AddComment(object, fromID, fromName, message string, created time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addComment(object, fromID, fromName, message, "", created).ID
}

// publishDue publishes the scheduled posts whose time has come.
func (s *Server) publishDue() {
	for _, p := range s.posts {
		if !p.Published && !p.Scheduled.IsZero() && !s.now.Before(p.Scheduled) {
			p.Published, p.Created = true, p.Scheduled
		}
	}
}

func (s *Server) newID() string {
	s.nextID++
	return strconv.Itoa(s.nextID)
}

// graphTime writes t as Graph does.
func graphTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05+0000") }

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// graphError writes Graph's error body.
func graphError(w http.ResponseWriter, status int, msg, typ string, code, subcode int) {
	e := map[string]any{"message": msg, "type": typ, "code": code, "fbtrace_id": "AbCdEfGhIjK"}
	if subcode != 0 {
		e["error_subcode"] = subcode
	}
	writeJSON(w, status, map[string]any{"error": e})
}

// dropper acts on the request, then cuts the connection instead of
// answering when the route's answers are to be dropped.
func (s *Server) dropper(w http.ResponseWriter, route string) http.ResponseWriter {
	s.dropMu.Lock()
	defer s.dropMu.Unlock()
	if s.drop[route] == 0 {
		return w
	}
	s.drop[route]--
	return &dropWriter{ResponseWriter: w}
}

type dropWriter struct{ http.ResponseWriter }

func (d *dropWriter) WriteHeader(int) {
	if hj, ok := d.ResponseWriter.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
		}
	}
	panic(http.ErrAbortHandler)
}

func (d *dropWriter) Write([]byte) (int, error) {
	d.WriteHeader(http.StatusOK)
	return 0, nil
}
