package faulttest

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/drafts"
	"chancery/feeds"
	"chancery/feeds/bluesky"
	"chancery/feeds/mastodon"
	"chancery/storage"
)

// clientTimeout is the per-call time limit of the clients in the suite:
// short, so that held answers cost little, yet far above a loopback call.
const clientTimeout = 400 * time.Millisecond

// maxFlushes bounds the flushes a run may need: each post needs at most
// one flush per lost answer, one more per time-out on a busy machine.
const maxFlushes = 40

// suitePosts is the number of posts each run publishes.
const suitePosts = 4

// post is one post of the suite.
type post struct {
	kind, text, warning, replyTo string
}

// target is one network under test, behind its proxy.
type target struct {
	acct   accounts.Account
	net    feeds.Network
	posts  []post
	copies func(text string) (int, string)
	total  func() int
	proxy  *proxy
}

// clock is the outbox's clock, shared with the test server, moved on
// between flushes past any back-off.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type memSecrets struct{ m sync.Map }

func (s *memSecrets) Secret(id string) (string, error) {
	if v, ok := s.m.Load(id); ok {
		return v.(string), nil
	}
	return "", fmt.Errorf("secret %q: %w", id, accounts.ErrNoSecret)
}
func (s *memSecrets) SetSecret(id, v string) error { s.m.Store(id, v); return nil }
func (s *memSecrets) DeleteSecret(id string) error { s.m.Delete(id); return nil }

type oneAccount accounts.Account

func (a oneAccount) Account(id string) (accounts.Account, error) {
	if id != a.ID {
		return accounts.Account{}, accounts.ErrNoAccount
	}
	return accounts.Account(a), nil
}

func mastodonTarget(t *testing.T, clk *clock, mode fault, times int, db *storage.DB) target {
	f := newFakeMastodon(t, clk.now)
	p := newProxy(t, f.srv.URL, mode, times, suitePosts*times,
		func(r *http.Request) bool { return r.Method == http.MethodPost && r.URL.Path == "/api/v1/statuses" },
		func(r *http.Request) bool {
			return r.Method == http.MethodGet && (r.URL.Path == "/api/v1/accounts/1/statuses" || strings.HasSuffix(r.URL.Path, "/source"))
		})
	secrets := &memSecrets{}
	acct := accounts.Account{ID: "vienna-mastodon", Mission: "vienna", Network: accounts.Mastodon, Server: p.srv.URL, Handle: "ambassade"}
	_ = secrets.SetSecret(acct.ID, mastodonToken)
	return target{
		acct: acct, net: mastodon.New(secrets, db, mastodon.WithTimeout(clientTimeout), mastodon.WithClock(clk.now)),
		posts: []post{
			{"plain", "Le consulat sera fermé lundi 1er décembre.", "", ""},
			{"reply with a mention", "@bob@other.example Merci, le formulaire est en ligne.", "", "109347"},
			{"link", "Rendez-vous pour les visas : https://www.example.org/visa?lang=fr #visa", "", ""},
			{"content warning", "Détails de l'incident de sécurité près de l'ambassade.", "Sécurité", ""},
		},
		copies: f.copies, total: f.total, proxy: p,
	}
}

func blueskyTarget(t *testing.T, clk *clock, mode fault, times int, db *storage.DB) target {
	f := newFakePDS(t)
	p := newProxy(t, f.srv.URL, mode, times, suitePosts*times,
		func(r *http.Request) bool { return r.URL.Path == "/xrpc/com.atproto.repo.createRecord" },
		func(r *http.Request) bool { return r.URL.Path == "/xrpc/com.atproto.repo.getRecord" })
	secrets := &memSecrets{}
	acct := accounts.Account{ID: "vienna-bluesky", Mission: "vienna", Network: accounts.Bluesky, Server: p.srv.URL, Handle: pdsHandle}
	_ = secrets.SetSecret(acct.ID, pdsSession(p.srv.URL))
	return target{
		acct: acct, net: bluesky.New(secrets, db, bluesky.WithTimeout(clientTimeout), bluesky.WithClock(clk.now)),
		posts: []post{
			{"plain", "Le consulat sera fermé lundi 1er décembre.", "", ""},
			{"reply with a mention", "@" + bobHandle + " Merci, le formulaire est en ligne.", "", parentURI},
			{"link", "Rendez-vous pour les visas : https://www.example.org/visa?lang=fr #visa", "", ""},
			{"content warning", "Détails de l'incident de sécurité près de l'ambassade.", "Sécurité", ""},
		},
		copies: f.copies, total: f.total, proxy: p,
	}
}

// blindPublisher is the publisher with its check disabled: it always says
// the post is not there, so an uncertain entry is sent again.
type blindPublisher struct{ p drafts.NetworkPublisher }

func (b blindPublisher) Publish(ctx context.Context, e drafts.Entry) (feeds.Published, error) {
	return b.p.Publish(ctx, e)
}

func (blindPublisher) Find(context.Context, drafts.Entry) (feeds.Published, bool, error) {
	return feeds.Published{}, false, nil
}

// outcome is what one run did.
type outcome struct {
	entries []drafts.Entry
	flushes int
}

// run queues the target's posts and flushes until every entry is sent or
// maxFlushes were spent, moving the clock an hour between flushes.
func run(t *testing.T, newTarget func(*testing.T, *clock, fault, int, *storage.DB) target, mode fault, times int, blind bool) (target, outcome) {
	db, err := storage.Open(filepath.Join(t.TempDir(), "chancery.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clk := &clock{t: time.Now().UTC()}
	tg := newTarget(t, clk, mode, times, db)
	pub := drafts.NetworkPublisher{Accounts: oneAccount(tg.acct), Networks: feeds.Registry{tg.acct.Network: tg.net}}
	svc := drafts.NewService(db, clk.now)
	for _, p := range tg.posts {
		d, err := svc.New([]string{tg.acct.ID})
		if err != nil {
			t.Fatal(err)
		}
		d.SetText("fr", p.text)
		d.ContentWarning, d.ReplyTo = p.warning, p.replyTo
		if _, err := svc.Submit(d, pub); err != nil {
			t.Fatalf("%s: %v", p.kind, err)
		}
	}
	var box *drafts.Outbox
	if blind {
		box = drafts.NewOutbox(db, blindPublisher{pub}, clk.now)
	} else {
		box = drafts.NewOutbox(db, pub, clk.now)
	}
	var out outcome
	for out.flushes < maxFlushes {
		out.flushes++
		res, err := box.Flush(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if res.Waiting == 0 && res.Failed == 0 {
			break
		}
		clk.advance(time.Hour)
	}
	if out.entries, err = box.List(); err != nil {
		t.Fatal(err)
	}
	return tg, out
}

// check asserts that every post is on the server exactly once and its
// entry sent with the server's id, and logs the figures.
func check(t *testing.T, tg target, out outcome) {
	t.Helper()
	for i, p := range tg.posts {
		n, id := tg.copies(p.text)
		e := out.entries[i]
		if n != 1 {
			t.Errorf("%s: %d copies on the server", p.kind, n)
		}
		if e.Text != p.text || e.State != drafts.Sent || e.Uncertain || e.RemoteID != id {
			t.Errorf("%s: entry %s (uncertain %v, remote %q, server %q): %s", p.kind, e.State, e.Uncertain, e.RemoteID, id, e.Error)
		}
	}
	t.Logf("%s: %d posts, %d answers lost, %d copies on the server, %d flushes",
		tg.acct.Network, len(tg.posts), tg.proxy.lostAnswers(), tg.total(), out.flushes)
}

var targets = []struct {
	name string
	new  func(*testing.T, *clock, fault, int, *storage.DB) target
}{
	{"mastodon", mastodonTarget},
	{"bluesky", blueskyTarget},
	{"x", xTarget},
}

func TestLostAnswersNeverDuplicateOrLosePosts(t *testing.T) {
	for _, tc := range targets {
		for _, mode := range []fault{dropAnswer, holdAnswer, resetMidBody} {
			for _, times := range []int{1, 2} {
				t.Run(fmt.Sprintf("%s/%s/%dx", tc.name, mode, times), func(t *testing.T) {
					tg, out := run(t, tc.new, mode, times, false)
					if lost := tg.proxy.lostAnswers(); lost < len(tg.posts)*times {
						t.Errorf("only %d answers lost, want at least %d", lost, len(tg.posts)*times)
					}
					check(t, tg, out)
				})
			}
		}
	}
}

// Without the check, the same faults do publish twice on a server that
// ignores Idempotency-Key: the suite can see a duplicate.
func TestWithoutTheCheckLostAnswersDuplicatePosts(t *testing.T) {
	for _, mode := range []fault{dropAnswer, holdAnswer, resetMidBody} {
		t.Run(mode.String(), func(t *testing.T) {
			tg, out := run(t, mastodonTarget, mode, 1, true)
			if total := tg.total(); total <= len(tg.posts) {
				t.Errorf("%d copies of %d posts: the suite cannot see duplicates", total, len(tg.posts))
			}
			t.Logf("check disabled, %s: %d posts, %d answers lost, %d copies on the server, %d flushes",
				mode, len(tg.posts), tg.proxy.lostAnswers(), tg.total(), out.flushes)
		})
	}
}
