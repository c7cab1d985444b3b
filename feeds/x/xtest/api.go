package xtest

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

func userJSON(id string, u [2]string) map[string]any {
	return map[string]any{"id": id, "username": u[0], "name": u[1], "profile_image_url": "https://pbs.twimg.com/profile_images/" + id + "/normal.jpg"}
}

// AddMention adds a post by another user that mentions the account, at
// created, replying to replyTo (may be empty); it returns its id.
func (s *Server) AddMention(username, name, text, replyTo string, created time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	uid := "9" + strconv.Itoa(len(s.users))
	s.users[uid] = [2]string{username, name}
	id := s.newID()
	s.posts = append(s.posts, Post{ID: id, Text: "@" + Username + " " + text, AuthorID: uid, ReplyTo: replyTo, Lang: "en", Created: created})
	return id
}

// AddPost adds a post of the account at created; it returns its id.
func (s *Server) AddPost(text string, created time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.newID()
	kept, links := stored(text, "")
	s.posts = append(s.posts, Post{ID: id, Text: kept, Links: links, AuthorID: UserID, Lang: "en", Created: created})
	return id
}

// Posts returns the account's own posts, oldest first.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Post
	for _, p := range s.posts {
		if p.AuthorID == UserID {
			out = append(out, p)
		}
	}
	return out
}

// MediaOf returns an uploaded image.
func (s *Server) MediaOf(id string) (Media, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.media[id]
	if !ok {
		return Media{}, false
	}
	return *m, true
}

var linkRE = regexp.MustCompile(`https?://\S+`)

// stored is text as X keeps it: links shortened to t.co, &, < and >
// escaped, a link to the images (mediaKey) appended; and its links.
func stored(text, mediaKey string) (string, []Link) {
	var links []Link
	text = linkRE.ReplaceAllStringFunc(text, func(u string) string {
		short := "https://t.co/Lk" + strconv.Itoa(len(links)+1)
		links = append(links, Link{Short: short, Expanded: u})
		return short
	})
	text = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(text)
	if mediaKey != "" {
		text += " https://t.co/Md1"
		links = append(links, Link{Short: "https://t.co/Md1", Expanded: "https://x.com/" + Username + "/status/0/photo/1", MediaKey: mediaKey})
	}
	return text, links
}

func (s *Server) timeline(mentions bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") != UserID {
			writeJSON(w, http.StatusOK, map[string]any{"errors": []any{map[string]any{
				"value": r.PathValue("id"), "detail": "Could not find user with id: [" + r.PathValue("id") + "].",
				"title": "Not Found Error", "resource_type": "user", "parameter": "id",
				"type": "https://api.twitter.com/2/problems/resource-not-found",
			}}})
			return
		}
		q := r.URL.Query()
		size, err := strconv.Atoi(q.Get("max_results"))
		if q.Get("max_results") == "" {
			size, err = 10, nil
		}
		if err != nil || size < 5 || size > 100 {
			Problem(w, http.StatusBadRequest, "Invalid Request", "The `max_results` query parameter value ["+q.Get("max_results")+"] is not between 5 and 100", "https://api.twitter.com/2/problems/invalid-request")
			return
		}
		start, _ := time.Parse(time.RFC3339, q.Get("start_time"))
		s.mu.Lock()
		defer s.mu.Unlock()
		var match []Post
		for i := len(s.posts) - 1; i >= 0; i-- {
			p := s.posts[i]
			mine := p.AuthorID == UserID
			if mine == mentions || (mentions && !strings.Contains(p.Text, "@"+Username)) || p.Created.Before(start) {
				continue
			}
			match = append(match, p)
		}
		from, _ := strconv.Atoi(strings.TrimPrefix(q.Get("pagination_token"), "7140dibdnow9c7btw4"))
		s.page(w, match, from, size)
	}
}

// page writes posts[from:from+size] with includes and meta; s.mu is held.
func (s *Server) page(w http.ResponseWriter, posts []Post, from, size int) {
	from = min(max(from, 0), len(posts))
	end := min(from+size, len(posts))
	data := []any{}
	users := map[string]any{}
	var media []any
	var refs []any // expansions=referenced_tweets.id: the posts replied to
	for _, p := range posts[from:end] {
		data = append(data, s.tweetJSON(p))
		users[p.AuthorID] = userJSON(p.AuthorID, s.users[p.AuthorID])
		if parent, ok := s.post(p.ReplyTo); ok {
			refs = append(refs, s.tweetJSON(parent))
			users[parent.AuthorID] = userJSON(parent.AuthorID, s.users[parent.AuthorID])
		}
		for _, k := range p.MediaKeys {
			m := s.media[strings.TrimPrefix(k, "3_")]
			media = append(media, map[string]any{"media_key": k, "type": "photo", "url": "https://pbs.twimg.com/media/" + k + ".jpg", "alt_text": m.Alt})
		}
	}
	meta := map[string]any{"result_count": len(data)}
	if len(data) > 0 {
		meta["newest_id"], meta["oldest_id"] = posts[from].ID, posts[end-1].ID
	}
	if end < len(posts) {
		meta["next_token"] = "7140dibdnow9c7btw4" + strconv.Itoa(end)
	}
	body := map[string]any{"data": data, "meta": meta}
	if len(data) == 0 {
		body = map[string]any{"meta": meta}
	}
	inc := map[string]any{}
	if len(users) > 0 {
		inc["users"] = slices.Collect(func(yield func(any) bool) {
			for _, u := range users {
				if !yield(u) {
					return
				}
			}
		})
	}
	if len(media) > 0 {
		inc["media"] = media
	}
	if len(refs) > 0 {
		inc["tweets"] = refs
	}
	if len(inc) > 0 {
		body["includes"] = inc
	}
	writeJSON(w, http.StatusOK, body)
}

// post returns the post with id; s.mu is held.
func (s *Server) post(id string) (Post, bool) {
	for _, p := range s.posts {
		if p.ID == id && id != "" {
			return p, true
		}
	}
	return Post{}, false
}

func (s *Server) tweetJSON(p Post) map[string]any {
	t := map[string]any{
		"id": p.ID, "text": p.Text, "author_id": p.AuthorID, "created_at": p.Created.UTC().Format("2006-01-02T15:04:05.000Z"),
		"lang": p.Lang, "conversation_id": p.ID, "edit_history_tweet_ids": []string{p.ID},
		"public_metrics": map[string]int{"retweet_count": p.Retweets, "reply_count": 0, "like_count": p.Likes, "quote_count": 0},
	}
	if p.ReplyTo != "" {
		t["referenced_tweets"] = []any{map[string]string{"type": "replied_to", "id": p.ReplyTo}}
	}
	if len(p.MediaKeys) > 0 {
		t["attachments"] = map[string]any{"media_keys": p.MediaKeys}
	}
	var urls []any
	for _, l := range p.Links {
		start := strings.Index(p.Text, l.Short)
		u := map[string]any{
			"start": len([]rune(p.Text[:start])), "end": len([]rune(p.Text[:start])) + len(l.Short), "url": l.Short,
			"expanded_url": l.Expanded, "display_url": strings.TrimPrefix(strings.TrimPrefix(l.Expanded, "https://"), "http://"),
		}
		if l.MediaKey != "" {
			u["media_key"] = l.MediaKey
		}
		urls = append(urls, u)
	}
	if urls != nil {
		t["entities"] = map[string]any{"urls": urls}
	}
	return t
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Text  string `json:"text"`
		Reply *struct {
			ID string `json:"in_reply_to_tweet_id"`
		} `json:"reply"`
		Media *struct {
			IDs []string `json:"media_ids"`
		} `json:"media"`
	}
	b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err := json.Unmarshal(b, &body); err != nil {
		Problem(w, http.StatusBadRequest, "Invalid Request", "One or more parameters to your request was invalid.", "https://api.twitter.com/2/problems/invalid-request")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := Post{ID: s.newID(), AuthorID: UserID, Lang: "und", Created: s.now()}
	if body.Reply != nil {
		p.ReplyTo = body.Reply.ID
	}
	if body.Media != nil {
		for _, id := range body.Media.IDs {
			m, ok := s.media[id]
			if !ok || !m.Finalized || m.State != "succeeded" {
				Problem(w, http.StatusBadRequest, "Invalid Request", "Your media IDs are invalid.", "https://api.twitter.com/2/problems/invalid-request")
				return
			}
			p.MediaKeys = append(p.MediaKeys, "3_"+id)
		}
	}
	if strings.TrimSpace(body.Text) == "" && len(p.MediaKeys) == 0 {
		Problem(w, http.StatusBadRequest, "Invalid Request", "Post text is empty.", "https://api.twitter.com/2/problems/invalid-request")
		return
	}
	mediaKey := ""
	if len(p.MediaKeys) > 0 {
		mediaKey = p.MediaKeys[0]
	}
	p.Text, p.Links = stored(body.Text, mediaKey)
	s.posts = append(s.posts, p)
	writeJSON(w, http.StatusCreated, map[string]any{"data": map[string]any{"id": p.ID, "text": p.Text, "edit_history_tweet_ids": []string{p.ID}}})
}

func (s *Server) deletePost(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.posts, func(p Post) bool { return p.ID == r.PathValue("id") })
	if i < 0 {
		Problem(w, http.StatusNotFound, "Not Found Error", "Could not find tweet with id: ["+r.PathValue("id")+"].",
			"https://api.twitter.com/2/problems/resource-not-found")
		return
	}
	if s.posts[i].AuthorID != UserID {
		Problem(w, http.StatusForbidden, "Forbidden", "You are not allowed to delete this Tweet.", "about:blank")
		return
	}
	s.posts = slices.Delete(s.posts, i, i+1)
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]bool{"deleted": true}})
}

func (s *Server) interact(w http.ResponseWriter, r *http.Request) {
	var body struct {
		TweetID string `json:"tweet_id"`
	}
	_ = json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&body)
	s.act(w, r.PathValue("id"), r.PathValue("what"), body.TweetID, 1)
}

func (s *Server) uninteract(w http.ResponseWriter, r *http.Request) {
	s.act(w, r.PathValue("id"), r.PathValue("what"), r.PathValue("tweet"), -1)
}

func (s *Server) act(w http.ResponseWriter, uid, what, tweetID string, delta int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.posts, func(p Post) bool { return p.ID == tweetID })
	if uid != UserID || i < 0 || (what != "likes" && what != "retweets") {
		Problem(w, http.StatusBadRequest, "Invalid Request", "One or more parameters to your request was invalid.", "https://api.twitter.com/2/problems/invalid-request")
		return
	}
	field := map[string]string{"likes": "liked", "retweets": "retweeted"}[what]
	if what == "likes" {
		s.posts[i].Likes = max(s.posts[i].Likes+delta, 0)
	} else {
		s.posts[i].Retweets = max(s.posts[i].Retweets+delta, 0)
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]bool{field: delta > 0}})
}

// Likes returns the like and repost counts of a post.
func (s *Server) Likes(id string) (likes, retweets int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.posts {
		if p.ID == id {
			return p.Likes, p.Retweets
		}
	}
	return 0, 0
}
