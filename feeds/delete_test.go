package feeds

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestGoneReadsNotFoundAndGoneAnswers(t *testing.T) {
	for _, tc := range []struct {
		status int
		gone   bool
	}{
		{http.StatusNotFound, true},
		{http.StatusGone, true},
		{http.StatusBadRequest, false},
		{http.StatusForbidden, false},
		{http.StatusUnprocessableEntity, false},
		{http.StatusInternalServerError, false},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(tc.status)
			_, _ = w.Write([]byte(`{"error":"Record not found"}`))
		}))
		req, _ := http.NewRequest(http.MethodDelete, srv.URL+"/api/v1/statuses/1", nil)
		_, _, err := Do(srv.Client(), req, 1<<10)
		srv.Close()
		if err == nil {
			t.Fatalf("%d: no error", tc.status)
		}
		if got := Gone(fmt.Errorf("delete: %w", err)); got != tc.gone {
			t.Errorf("%d: Gone = %v, want %v (%v)", tc.status, got, tc.gone, err)
		}
	}
	if Gone(errors.New("http 404")) || Gone(nil) {
		t.Error("an error that is no StatusError counted as gone")
	}
}
