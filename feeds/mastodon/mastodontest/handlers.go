package mastodontest

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

func notFound(w http.ResponseWriter) {
	writeJSON(w, http.StatusNotFound, map[string]string{"error": "Record not found"})
}

// create is POST /api/v1/statuses: a Status, or with scheduled_at a
// ScheduledStatus. A repeated Idempotency-Key returns what the key made
// (unless IgnoreKeys).
func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || strings.TrimSpace(r.PostForm.Get("status")) == "" {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": "Validation failed: Text can't be blank"})
		return
	}
	f := r.PostForm
	key := r.Header.Get("Idempotency-Key")
	s.mu.Lock()
	defer s.mu.Unlock()
	if made, ok := s.byKey[key]; ok && key != "" && !s.ignoreKeys {
		switch v := made.(type) {
		case Status:
			writeJSON(w, http.StatusOK, v.entity())
		case Scheduled:
			writeJSON(w, http.StatusOK, v.entity())
		}
		return
	}
	if at := f.Get("scheduled_at"); at != "" && !s.noScheduling {
		s.createScheduled(w, f.Get("status"), f.Get("spoiler_text"), f.Get("in_reply_to_id"), f.Get("language"), f.Get("visibility"), at, key)
		return
	}
	st := Status{
		ID: s.newID(), Text: f.Get("status"), Spoiler: f.Get("spoiler_text"), ReplyTo: f.Get("in_reply_to_id"),
		Lang: f.Get("language"), Visibility: f.Get("visibility"), Created: s.now,
	}
	s.statuses = append(s.statuses, st)
	s.byKey[key] = st
	writeJSON(w, http.StatusOK, st.entity())
}

// createScheduled is called with mu held.
func (s *Server) createScheduled(w http.ResponseWriter, text, spoiler, replyTo, lang, visibility, at, key string) {
	if s.refuseScheduling {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": "Validation failed: Scheduled statuses are disabled on this server"})
		return
	}
	when, err := time.Parse(time.RFC3339, at)
	switch {
	case err != nil:
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": "Validation failed: Scheduled at is invalid"})
		return
	case when.Before(s.now.Add(MinLead)):
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": "Validation failed: Scheduled at The scheduled date must be in the future"})
		return
	}
	sc := Scheduled{ID: s.newID(), Text: text, Spoiler: spoiler, ReplyTo: replyTo, Lang: lang, Visibility: visibility, At: when.UTC()}
	s.scheduled = append(s.scheduled, sc)
	s.byKey[key] = sc
	writeJSON(w, http.StatusOK, sc.entity())
}

// accountStatuses pages the account's statuses newest first, by max_id,
// with a Link header to the next page while there is one.
func (s *Server) accountStatuses(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("id") != "1" {
		notFound(w)
		return
	}
	limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil || limit <= 0 || limit > 40 {
		limit = 20
	}
	maxID, _ := strconv.Atoi(r.URL.Query().Get("max_id"))
	s.mu.Lock()
	var page []any
	last := ""
	more := false
	for i := len(s.statuses) - 1; i >= 0; i-- {
		st := s.statuses[i]
		if id, _ := strconv.Atoi(st.ID); maxID != 0 && id >= maxID {
			continue
		}
		if len(page) == limit {
			more = true
			break
		}
		page = append(page, st.entity())
		last = st.ID
	}
	s.mu.Unlock()
	if more {
		w.Header().Set("Link", "<"+s.URL+"/api/v1/accounts/1/statuses?limit="+strconv.Itoa(limit)+"&max_id="+last+`>; rel="next"`)
	}
	if page == nil {
		page = []any{}
	}
	writeJSON(w, http.StatusOK, page)
}

func (s *Server) source(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.statuses {
		if st.ID == r.PathValue("id") {
			writeJSON(w, http.StatusOK, map[string]any{"id": st.ID, "text": st.Text, "spoiler_text": st.Spoiler})
			return
		}
	}
	notFound(w)
}

func (s *Server) listScheduled(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.noScheduling {
		notFound(w)
		return
	}
	list := make([]any, 0, len(s.scheduled))
	for i := len(s.scheduled) - 1; i >= 0; i-- {
		list = append(list, s.scheduled[i].entity())
	}
	writeJSON(w, http.StatusOK, list)
}

// findScheduled returns the index of scheduled status id, or -1. Called
// with mu held.
func (s *Server) findScheduled(id string) int {
	for i, sc := range s.scheduled {
		if sc.ID == id {
			return i
		}
	}
	return -1
}

func (s *Server) getScheduled(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.findScheduled(r.PathValue("id"))
	if i < 0 || s.noScheduling {
		notFound(w)
		return
	}
	writeJSON(w, http.StatusOK, s.scheduled[i].entity())
}

func (s *Server) updateScheduled(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.findScheduled(r.PathValue("id"))
	if i < 0 || s.noScheduling {
		notFound(w)
		return
	}
	if at := r.PostForm.Get("scheduled_at"); at != "" {
		when, err := time.Parse(time.RFC3339, at)
		if err != nil || when.Before(s.now.Add(MinLead)) {
			writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": "Validation failed: Scheduled at The scheduled date must be in the future"})
			return
		}
		s.scheduled[i].At = when.UTC()
	}
	writeJSON(w, http.StatusOK, s.scheduled[i].entity())
}

func (s *Server) deleteScheduled(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.findScheduled(r.PathValue("id"))
	if i < 0 || s.noScheduling {
		notFound(w)
		return
	}
	s.scheduled = append(s.scheduled[:i], s.scheduled[i+1:]...)
	writeJSON(w, http.StatusOK, map[string]any{})
}
