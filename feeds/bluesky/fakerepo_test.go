package bluesky

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/bluesky-social/indigo/atproto/syntax"
	"github.com/rivo/uniseg"
)

// The fake's repository: com.atproto.repo.* as a PDS serves them, with the
// checks a PDS makes (repo is the caller's, $type matches the collection,
// post keys are TIDs, text within 300 graphemes, facets within the text).

func fmtHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:20]))
}

func (f *fakeServer) seedRecords() {
	rec, _ := json.Marshal(obj{"$type": "app.bsky.feed.like", "subject": ref(uriA1), "createdAt": "2026-03-14T08:10:00.000Z"})
	f.records["app.bsky.feed.like/3lmylike1aa22"] = rec
}

func (f *fakeServer) repo(w http.ResponseWriter, r *http.Request, nsid string) {
	switch nsid {
	case "com.atproto.repo.createRecord":
		f.createRecord(w, r)
	case "com.atproto.repo.getRecord":
		q := r.URL.Query()
		key := q.Get("collection") + "/" + q.Get("rkey")
		rec, ok := f.records[key]
		if q.Get("repo") != f.did || !ok {
			xrpcError(w, 400, "RecordNotFound", "Could not locate record: at://"+q.Get("repo")+"/"+key)
			return
		}
		uri := "at://" + f.did + "/" + key
		writeJSON(w, 200, obj{"uri": uri, "cid": cidOf(uri), "value": json.RawMessage(rec)})
	case "com.atproto.repo.deleteRecord":
		var in struct{ Repo, Collection, Rkey string }
		if json.NewDecoder(r.Body).Decode(&in) != nil || in.Repo != f.did {
			xrpcError(w, 400, "InvalidRequest", "bad delete")
			return
		}
		if _, ok := f.records[in.Collection+"/"+in.Rkey]; !ok {
			writeJSON(w, 200, obj{}) // no record: a no-op, without a commit
			return
		}
		delete(f.records, in.Collection+"/"+in.Rkey)
		writeJSON(w, 200, obj{"commit": obj{"cid": "bafyreicommit", "rev": "3lrev"}})
	case "com.atproto.repo.uploadBlob":
		f.uploadBlob(w, r)
	default:
		xrpcError(w, 501, "MethodNotImplemented", "Method Not Implemented")
	}
}

func (f *fakeServer) uploadBlob(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(r.Body)
	mime := r.Header.Get("Content-Type")
	if err != nil || len(data) == 0 || !strings.HasPrefix(mime, "image/") {
		xrpcError(w, 400, "InvalidRequest", "bad blob")
		return
	}
	cid := "bafkrei" + fmtHash(string(data))
	f.blobs[cid] = mime
	writeJSON(w, 200, obj{"blob": obj{"$type": "blob", "ref": obj{"$link": cid}, "mimeType": mime, "size": len(data)}})
}

type createInput struct {
	Repo       string          `json:"repo"`
	Collection string          `json:"collection"`
	Rkey       string          `json:"rkey"`
	Record     json.RawMessage `json:"record"`
}

func (f *fakeServer) createRecord(w http.ResponseWriter, r *http.Request) {
	var in createInput
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Repo != f.did {
		xrpcError(w, 400, "InvalidRequest", "Input/repo must be the caller's")
		return
	}
	if in.Rkey == "" {
		f.seq++
		in.Rkey = syntax.NewTIDFromInteger(uint64(f.seq) << 10).String()
	}
	if msg := validateRecord(in); msg != "" {
		xrpcError(w, 400, "InvalidRequest", msg)
		return
	}
	key := in.Collection + "/" + in.Rkey
	if _, exists := f.records[key]; exists {
		d := f.dupReply
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(d.status)
		_, _ = io.WriteString(w, d.body)
		return
	}
	f.records[key] = in.Record
	if f.loseNext && in.Collection == collPost {
		f.loseNext = false
		w.WriteHeader(http.StatusBadGateway) // committed, but the answer is lost
		return
	}
	uri := "at://" + f.did + "/" + key
	writeJSON(w, 200, obj{
		"uri": uri, "cid": cidOf(uri), "commit": obj{"cid": "bafyreicommit", "rev": in.Rkey},
		"validationStatus": "valid",
	})
}

// validateRecord returns why a PDS would refuse the record, or "".
func validateRecord(in createInput) string {
	var head struct {
		Type string `json:"$type"`
	}
	if json.Unmarshal(in.Record, &head) != nil || head.Type != in.Collection {
		return "Invalid $type: must match collection"
	}
	if in.Collection != collPost {
		return ""
	}
	if _, err := syntax.ParseTID(in.Rkey); err != nil {
		return "Invalid record key: must be a TID"
	}
	var rec postRecord
	if json.Unmarshal(in.Record, &rec) != nil {
		return "Invalid app.bsky.feed.post record"
	}
	if uniseg.GraphemeClusterCount(rec.Text) > 300 {
		return "Record/text must not be longer than 300 graphemes"
	}
	for _, fc := range rec.Facets {
		s, e := fc.Index.ByteStart, fc.Index.ByteEnd
		if s < 0 || e > len(rec.Text) || s >= e || !utf8.RuneStart(rec.Text[s]) {
			return "Record/facets: byte slice out of range"
		}
	}
	return ""
}

// ownView shows a post of the account's repository as the AppView would.
func (f *fakeServer) ownView(uri string) (obj, bool) {
	prefix := "at://" + f.did + "/"
	key, ok := strings.CutPrefix(uri, prefix)
	if !ok || !strings.HasPrefix(key, collPost+"/") {
		return nil, false
	}
	raw, ok := f.records[key]
	if !ok {
		return nil, false
	}
	var rec obj
	_ = json.Unmarshal(raw, &rec)
	return view(uri, me, rec, nil), true
}

// findSubject returns the URI of the account's record of collection whose
// subject is uri, or "".
func (f *fakeServer) findSubject(collection, uri string) string {
	for key, raw := range f.records {
		if !strings.HasPrefix(key, collection+"/") {
			continue
		}
		var rec subjectRecord
		if json.Unmarshal(raw, &rec) == nil && rec.Subject.URI == uri {
			return "at://" + f.did + "/" + key
		}
	}
	return ""
}

// posts returns the account's post records, decoded.
func (f *fakeServer) posts() map[string]postRecord {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]postRecord{}
	for key, raw := range f.records {
		if rkey, ok := strings.CutPrefix(key, collPost+"/"); ok {
			var rec postRecord
			_ = json.Unmarshal(raw, &rec)
			out[rkey] = rec
		}
	}
	return out
}

// recordsOf counts the account's records of a collection.
func (f *fakeServer) recordsOf(collection string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for key := range f.records {
		if strings.HasPrefix(key, collection+"/") {
			n++
		}
	}
	return n
}
