package xtest

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
)

func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		Problem(w, http.StatusBadRequest, "Invalid Request", "One or more parameters to your request was invalid.", "https://api.twitter.com/2/problems/invalid-request")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f := r.MultipartForm.Value
	get := func(k string) string {
		if v := f[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	m := s.media[get("media_id")]
	switch get("command") {
	case "INIT":
		size, err := strconv.Atoi(get("total_bytes"))
		cat := get("media_category")
		if err != nil || size <= 0 || get("media_type") == "" || (cat != "" && cat != "tweet_image" && cat != "tweet_gif" && cat != "tweet_video") {
			Problem(w, http.StatusBadRequest, "Invalid Request", "total_bytes and media_type are required.", "https://api.twitter.com/2/problems/invalid-request")
			return
		}
		id := s.newID()
		s.media[id] = &Media{ID: id, Type: get("media_type"), Size: size}
		writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"id": id, "media_key": "3_" + id, "expires_after_secs": 86400}})
	case "APPEND":
		files := r.MultipartForm.File["media"]
		if m == nil || m.Finalized || len(files) != 1 || get("segment_index") == "" {
			Problem(w, http.StatusBadRequest, "Invalid Request", "Segment or media id invalid.", "https://api.twitter.com/2/problems/invalid-request")
			return
		}
		fh, _ := files[0].Open()
		n, _ := io.Copy(io.Discard, fh)
		fh.Close()
		m.Got += int(n)
		w.WriteHeader(http.StatusNoContent)
	case "FINALIZE":
		if m == nil || m.Got != m.Size {
			Problem(w, http.StatusBadRequest, "Invalid Request", "File size does not match the bytes received.", "https://api.twitter.com/2/problems/invalid-request")
			return
		}
		m.Finalized, m.State = true, "succeeded"
		data := map[string]any{"id": m.ID, "media_key": "3_" + m.ID, "size": m.Size, "expires_after_secs": 86400}
		if s.slowMedia > 0 || s.failMedia {
			m.State = "pending"
			data["processing_info"] = map[string]any{"state": "pending", "check_after_secs": 1}
		}
		writeJSON(w, http.StatusOK, map[string]any{"data": data})
	default:
		Problem(w, http.StatusBadRequest, "Invalid Request", "Unknown command.", "https://api.twitter.com/2/problems/invalid-request")
	}
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.media[r.URL.Query().Get("media_id")]
	if m == nil || r.URL.Query().Get("command") != "STATUS" || !m.Finalized {
		Problem(w, http.StatusBadRequest, "Invalid Request", "Invalid media id.", "https://api.twitter.com/2/problems/invalid-request")
		return
	}
	m.polls++
	info := map[string]any{"state": m.State}
	switch {
	case m.State == "succeeded", m.State == "failed":
	case m.polls > s.slowMedia && s.failMedia:
		m.State = "failed"
		info = map[string]any{"state": "failed", "error": map[string]any{"code": 1, "name": "InvalidMedia", "message": "Unsupported image."}}
	case m.polls > s.slowMedia:
		m.State = "succeeded"
		info = map[string]any{"state": "succeeded", "progress_percent": 100}
	default:
		m.State = "in_progress"
		info = map[string]any{"state": "in_progress", "check_after_secs": 1, "progress_percent": 50}
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"id": m.ID, "media_key": "3_" + m.ID, "processing_info": info}})
}

func (s *Server) metadata(w http.ResponseWriter, r *http.Request) {
	var body struct {
		ID       string `json:"id"`
		Metadata struct {
			AltText struct {
				Text string `json:"text"`
			} `json:"alt_text"`
		} `json:"metadata"`
	}
	err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&body)
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.media[body.ID]
	if err != nil || m == nil || len([]rune(body.Metadata.AltText.Text)) > 1000 {
		Problem(w, http.StatusBadRequest, "Invalid Request", "One or more parameters to your request was invalid.", "https://api.twitter.com/2/problems/invalid-request")
		return
	}
	m.Alt = body.Metadata.AltText.Text
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"id": m.ID, "associated_metadata": map[string]any{"alt_text": map[string]string{"text": m.Alt}}}})
}
