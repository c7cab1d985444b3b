package facebook

import (
	"encoding/json"
	"net/http"
	"testing"

	"chancery/accounts"
)

func FuzzParseGraphError(f *testing.F) {
	f.Add([]byte(`{"error":{"message":"(#200) Requires pages_manage_posts permission","type":"OAuthException","code":200,"fbtrace_id":"x"}}`))
	f.Add([]byte(`{"error":{"code":190,"error_subcode":463}}`))
	f.Add([]byte(`{"error":"string"}`))
	f.Add([]byte(`<html>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ge, ok := parseGraphError(body)
		if !ok {
			return
		}
		for _, st := range []int{400, 403, 500} {
			ge.Status = st
			ge.classify("pages_manage_posts", 0)
			if ge.kind == nil || ge.Error() == "" {
				t.Fatalf("%s: no classification", body)
			}
		}
	})
}

func FuzzDecodePosts(f *testing.F) {
	f.Add([]byte(`{"data":[{"id":"1_2","message":"hi","created_time":"2026-12-02T10:00:00+0000","comments":{"data":[{"id":"2_3","from":{"id":"9","name":"A"},"parent":{"id":"2_1"}}]},"attachments":{"data":[{"subattachments":{"data":[{"media":{"image":{"src":"https://x/1.jpg"}}}]}}]}}],"paging":{"cursors":{"after":"QQ"},"next":"https://g/x?access_token=t&after=QQ"}}`))
	f.Add([]byte(`{"data":[],"paging":{"next":"::::"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var list struct {
			Data   []postNode `json:"data"`
			Paging paging     `json:"paging"`
		}
		if json.Unmarshal(body, &list) != nil {
			return
		}
		acct := accounts.Account{ID: "a", Handle: "1"}
		for _, p := range list.Data {
			_ = p.post(acct)
			_ = p.scheduled()
		}
		_ = comments(acct, "1", list.Data)
		if c := list.Paging.older(); c != "" {
			if err := applyCursor(map[string][]string{}, c); err != nil {
				t.Fatalf("cursor %q: %v", c, err)
			}
		}
	})
}

func FuzzUsageWait(f *testing.F) {
	f.Add(`{"call_count":100}`, `{"1":[{"estimated_time_to_regain_access":5}]}`)
	f.Fuzz(func(t *testing.T, app, buc string) {
		h := http.Header{}
		h.Set("X-App-Usage", app)
		h.Set("X-Business-Use-Case-Usage", buc)
		if w := usageWait(h); w < 0 {
			t.Fatalf("negative wait %s", w)
		}
	})
}
