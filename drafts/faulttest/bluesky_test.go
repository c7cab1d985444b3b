package faulttest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

const (
	pdsDID       = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
	pdsHandle    = "embassy.example.com"
	pdsAccess    = "access-fault-Wq8n3"
	bobHandle    = "bob.example.com"
	bobDID       = "did:plc:bobbobbobbobbobbobbobbob"
	parentURI    = "at://" + bobDID + "/app.bsky.feed.post/3jzfcijpj2z2a"
	collPost     = "app.bsky.feed.post"
	notFoundBody = "Could not locate record: "
)

// pdsRecord is a record kept by fakePDS.
type pdsRecord struct {
	CID   string
	Text  string
	Value json.RawMessage
}

// fakePDS answers like an AT Protocol PDS, after the lexicons of
// com.atproto.repo.createRecord and getRecord, identity.resolveHandle and
// app.bsky.feed.getPosts: a create with an existing record key fails (the
// reference PDS answers 500), getRecord of a missing key answers 400
// RecordNotFound.
type fakePDS struct {
	srv *httptest.Server

	mu      sync.Mutex
	records map[string]pdsRecord // rkey → record, collection app.bsky.feed.post
}

func newFakePDS(t *testing.T) *fakePDS {
	f := &fakePDS{records: map[string]pdsRecord{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /xrpc/com.atproto.repo.createRecord", f.createRecord)
	mux.HandleFunc("GET /xrpc/com.atproto.repo.getRecord", f.getRecord)
	mux.HandleFunc("GET /xrpc/com.atproto.identity.resolveHandle", f.resolveHandle)
	mux.HandleFunc("GET /xrpc/app.bsky.feed.getPosts", f.getPosts)
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+pdsAccess {
			xrpcError(w, http.StatusUnauthorized, "AuthenticationRequired", "Invalid identifier or password")
			return
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func xrpcJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func xrpcError(w http.ResponseWriter, code int, name, msg string) {
	xrpcJSON(w, code, map[string]string{"error": name, "message": msg})
}

func cid(b []byte) string {
	sum := sha256.Sum256(b)
	return "bafyrei" + hex.EncodeToString(sum[:])[:52]
}

func (f *fakePDS) createRecord(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Repo       string          `json:"repo"`
		Collection string          `json:"collection"`
		RKey       string          `json:"rkey"`
		Record     json.RawMessage `json:"record"`
	}
	var rec struct {
		Text string `json:"text"`
	}
	if json.NewDecoder(r.Body).Decode(&in) != nil || json.Unmarshal(in.Record, &rec) != nil ||
		in.Repo != pdsDID || in.Collection != collPost || in.RKey == "" {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Input must have a repo, a collection and a record")
		return
	}
	f.mu.Lock()
	_, exists := f.records[in.RKey]
	if !exists {
		f.records[in.RKey] = pdsRecord{CID: cid(in.Record), Text: rec.Text, Value: in.Record}
	}
	f.mu.Unlock()
	if exists {
		xrpcError(w, http.StatusInternalServerError, "InternalServerError", "Internal Server Error")
		return
	}
	xrpcJSON(w, http.StatusOK, map[string]any{
		"uri": "at://" + pdsDID + "/" + collPost + "/" + in.RKey, "cid": cid(in.Record),
		"commit": map[string]string{"cid": cid([]byte(in.RKey)), "rev": "3l3qo2vutsw2b"}, "validationStatus": "valid",
	})
}

func (f *fakePDS) getRecord(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	uri := "at://" + q.Get("repo") + "/" + q.Get("collection") + "/" + q.Get("rkey")
	f.mu.Lock()
	rec, ok := f.records[q.Get("rkey")]
	f.mu.Unlock()
	if !ok || q.Get("repo") != pdsDID || q.Get("collection") != collPost {
		xrpcError(w, http.StatusBadRequest, "RecordNotFound", notFoundBody+uri)
		return
	}
	xrpcJSON(w, http.StatusOK, map[string]any{"uri": uri, "cid": rec.CID, "value": rec.Value})
}

func (f *fakePDS) resolveHandle(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("handle") != bobHandle {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Unable to resolve handle")
		return
	}
	xrpcJSON(w, http.StatusOK, map[string]string{"did": bobDID})
}

// getPosts knows one post, the one replied to.
func (f *fakePDS) getPosts(w http.ResponseWriter, r *http.Request) {
	posts := []any{}
	for _, uri := range r.URL.Query()["uris"] {
		if uri == parentURI {
			posts = append(posts, map[string]any{
				"uri": parentURI, "cid": cid([]byte(parentURI)),
				"author":     map[string]string{"did": bobDID, "handle": bobHandle},
				"record":     map[string]string{"$type": collPost, "text": "Where do I apply for a visa?", "createdAt": "2026-11-28T09:00:00.000Z"},
				"replyCount": 0, "repostCount": 0, "likeCount": 0, "indexedAt": "2026-11-28T09:00:00.000Z",
			})
		}
	}
	xrpcJSON(w, http.StatusOK, map[string]any{"posts": posts})
}

// copies counts the records made of text, and returns the AT-URI of one.
func (f *fakePDS) copies(text string) (int, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n, uri := 0, ""
	for rkey, rec := range f.records {
		if rec.Text == text {
			n, uri = n+1, "at://"+pdsDID+"/"+collPost+"/"+rkey
		}
	}
	return n, uri
}

func (f *fakePDS) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.records)
}

// pdsSession is the secret kept for the Bluesky account: a session whose
// access token the fake PDS accepts (not a JWT, so never judged expired).
func pdsSession(pds string) string {
	b, _ := json.Marshal(map[string]string{
		"app_password": "xxxx-xxxx-xxxx-xxxx", "access_jwt": pdsAccess, "refresh_jwt": "refresh-fault",
		"did": pdsDID, "pds": pds, "handle": pdsHandle, "entryway": pds,
	})
	return string(b)
}
