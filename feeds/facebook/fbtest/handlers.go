package fbtest

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// token returns the request's access token (Authorization: Bearer or
// OAuth, or access_token), and writes Graph's 190 error when it is not
// one the server knows. It is called with s.mu held.
func (s *Server) token(w http.ResponseWriter, r *http.Request) (string, bool) {
	tok := r.URL.Query().Get("access_token")
	if h := r.Header.Get("Authorization"); h != "" {
		_, tok, _ = strings.Cut(h, " ")
	}
	switch {
	case tok == "":
		graphError(w, http.StatusBadRequest, "An active access token must be used to query information about the current user.", "OAuthException", 2500, 0)
	case tok != UserToken && tok != PageToken:
		graphError(w, http.StatusBadRequest, "Invalid OAuth access token - Cannot parse access token", "OAuthException", 190, 0)
	case s.expired:
		graphError(w, http.StatusBadRequest, "Error validating access token: Session has expired on Tuesday, 01-Dec-26 09:00:00 PST.", "OAuthException", 190, 463)
	default:
		return tok, true
	}
	return "", false
}

// pageToken is token for calls that need the Page's own token, and the
// permission perm.
func (s *Server) pageToken(w http.ResponseWriter, r *http.Request, perm string) bool {
	tok, ok := s.token(w, r)
	if !ok {
		return false
	}
	switch {
	case tok != PageToken:
		graphError(w, http.StatusForbidden, "(#190) This method must be called with a Page Access Token", "OAuthException", 190, 0)
	case s.revoked[perm] && perm == "pages_manage_posts":
		graphError(w, http.StatusForbidden, "(#200) The user hasn't authorized the application to perform this action", "OAuthException", 200, 0)
	case s.revoked[perm]:
		graphError(w, http.StatusForbidden, "(#10) This endpoint requires the '"+perm+"' permission or the 'Page Public Content Access' feature.", "OAuthException", 10, 0)
	default:
		return true
	}
	return false
}

func noObject(w http.ResponseWriter, id string) {
	graphError(w, http.StatusBadRequest, "Unsupported get request. Object with ID '"+id+"' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", "GraphMethodException", 100, 33)
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tok, ok := s.token(w, r)
	if !ok {
		return
	}
	if tok == PageToken {
		writeJSON(w, http.StatusOK, map[string]any{"id": PageID, "name": PageName})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": UserID, "name": "Claire Dubois"})
}

// node answers GET /{id}: the Page (with its access_token for its
// manager's user token), or a post.
func (s *Server) node(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tok, ok := s.token(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	if id == PageID || id == "ambassade.vienne" {
		page := map[string]any{
			"id": PageID, "name": PageName,
			"picture": map[string]any{"data": map[string]any{"url": "https://scontent.example/page.jpg"}},
		}
		fields := r.URL.Query().Get("fields")
		if tok == UserToken && strings.Contains(fields, "access_token") {
			page["access_token"] = PageToken
		}
		if strings.Contains(fields, "followers_count") {
			page["followers_count"] = s.audience[0]
		}
		if strings.Contains(fields, "fan_count") {
			page["fan_count"] = s.audience[1]
		}
		writeJSON(w, http.StatusOK, page)
		return
	}
	p := s.post(id)
	if p == nil {
		noObject(w, id)
		return
	}
	if !s.pageToken(w, r, "pages_read_engagement") {
		return
	}
	writeJSON(w, http.StatusOK, s.postEntity(p, r.URL.Query().Get("fields")))
}

// updateNode answers POST /{post-id} with scheduled_publish_time.
func (s *Server) updateNode(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.pageToken(w, r, "pages_manage_posts") {
		return
	}
	p := s.post(r.PathValue("id"))
	if p == nil {
		noObject(w, r.PathValue("id"))
		return
	}
	at, ok := s.scheduleTime(w, r.FormValue("scheduled_publish_time"))
	if !ok {
		return
	}
	if p.Published {
		graphError(w, http.StatusBadRequest, "(#100) You cannot schedule a post that is already published", "OAuthException", 100, 0)
		return
	}
	p.Scheduled = at
	writeJSON(w, http.StatusOK, map[string]any{"success": true})
}

func (s *Server) deleteNode(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.pageToken(w, r, "pages_manage_posts") {
		return
	}
	id := r.PathValue("id")
	for i, p := range s.posts {
		if p.ID == id {
			s.posts = append(s.posts[:i], s.posts[i+1:]...)
			writeJSON(w, http.StatusOK, map[string]any{"success": true})
			return
		}
	}
	noObject(w, id)
}

// scheduleTime checks scheduled_publish_time (Unix seconds) against the
// window Graph accepts.
func (s *Server) scheduleTime(w http.ResponseWriter, v string) (time.Time, bool) {
	secs, err := strconv.ParseInt(v, 10, 64)
	at := time.Unix(secs, 0)
	if err != nil || at.Before(s.now.Add(MinLead)) || at.After(s.now.Add(MaxLead)) {
		graphError(w, http.StatusBadRequest, "(#100) The specified scheduled publish time is invalid.", "OAuthException", 100, 0)
		return time.Time{}, false
	}
	return at.UTC(), true
}

func (s *Server) publishedPosts(w http.ResponseWriter, r *http.Request) {
	s.listPosts(w, r, true)
}

func (s *Server) scheduledPosts(w http.ResponseWriter, r *http.Request) {
	s.listPosts(w, r, false)
}

// listPosts answers the Page's published or scheduled posts, newest
// first, a page at a time.
func (s *Server) listPosts(w http.ResponseWriter, r *http.Request, published bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.PathValue("id") != PageID {
		noObject(w, r.PathValue("id"))
		return
	}
	if !s.pageToken(w, r, "pages_read_engagement") {
		return
	}
	fields := r.URL.Query().Get("fields")
	if strings.Contains(fields, "comments.filter(stream)") && !s.pageToken(w, r, "pages_read_user_content") {
		return
	}
	var items []any
	for i := len(s.posts) - 1; i >= 0; i-- {
		if p := s.posts[i]; p.Published == published && (published || !p.Scheduled.IsZero()) {
			items = append(items, s.postEntity(p, fields))
		}
	}
	writeJSON(w, http.StatusOK, s.page(r, items))
}

// page cuts items by the request's limit and after cursor, and adds
// Graph's paging object, whose next address carries the token.
func (s *Server) page(r *http.Request, items []any) map[string]any {
	q := r.URL.Query()
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil || limit <= 0 || limit > 100 {
		limit = 25
	}
	start := 0
	if after, err := base64.StdEncoding.DecodeString(q.Get("after")); err == nil && len(after) > 0 {
		start, _ = strconv.Atoi(string(after))
	}
	start = min(start, len(items))
	end := min(start+limit, len(items))
	out := map[string]any{"data": append([]any{}, items[start:end]...)}
	if end == start {
		return out
	}
	cursors := map[string]any{
		"before": base64.StdEncoding.EncodeToString([]byte(strconv.Itoa(start))),
		"after":  base64.StdEncoding.EncodeToString([]byte(strconv.Itoa(end))),
	}
	pg := map[string]any{"cursors": cursors}
	if end < len(items) {
		next := url.Values{"access_token": {PageToken}, "limit": {strconv.Itoa(limit)}, "after": {cursors["after"].(string)}}
		if f := q.Get("fields"); f != "" {
			next.Set("fields", f)
		}
		pg["next"] = s.URL + r.URL.Path + "?" + next.Encode()
	}
	out["paging"] = pg
	return out
}
