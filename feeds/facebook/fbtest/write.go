package fbtest

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxPhoto is the largest photo Graph takes.
const maxPhoto = 4 << 20

// createPost answers POST /{page-id}/feed: message, attached_media[n]
// ({"media_fbid"}), and published=false with scheduled_publish_time.
func (s *Server) createPost(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.PathValue("id") != PageID {
		noObject(w, r.PathValue("id"))
		return
	}
	if !s.pageToken(w, r, "pages_manage_posts") {
		return
	}
	p := &Post{Message: r.FormValue("message"), Created: s.now, Published: r.FormValue("published") != "false"}
	if v := r.FormValue("scheduled_publish_time"); v != "" {
		at, ok := s.scheduleTime(w, v)
		if !ok {
			return
		}
		if p.Published {
			graphError(w, http.StatusBadRequest, "(#100) Cannot specify a scheduled publish time on a published post", "OAuthException", 100, 0)
			return
		}
		p.Scheduled = at
	}
	for i := 0; r.Form.Has("attached_media[" + strconv.Itoa(i) + "]"); i++ {
		var ref struct {
			MediaFBID string `json:"media_fbid"`
		}
		err := json.Unmarshal([]byte(r.FormValue("attached_media["+strconv.Itoa(i)+"]")), &ref)
		ph := s.photos[ref.MediaFBID]
		if err != nil || ph == nil || ph.Published {
			graphError(w, http.StatusBadRequest, "(#100) param attached_media must be an array of unpublished photo ids", "OAuthException", 100, 0)
			return
		}
		p.Photos = append(p.Photos, ph.ID)
	}
	if strings.TrimSpace(p.Message) == "" && len(p.Photos) == 0 {
		graphError(w, http.StatusBadRequest, "(#100) Missing message or attachment.", "OAuthException", 100, 0)
		return
	}
	p.ID = PageID + "_" + s.newID()
	s.posts = append(s.posts, p)
	writeJSON(w, http.StatusOK, map[string]any{"id": p.ID})
}

// uploadPhoto answers POST /{page-id}/photos, multipart with the file as
// source: published (default true) makes a post with the photo and its
// message; published=false keeps the photo for attached_media or
// attachment_id.
func (s *Server) uploadPhoto(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.PathValue("id") != PageID {
		noObject(w, r.PathValue("id"))
		return
	}
	if !s.pageToken(w, r, "pages_manage_posts") {
		return
	}
	if err := r.ParseMultipartForm(maxPhoto * 2); err != nil {
		graphError(w, http.StatusBadRequest, "(#324) Requires upload file", "OAuthException", 324, 0)
		return
	}
	f, hdr, err := r.FormFile("source")
	if err != nil {
		graphError(w, http.StatusBadRequest, "(#324) Requires upload file", "OAuthException", 324, 0)
		return
	}
	data, _ := io.ReadAll(io.LimitReader(f, maxPhoto+1))
	f.Close()
	typ := hdr.Header.Get("Content-Type")
	if len(data) > maxPhoto || !strings.HasPrefix(typ, "image/") {
		graphError(w, http.StatusBadRequest, "(#100) Invalid image: the photo must be an image of at most 4 MB", "OAuthException", 100, 0)
		return
	}
	ph := &Photo{
		ID: s.newID(), Alt: r.FormValue("alt_text_custom"), Type: typ, Size: len(data),
		Message: r.FormValue("message"), Published: r.FormValue("published") != "false",
		Temporary: r.FormValue("temporary") == "true",
	}
	s.photos[ph.ID] = ph
	if !ph.Published {
		writeJSON(w, http.StatusOK, map[string]any{"id": ph.ID})
		return
	}
	p := &Post{ID: PageID + "_" + s.newID(), Message: ph.Message, Created: s.now, Published: true, Photos: []string{ph.ID}}
	s.posts = append(s.posts, p)
	writeJSON(w, http.StatusOK, map[string]any{"id": ph.ID, "post_id": p.ID})
}

// createComment answers POST /{object-id}/comments as the Page.
func (s *Server) createComment(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.pageToken(w, r, "pages_manage_engagement") {
		return
	}
	obj := r.PathValue("id")
	if s.post(obj) == nil && s.comment(obj) == nil {
		noObject(w, obj)
		return
	}
	msg, photo := r.FormValue("message"), r.FormValue("attachment_id")
	if photo != "" && (s.photos[photo] == nil || s.photos[photo].Published) {
		graphError(w, http.StatusBadRequest, "(#100) attachment_id must be an unpublished photo", "OAuthException", 100, 0)
		return
	}
	if strings.TrimSpace(msg) == "" && photo == "" {
		graphError(w, http.StatusBadRequest, "(#100) Missing message or attachment.", "OAuthException", 100, 0)
		return
	}
	c := s.addComment(obj, PageID, PageName, msg, photo, s.now)
	writeJSON(w, http.StatusOK, map[string]any{"id": c.ID})
}

// like answers POST and DELETE /{object-id}/likes as the Page.
func (s *Server) like(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.pageToken(w, r, "pages_manage_engagement") {
		return
	}
	id, on := r.PathValue("id"), r.Method == http.MethodPost
	if p := s.post(id); p != nil {
		if p.Liked != on {
			p.Liked = on
			p.Likes += map[bool]int{true: 1, false: -1}[on]
		}
	} else if c := s.comment(id); c != nil {
		c.Liked = on
	} else {
		noObject(w, id)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"success": true})
}

// listComments answers GET /{object-id}/comments: the comments that answer
// the object, oldest first unless order=reverse_chronological.
func (s *Server) listComments(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.pageToken(w, r, "pages_read_user_content") {
		return
	}
	obj := r.PathValue("id")
	if s.post(obj) == nil && s.comment(obj) == nil {
		noObject(w, obj)
		return
	}
	var items []any
	for _, c := range s.comments {
		if c.Object == obj {
			items = append(items, s.commentEntity(c))
		}
	}
	if r.URL.Query().Get("order") == "reverse_chronological" {
		for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
			items[i], items[j] = items[j], items[i]
		}
	}
	writeJSON(w, http.StatusOK, s.page(r, items))
}

func (s *Server) addComment(object, fromID, fromName, msg, photo string, at time.Time) *Comment {
	post := object
	if c := s.comment(object); c != nil {
		post = c.Post
	}
	_, postPart, _ := strings.Cut(post, "_")
	c := &Comment{
		ID: postPart + "_" + s.newID(), Object: object, Post: post, Message: msg,
		FromID: fromID, FromName: fromName, Created: at, Photo: photo,
	}
	s.comments = append(s.comments, c)
	return c
}

func (s *Server) post(id string) *Post {
	for _, p := range s.posts {
		if p.ID == id {
			return p
		}
	}
	return nil
}

func (s *Server) comment(id string) *Comment {
	for _, c := range s.comments {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// postEntity is a post as Graph writes it, with what fields asks for.
func (s *Server) postEntity(p *Post, fields string) map[string]any {
	_, postPart, _ := strings.Cut(p.ID, "_")
	e := map[string]any{
		"id": p.ID, "created_time": graphTime(p.Created),
		"permalink_url": "https://www.facebook.com/" + PageID + "/posts/" + postPart,
		"from":          map[string]any{"id": PageID, "name": PageName},
	}
	if p.Message != "" {
		e["message"] = p.Message
	}
	if !p.Scheduled.IsZero() && !p.Published {
		e["scheduled_publish_time"] = p.Scheduled.Unix()
	}
	if strings.Contains(fields, "is_published") {
		e["is_published"] = p.Published
	}
	if strings.Contains(fields, "reactions.summary") {
		e["reactions"] = map[string]any{"data": []any{}, "summary": map[string]any{"total_count": p.Likes}}
	}
	if strings.Contains(fields, "shares") && p.Shares > 0 {
		e["shares"] = map[string]any{"count": p.Shares}
	}
	var under []*Comment
	for _, c := range s.comments {
		if c.Post == p.ID {
			under = append(under, c)
		}
	}
	if strings.Contains(fields, "comments.summary") {
		top := 0
		for _, c := range under {
			if c.Object == p.ID {
				top++
			}
		}
		e["comments"] = map[string]any{"data": []any{}, "summary": map[string]any{"total_count": top}}
	}
	if strings.Contains(fields, "comments.filter(stream)") && len(under) > 0 {
		var data []any
		for i := len(under) - 1; i >= 0 && len(data) < 50; i-- {
			data = append(data, s.commentEntity(under[i]))
		}
		e["comments"] = map[string]any{"data": data, "paging": map[string]any{"cursors": map[string]any{"before": "MQ==", "after": "MA=="}}}
	}
	if strings.Contains(fields, "attachments") && len(p.Photos) > 0 {
		e["attachments"] = s.attachments(p)
	}
	return e
}

// attachments lists a post's photos: one photo, or an album.
func (s *Server) attachments(p *Post) map[string]any {
	photo := func(id string) map[string]any {
		return map[string]any{
			"media_type": "photo", "type": "photo", "url": "https://www.facebook.com/photo/?fbid=" + id,
			"media": map[string]any{"image": map[string]any{"src": "https://scontent.example/" + id + ".jpg", "width": 720, "height": 720}},
		}
	}
	if len(p.Photos) == 1 {
		return map[string]any{"data": []any{photo(p.Photos[0])}}
	}
	var subs []any
	for _, id := range p.Photos {
		subs = append(subs, photo(id))
	}
	return map[string]any{"data": []any{map[string]any{
		"media_type": "album", "type": "album",
		"subattachments": map[string]any{"data": subs},
	}}}
}

// commentEntity is a comment as Graph writes it.
func (s *Server) commentEntity(c *Comment) map[string]any {
	replies := 0
	for _, o := range s.comments {
		if o.Object == c.ID {
			replies++
		}
	}
	e := map[string]any{
		"id": c.ID, "message": c.Message, "created_time": graphTime(c.Created),
		"permalink_url": "https://www.facebook.com/" + PageID + "/posts/" + c.Post + "?comment_id=" + c.ID,
		"from":          map[string]any{"id": c.FromID, "name": c.FromName},
		"like_count":    map[bool]int{true: 1}[c.Liked], "comment_count": replies, "user_likes": c.Liked,
	}
	if c.Object != c.Post {
		e["parent"] = map[string]any{"id": c.Object}
	}
	return e
}
