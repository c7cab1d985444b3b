package faulttest

import (
	"net/http"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds/x"
	"chancery/feeds/x/xtest"
	"chancery/storage"
)

// xTarget is X behind the proxy: it has no idempotency key at all, so only
// the check of the account's own recent posts keeps a lost answer from
// publishing twice. The server's clock is the suite's, so access tokens
// expire as the hours pass and are refreshed on the way.
func xTarget(t *testing.T, clk *clock, mode fault, times int, db *storage.DB) target {
	f := xtest.New(t, xtest.WithClock(clk.now))
	parent := f.AddMention("bob_k", "Bob", "is the visa office open Monday?", "", clk.now().Add(-time.Hour))
	own := "/2/users/" + xtest.UserID + "/tweets"
	p := newProxy(t, f.URL, mode, times, suitePosts*times,
		func(r *http.Request) bool { return r.Method == http.MethodPost && r.URL.Path == "/2/tweets" },
		func(r *http.Request) bool { return r.Method == http.MethodGet && r.URL.Path == own })
	secrets := &memSecrets{}
	acct := accounts.Account{ID: "vienna-x", Mission: "vienna", Network: accounts.X, Server: p.srv.URL, Handle: "@" + xtest.Username}
	_ = secrets.SetSecret(acct.ID, f.Secret(2*time.Hour))
	posts := []post{
		{"plain", "Le consulat sera fermé lundi 1er décembre.", "", ""},
		{"reply with a mention", "@bob_k Merci, le formulaire est en ligne.", "", parent},
		{"link", "Rendez-vous pour les visas : https://www.example.org/visa?lang=fr #visa & plus", "", ""},
		{"chinese", "领事馆12月1日星期一闭馆。", "", ""},
	}
	copies := func(text string) (int, string) {
		n, id := 0, ""
		for _, st := range f.Posts() {
			if st.Text == storedText(text) {
				n, id = n+1, st.ID
			}
		}
		return n, id
	}
	return target{
		acct: acct, net: x.New(secrets, db, x.WithTimeout(clientTimeout), x.WithClock(clk.now)),
		posts: posts, copies: copies, total: func() int { return len(f.Posts()) }, proxy: p,
	}
}

// storedText is text as the fake X keeps it (links shortened, & escaped).
func storedText(text string) string {
	if text == "Rendez-vous pour les visas : https://www.example.org/visa?lang=fr #visa & plus" {
		return "Rendez-vous pour les visas : https://t.co/Lk1 #visa &amp; plus"
	}
	return text
}

// Without the check, X (which has no idempotency key) gets a second copy
// of a post whose answer was lost: the X target can see duplicates.
func TestXWithoutTheCheckDuplicates(t *testing.T) {
	tg, _ := run(t, xTarget, dropAnswer, 1, true)
	if total := tg.total(); total <= len(tg.posts) {
		t.Errorf("%d copies of %d posts: the X target cannot see duplicates", total, len(tg.posts))
	}
}
