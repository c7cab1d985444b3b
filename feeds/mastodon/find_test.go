package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"chancery/feeds"
)

// ownStatuses answers the account's statuses with list (newest first) and
// each status's source from sources (id → {text, spoiler}); a status with
// no source gets code (404: a server without the endpoint).
func ownStatuses(f *fakeMastodon, list string, sources map[string][2]string, code int) {
	f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/api/v1/accounts/1/statuses":
			writeJSON(w, http.StatusOK, list)
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/source"):
			id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/api/v1/statuses/"), "/source")
			src, ok := sources[id]
			if !ok {
				writeJSON(w, code, `{"error":"Record not found"}`)
				return true
			}
			writeJSON(w, http.StatusOK, fmt.Sprintf(`{"id":%q,"text":%q,"spoiler_text":%q}`, id, src[0], src[1]))
		default:
			return false
		}
		return true
	})
}

func ownStatus(id string, created time.Time, replyTo, lang, spoiler, content string) string {
	reply := "null"
	if replyTo != "" {
		reply = fmt.Sprintf("%q", replyTo)
	}
	return fmt.Sprintf(`{"id":%q,"created_at":%q,"in_reply_to_id":%s,"language":%q,"spoiler_text":%q,"content":%q,
		"url":"https://social.example/@ambassade/%s","reblog":null,"account":{"id":"1","username":"ambassade","acct":"ambassade"}}`,
		id, created.UTC().Format(time.RFC3339Nano), reply, lang, spoiler, content, id)
}

func TestFindPublishedComparesWithTheStoredSource(t *testing.T) {
	now := time.Now()
	mention := `<p><span class="h-card"><a href="https://other.example/@bob" class="u-url mention">@<span>bob</span></a></span> Merci, le formulaire est en ligne : <a href="https://www.example.org/visa" rel="nofollow"><span class="invisible">https://www.</span><span class="">example.org/visa</span></a></p>`
	reply := "@bob@other.example Merci, le formulaire est en ligne : https://www.example.org/visa"
	list := "[" + strings.Join([]string{
		ownStatus("560", now, "", "en", "", "<p>Unrelated</p>"),
		ownStatus("559", now, "", "fr", "Sujet sensible", "<p>Le texte derrière l'avertissement</p>"),
		ownStatus("558", now, "109", "fr", "", mention),
		ownStatus("557", now.Add(-3*time.Hour), "", "fr", "", "<p>Ancien</p>"),
	}, ",") + "]"
	sources := map[string][2]string{
		"560": {"Unrelated", ""},
		"559": {"Le texte derrière  l'avertissement\n", "Sujet sensible"},
		"558": {reply, ""},
		"557": {"Ancien", ""},
	}
	since := now.Add(-time.Minute)
	cases := []struct {
		name  string
		out   feeds.Outgoing
		want  string // remote id, "" for none
		noSrc bool   // the server has no source endpoint
	}{
		{"reply with a mention and a link", feeds.Outgoing{Text: reply, ReplyTo: "109", Lang: "fr"}, "558", false},
		{"same reply, through the rendered content", feeds.Outgoing{Text: reply, ReplyTo: "109", Lang: "fr"}, "558", true},
		{"same text replying to another status", feeds.Outgoing{Text: reply, ReplyTo: "110", Lang: "fr"}, "", false},
		{"same text not a reply", feeds.Outgoing{Text: reply, Lang: "fr"}, "", false},
		{"same text in another language", feeds.Outgoing{Text: reply, ReplyTo: "109", Lang: "de"}, "", false},
		{"content warning", feeds.Outgoing{Text: "Le texte derrière l'avertissement", ContentWarning: "Sujet sensible", Lang: "fr-FR"}, "559", false},
		{"content warning, rendered", feeds.Outgoing{Text: "Le texte derrière l'avertissement", ContentWarning: "Sujet sensible"}, "559", true},
		{"same text without its warning", feeds.Outgoing{Text: "Le texte derrière l'avertissement", Lang: "fr"}, "", false},
		{"another warning", feeds.Outgoing{Text: "Le texte derrière l'avertissement", ContentWarning: "Autre", Lang: "fr"}, "", false},
		{"older than the first attempt", feeds.Outgoing{Text: "Ancien", Lang: "fr"}, "", false},
		{"never published", feeds.Outgoing{Text: "Pas encore", Lang: "fr"}, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, n, acct, _ := setup(t)
			srcs := sources
			if c.noSrc {
				srcs = nil
			}
			ownStatuses(f, list, srcs, http.StatusNotFound)
			pub, found, err := n.FindPublished(context.Background(), acct, c.out, since)
			if err != nil {
				t.Fatal(err)
			}
			if found != (c.want != "") || pub.RemoteID != c.want {
				t.Fatalf("found %v %+v, want %q", found, pub, c.want)
			}
			if found && pub.URL != "https://social.example/@ambassade/"+c.want {
				t.Errorf("url %q", pub.URL)
			}
			if n := f.count("GET /api/v1/statuses/557/source"); n != 0 {
				t.Errorf("the source of a status older than the first attempt was read %d times", n)
			}
		})
	}
}

func TestFindPublishedReportsAFailedCheck(t *testing.T) {
	f, n, acct, _ := setup(t)
	ownStatuses(f, "["+ownStatus("558", time.Now(), "", "en", "", "<p>Hello</p>")+"]", nil, http.StatusBadGateway)
	_, found, err := n.FindPublished(context.Background(), acct, feeds.Outgoing{Text: "Hello"}, time.Now().Add(-time.Minute))
	if found || err == nil || feeds.Classify(err) != feeds.OutcomeUnknown {
		t.Fatalf("a 502 on the source: found %v, %v (%v)", found, err, feeds.Classify(err))
	}
	f.srv.Close()
	_, _, err = n.FindPublished(context.Background(), acct, feeds.Outgoing{Text: "Hello"}, time.Now())
	if err == nil || !errors.Is(err, feeds.ErrOffline) {
		t.Errorf("server gone: %v", err)
	}
}
