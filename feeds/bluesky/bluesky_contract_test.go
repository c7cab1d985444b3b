package bluesky

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/feeds/contract"
)

// blueskyStyle is how a PDS answers errors and limits: an XRPC error body
// {"error": NAME, "message": …} and RateLimit-* headers with the reset in
// Unix seconds.
var blueskyStyle = contract.Style{
	ContentType: "application/json; charset=utf-8",
	Error: func(code int) string {
		switch code {
		case http.StatusUnauthorized:
			return `{"error":"AuthenticationRequired","message":"Authentication Required"}`
		case http.StatusTooManyRequests:
			return `{"error":"RateLimitExceeded","message":"Rate Limit Exceeded"}`
		}
		return `{"error":"InternalServerError","message":"Internal Server Error"}`
	},
	Malformed: `{"cursor":"page2","feed":[{"post":{"uri":"at://did:plc:alice5example6test7abcd/app.bsky.feed.post/3lalice1aaa22","cid":"bafy`,
	RateLimit: func(reset time.Time) http.Header {
		return http.Header{
			"Ratelimit-Limit":     {"3000"},
			"Ratelimit-Remaining": {"0"},
			"Ratelimit-Reset":     {strconv.FormatInt(reset.Unix(), 10)},
			"Ratelimit-Policy":    {"3000;w=300"},
		}
	},
}

func TestContract(t *testing.T) {
	contract.Run(t, contract.Harness{
		Start:    startContract,
		Kinds:    []feeds.Kind{feeds.Home, feeds.Mentions, feeds.Own, "search:visa", "tag:visa", feeds.Feed},
		Paged:    feeds.Home,
		PagedMin: 4,
		// Graphemes, links counting as written.
		Lengths:     map[string]int{"ascii": 37, "url": 64, "cjk": 12, "emoji": 11},
		LengthLimit: MaxGraphemes,
	})
}

// startContract signs an account in at the fake entryway; its DID document
// names a PDS behind the suite's fault switches.
func startContract(t *testing.T) contract.Fixture {
	t.Helper()
	f := newFakeServer(t)
	faults := contract.NewFaults(blueskyStyle)
	pds := httptest.NewServer(faults.Wrap(sortedLists(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { f.serve(w, r, "pds") }))))
	t.Cleanup(pds.Close)
	f.set(func(f *fakeServer) { f.movedTo = pds })
	n, acct, secrets := signedIn(t, f)
	session := storedSession(t, secrets, acct.ID)
	return contract.Fixture{
		// The fake's getPostThread always answers A1's conversation.
		Net: n, Account: acct, Faults: faults, Now: f.clock.Now, ActOn: uriA1,
		Secrets: []string{testPassword, session.AccessJwt, session.RefreshJwt},
		SignIn: contract.SignInCase{
			Account: accounts.Account{Mission: "vienna", Network: accounts.Bluesky, Handle: testHandle},
			Secret:  testPassword, BadSecret: "wxyz-wron-gpas-swrd",
		},
	}
}

// sortedLists puts the items of getTimeline and listNotifications answers
// in the order the AppView documents, newest first by sort time (a
// repost's time, else the earlier of a record's createdAt and indexedAt),
// which the fake's fixtures do not keep.
func sortedLists(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		field := map[string]string{"/xrpc/app.bsky.feed.getTimeline": "feed", "/xrpc/app.bsky.notification.listNotifications": "notifications"}[r.URL.Path]
		if field == "" {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var body map[string]json.RawMessage
		var items []sortable
		if rec.Code == http.StatusOK && json.Unmarshal(rec.Body.Bytes(), &body) == nil && json.Unmarshal(body[field], &items) == nil {
			slices.SortStableFunc(items, func(a, b sortable) int { return b.at().Compare(a.at()) })
			body[field], _ = json.Marshal(items)
			b, _ := json.Marshal(body)
			rec.Body = bytes.NewBuffer(b)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// sortable is a feed item or a notification, kept whole.
type sortable struct{ raw json.RawMessage }

func (s sortable) MarshalJSON() ([]byte, error) { return s.raw, nil }

func (s *sortable) UnmarshalJSON(b []byte) error {
	s.raw = bytes.Clone(b)
	return nil
}

// at is the item's sort time.
func (s sortable) at() time.Time {
	var item struct {
		IndexedAt string `json:"indexedAt"`
		Record    struct {
			CreatedAt string `json:"createdAt"`
		} `json:"record"`
		Post   json.RawMessage `json:"post"`
		Reason *struct {
			IndexedAt string `json:"indexedAt"`
		} `json:"reason"`
	}
	_ = json.Unmarshal(s.raw, &item)
	if item.Reason != nil && item.Reason.IndexedAt != "" {
		return stamp(item.Reason.IndexedAt)
	}
	if item.Post != nil {
		return sortable{raw: item.Post}.at()
	}
	created, indexed := stamp(item.Record.CreatedAt), stamp(item.IndexedAt)
	if created.IsZero() || indexed.Before(created) {
		return indexed
	}
	return created
}

func stamp(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}
