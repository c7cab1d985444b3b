package faulttest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds/facebook"
	"chancery/feeds/facebook/fbtest"
	"chancery/storage"
)

// facebookTarget is a Page on the fbtest Graph server, which, as Graph,
// has no idempotency key at all: only the check of the Page's recent
// posts (and of the comments on what a reply answers) keeps a lost answer
// from publishing twice.
func facebookTarget(t *testing.T, clk *clock, mode fault, times int, db *storage.DB) target {
	srv := fbtest.New(clk.now())
	srv.UseClock(clk.now)
	t.Cleanup(srv.Close)
	parent := srv.AddPost("Visa : nouveaux horaires", clk.now().Add(-time.Hour))
	comment := srv.AddComment(parent, "201", "Jan de Vries", "Ook op zaterdag?", clk.now().Add(-time.Minute))
	prefix := "/" + fbtest.Version + "/"
	p := newProxy(t, srv.URL, mode, times, suitePosts*times,
		func(r *http.Request) bool {
			return r.Method == http.MethodPost &&
				(r.URL.Path == prefix+fbtest.PageID+"/feed" || strings.HasSuffix(r.URL.Path, "/comments"))
		},
		func(r *http.Request) bool {
			return r.Method == http.MethodGet &&
				(strings.HasSuffix(r.URL.Path, "/published_posts") || strings.HasSuffix(r.URL.Path, "/comments"))
		})
	secrets := &memSecrets{}
	acct := accounts.Account{
		ID: "vienna-facebook", Mission: "vienna", Network: accounts.Facebook,
		Server: p.srv.URL + "/" + fbtest.Version, Handle: fbtest.PageID,
	}
	_ = secrets.SetSecret(acct.ID, fbtest.PageToken)
	seeded := len(srv.Posts()) + len(srv.Comments())
	return target{
		acct: acct, net: facebook.New(secrets, facebook.WithTimeout(clientTimeout), facebook.WithClock(clk.now)),
		posts: []post{
			{"plain", "Le consulat sera fermé lundi 1er décembre.", "", ""},
			{"reply to a comment", "Nee, alleen doordeweeks. Dank u!", "", comment},
			{"link", "Rendez-vous pour les visas : https://www.example.org/visa?lang=fr #visa", "", ""},
			{"content warning", "Détails de l'incident de sécurité près de l'ambassade.", "Sécurité", ""},
		},
		copies: func(text string) (int, string) { return pageCopies(srv, text) },
		total:  func() int { return len(srv.Posts()) + len(srv.Comments()) - seeded },
		proxy:  p,
	}
}

// pageCopies counts the Page's posts and comments made of text (below a
// content warning, if any) and returns the id of the last.
func pageCopies(srv *fbtest.Server, text string) (int, string) {
	n, id := 0, ""
	match := func(msg string) bool { return msg == text || strings.HasSuffix(msg, "\n\n"+text) }
	for _, p := range srv.Posts() {
		if match(p.Message) {
			n, id = n+1, p.ID
		}
	}
	for _, c := range srv.Comments() {
		if c.FromID == fbtest.PageID && match(c.Message) {
			n, id = n+1, c.ID
		}
	}
	return n, id
}

func TestFacebookLostAnswersNeverDuplicateOrLosePosts(t *testing.T) {
	for _, mode := range []fault{dropAnswer, holdAnswer, resetMidBody} {
		for _, times := range []int{1, 2} {
			t.Run(fmt.Sprintf("%s/%dx", mode, times), func(t *testing.T) {
				tg, out := run(t, facebookTarget, mode, times, false)
				if lost := tg.proxy.lostAnswers(); lost < len(tg.posts)*times {
					t.Errorf("only %d answers lost, want at least %d", lost, len(tg.posts)*times)
				}
				check(t, tg, out)
			})
		}
	}
}

// Without the check, Graph, which has no idempotency key, publishes twice:
// the suite can see a Facebook duplicate.
func TestFacebookWithoutTheCheckDuplicates(t *testing.T) {
	tg, _ := run(t, facebookTarget, dropAnswer, 1, true)
	if total := tg.total(); total <= len(tg.posts) {
		t.Errorf("%d copies of %d posts: the suite cannot see duplicates", total, len(tg.posts))
	}
}
