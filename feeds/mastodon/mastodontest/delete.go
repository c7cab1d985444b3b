package mastodontest

import (
	"net/http"
	"slices"
)

// deleteStatus is DELETE /api/v1/statuses/:id: the deleted Status, with
// its source "text" for a redraft; 404 "Record not found" for a status
// that is not (or no longer) the account's own.
func (s *Server) deleteStatus(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.statuses, func(st Status) bool { return st.ID == r.PathValue("id") })
	if i < 0 {
		notFound(w)
		return
	}
	st := s.statuses[i]
	s.statuses = slices.Delete(s.statuses, i, i+1)
	e := st.entity()
	e["text"] = st.Text
	writeJSON(w, http.StatusOK, e)
}
