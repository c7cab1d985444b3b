package mastodon

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"chancery/feeds"
)

func TestPublishSendsEverything(t *testing.T) {
	f, n, acct, _ := setup(t, WithVisibility("unlisted"))
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
	out := feeds.Outgoing{
		Text:           "Bonjour @consul@other.example https://www.canada.ca/fr.html",
		Lang:           "fr",
		ReplyTo:        "113000000000000002:112999999999999999",
		ContentWarning: "Politique",
		IdempotencyKey: "outbox-42",
		Media: []feeds.OutgoingMedia{
			{Name: "carte.png", MIME: "image/png", Data: png, Alt: "Carte de la circonscription"},
			{Name: "../../etc/photo", Data: []byte("\xff\xd8\xff\xe0 jpeg"), Alt: ""},
		},
	}
	pub, err := n.Publish(context.Background(), acct, out)
	if err != nil {
		t.Fatal(err)
	}
	if pub.RemoteID == "" || pub.URL != "https://social.example/@ambassade/"+pub.RemoteID {
		t.Errorf("published = %+v", pub)
	}
	if c := f.count("POST /api/v2/media"); c != 2 {
		t.Fatalf("uploads = %d", c)
	}
	up := f.last(t, "POST /api/v2/media")
	if up.Files["file"] != "image/jpeg;photo;"+strconv.Itoa(len(out.Media[1].Data)) || up.Form.Has("description") {
		t.Errorf("second upload: files %v form %v", up.Files, up.Form)
	}
	if c := f.count("GET /api/v1/media/22348001"); c != 3 {
		t.Errorf("media 22348001 polled %d times, want 3 (206, 206, 200)", c)
	}
	req := f.last(t, "POST /api/v1/statuses")
	if got := req.Header.Get("Idempotency-Key"); got != "outbox-42" {
		t.Errorf("Idempotency-Key = %q", got)
	}
	want := map[string][]string{
		"status":         {out.Text},
		"language":       {"fr"},
		"spoiler_text":   {"Politique"},
		"in_reply_to_id": {"112999999999999999"},
		"visibility":     {"unlisted"},
		"media_ids[]":    {"22348001", "22348002"},
	}
	for k, v := range want {
		if !slices.Equal(req.Form[k], v) {
			t.Errorf("form %s = %q, want %q", k, req.Form[k], v)
		}
	}
	if req.Header.Get("Authorization") != "Bearer "+testToken {
		t.Error("no token on create")
	}
}

func TestPublishUploadCarriesAltText(t *testing.T) {
	f, n, acct, _ := setup(t)
	_, err := n.Publish(context.Background(), acct, feeds.Outgoing{
		Text: "x", IdempotencyKey: "k",
		Media: []feeds.OutgoingMedia{{Name: "a.png", MIME: "image/png", Data: []byte("png"), Alt: "Façade de l'ambassade"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	up := f.last(t, "POST /api/v2/media")
	if up.Form.Get("description") != "Façade de l'ambassade" || up.Files["file"] != "image/png;a.png;3" {
		t.Errorf("upload form %v files %v", up.Form, up.Files)
	}
}

func TestPublishRetryCreatesOneStatus(t *testing.T) {
	f, n, acct, _ := setup(t)
	// The first answer is lost on the way back (the server created the
	// status, the client saw a 502); the retry with the same key gets the
	// status already created.
	var once sync.Once
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		lost := false
		if r.URL.Path == "/api/v1/statuses" {
			once.Do(func() { lost = true })
		}
		if !lost {
			return false
		}
		f.createStatus(httptest.NewRecorder(), r)
		writeJSON(w, http.StatusBadGateway, `<html>bad gateway</html>`)
		return true
	})
	out := feeds.Outgoing{Text: "Communiqué", IdempotencyKey: "entry-7"}
	_, err := n.Publish(context.Background(), acct, out)
	var ra *feeds.RetryAfterError
	if !errors.As(err, &ra) || !errors.Is(err, feeds.ErrServer) {
		t.Fatalf("first attempt: %v", err)
	}
	first, err := n.Publish(context.Background(), acct, out)
	if err != nil {
		t.Fatal(err)
	}
	second, err := n.Publish(context.Background(), acct, out)
	if err != nil {
		t.Fatal(err)
	}
	if f.statuses() != 1 || first.RemoteID != second.RemoteID {
		t.Fatalf("created %d statuses (ids %s, %s), want 1", f.statuses(), first.RemoteID, second.RemoteID)
	}
	if c := f.count("POST /api/v1/statuses"); c != 3 {
		t.Errorf("%d create requests", c)
	}
	// A different outbox entry is a different status.
	other, err := n.Publish(context.Background(), acct, feeds.Outgoing{Text: "Communiqué", IdempotencyKey: "entry-8"})
	if err != nil || other.RemoteID == first.RemoteID {
		t.Fatalf("other entry: %+v, %v", other, err)
	}
}

func TestPublishWithoutKeyDerivesOne(t *testing.T) {
	f, n, acct, _ := setup(t)
	out := feeds.Outgoing{Text: "same"}
	a, _ := n.Publish(context.Background(), acct, out)
	b, _ := n.Publish(context.Background(), acct, out)
	if a.RemoteID == "" || a.RemoteID != b.RemoteID || f.statuses() != 1 {
		t.Fatalf("ids %q %q, created %d", a.RemoteID, b.RemoteID, f.statuses())
	}
	if k := f.last(t, "POST /api/v1/statuses").Header.Get("Idempotency-Key"); !strings.HasPrefix(k, "chancery-") {
		t.Errorf("derived key = %q", k)
	}
}

func TestPublishRejections(t *testing.T) {
	f, n, acct, _ := setup(t)
	if _, err := n.Publish(context.Background(), acct, feeds.Outgoing{Text: "  "}); !errors.Is(err, feeds.ErrRejected) {
		t.Errorf("empty: %v", err)
	}
	if _, err := n.Publish(context.Background(), acct, feeds.Outgoing{Text: "x", ReplyTo: "n495:"}); !errors.Is(err, feeds.ErrUnsupported) {
		t.Errorf("reply to a follow: %v", err)
	}
	answer(f, 422, `{"error": "Validation failed: Text character limit of 500 exceeded"}`, nil)
	_, err := n.Publish(context.Background(), acct, feeds.Outgoing{Text: "x", IdempotencyKey: "k"})
	var se *feeds.StatusError
	if !errors.As(err, &se) || se.Status != 422 || !strings.Contains(err.Error(), "character limit") {
		t.Errorf("422: %v", err)
	}
}

func TestMediaProcessingFailure(t *testing.T) {
	f, n, acct, _ := setup(t)
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasPrefix(r.URL.Path, "/api/v1/media/") {
			writeJSON(w, http.StatusUnprocessableEntity, `{"error": "Validation failed: File content type is invalid, File is invalid"}`)
			return true
		}
		return false
	})
	_, err := n.Publish(context.Background(), acct, feeds.Outgoing{
		Text: "x", IdempotencyKey: "k", Media: []feeds.OutgoingMedia{{Name: "a.png", Data: []byte("x")}},
	})
	if !errors.Is(err, feeds.ErrRejected) || !strings.Contains(err.Error(), "media 1") {
		t.Fatalf("err = %v", err)
	}
	if f.count("POST /api/v1/statuses") != 0 {
		t.Error("status created although its media failed")
	}
}

func TestLengthUsesCachedLimits(t *testing.T) {
	_, n, acct, _ := setup(t)
	if used, limit := n.Length(acct, "Bonjour"); used != 7 || limit != DefaultMaxLength {
		t.Errorf("before sign-in: %d/%d", used, limit)
	}
	if _, _, err := n.SignIn(context.Background(), acct, testToken); err != nil {
		t.Fatal(err)
	}
	long := "Voir https://www.canada.ca/en/immigration-refugees-citizenship/services/visit-canada.html @consul@other.example"
	used, limit := n.Length(acct, long)
	if limit != 1000 || used != len("Voir ")+23+1+len("@consul") {
		t.Errorf("after sign-in: %d/%d", used, limit)
	}
}
