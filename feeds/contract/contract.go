// Package contract is the behaviour every network promises (DESIGN.md §5,
// §6 and §10), written once and run by each network's tests against that
// network's own fake server:
//
//	func TestContract(t *testing.T) { contract.Run(t, harness) }
//
// The suite drives a network only through the feeds interfaces (Network,
// Pager, Publisher, Finder, Actor, SignIn, Scheduler). Each part runs when
// the network declares the ability or implements the interface, and is
// skipped, saying why, otherwise; the capabilities part checks that what
// a network declares and what it implements agree.
//
// The parts: capabilities; fetch (every post has a usable id, an author, a
// time and safe links only, newest first, each id once); account (posts,
// a thread's too, carry the account's id and network);
// unsupported-kinds (feeds.ErrUnsupported); cancelled; paging (older pages
// are older, and end); faults (401, 5xx, a malformed body, 429 with
// Retry-After and with the network's rate-limit headers, a body four times
// feeds.MaxBody, a deadline passing while the server holds the answer:
// each classified with the feeds sentinels, no secret in any error);
// publish (idempotent, then found by FindPublished, another post not);
// publish-faults (the outcome the outbox reads); publish-dropped (the
// server acted, the answer was lost: the post is found); length; act;
// thread; signin (a bad secret is feeds.ErrUnauthorized); schedule;
// delete (a published post deleted, then again without error).
//
// The package imports testing: only tests may import it.
package contract

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// Harness is what a network's tests give the suite.
type Harness struct {
	// Start returns a fresh client and fake server. Every part starts its
	// own, so that a fault or a rate-limit window of one part cannot reach
	// another.
	Start func(t *testing.T) Fixture
	// Kinds are the timelines fetched, each one the network declares (a
	// prefix kind with its argument: "tag:visa"). Empty: the plain kinds
	// of Capabilities. Each must hold posts on the fake server.
	Kinds []feeds.Kind
	// Paged is, for a Pager, a kind whose timeline on the fake server spans
	// more than one page, and PagedMin the fewest posts its pages hold in
	// all.
	Paged    feeds.Kind
	PagedMin int
	// Lengths are what Length must return for each of LengthSamples, by
	// name, under the network's counting rules; LengthLimit is the limit
	// it must return.
	Lengths     map[string]int
	LengthLimit int
	// GatesRateLimits is set when the network itself, not only the
	// refresh engine's gate per host, sends nothing to a server before the
	// time its 429 asked for.
	GatesRateLimits bool
	// NoCredentials is set when the network's accounts hold no secret (RSS):
	// a 401 or 403 is then a refusal, feeds.ErrRejected, never
	// feeds.ErrUnauthorized, as no sign-in could change the answer.
	NoCredentials bool
	// PublishedInOwn is set when the fake server shows what is published
	// in the account's Own timeline, so the suite looks for it there.
	PublishedInOwn bool
	// NoIdempotencyKey is set when the network's API has none (X, the
	// Graph API): publishing again makes a second post, and the outbox
	// relies on FindPublished alone before it sends again.
	NoIdempotencyKey bool
	// Pending names parts (as Run names them: "length", "fetch") the
	// network is known to fail, with the reason: a bug reported to its
	// owner and not yet fixed. They are skipped, saying why. Keep it
	// empty.
	Pending map[string]string
}

// Fixture is one client and its fake server.
type Fixture struct {
	Net     feeds.Network
	Account accounts.Account // signed in: its secret is in the client's store
	// Faults are the switches of the server the account's timelines come
	// from; nil for a network that talks to no server.
	Faults *Faults
	// Now is the server's clock, for scheduling; nil means time.Now.
	Now func() time.Time
	// ActOn is the remote id of someone else's post the account may like
	// and repost; empty: the first post of the first kind fetched.
	ActOn string
	// SignIn is a sign-in against the fake server.
	SignIn SignInCase
	// Secrets are values no error may show: the account's token, its
	// password.
	Secrets []string
}

// SignInCase is an account as the user gives it (Mission, Network, Server
// and, where asked, Handle), a secret the server takes and one it refuses
// (empty where the network has no secret to refuse).
type SignInCase struct {
	Account           accounts.Account
	Secret, BadSecret string
}

// LengthSamples are the texts whose Length each harness states: plain
// ASCII, a long link, Chinese with a CJK full stop, and emoji (a skin tone
// modifier, a flag and a family joined by zero-width joiners).
var LengthSamples = map[string]string{
	"empty": "",
	"ascii": "Consular services are open on Monday.",
	"url":   "Visa: https://embassy.example/en/consular/visa-appointments-2026",
	"cjk":   "大使馆领事服务周一开放。",
	"emoji": "Merci 👍🏽 🇫🇷 👨‍👩‍👧",
}

// Run runs every part of the suite that applies to the harness's network.
func Run(t *testing.T, h Harness) {
	t.Helper()
	if h.Start == nil {
		t.Fatal("contract: the harness has no Start")
	}
	parts := []struct {
		name string
		run  func(*testing.T, Harness)
	}{
		{"capabilities", capabilitiesPart},
		{"fetch", fetchPart},
		{"account", accountPart},
		{"unsupported-kinds", unsupportedPart},
		{"cancelled", cancelledPart},
		{"paging", pagingPart},
		{"faults", faultsPart},
		{"publish", publishPart},
		{"publish-faults", publishFaultsPart},
		{"publish-dropped", droppedPart},
		{"length", lengthPart},
		{"act", actPart},
		{"thread", threadPart},
		{"signin", signInPart},
		{"schedule", schedulePart},
		{"delete", deletePart},
	}
	known := map[string]bool{}
	for _, p := range parts {
		known[p.name] = true
		t.Run(p.name, func(t *testing.T) {
			if why, ok := h.Pending[p.name]; ok {
				t.Skipf("known to fail, pending a fix: %s", why)
			}
			p.run(t, h)
		})
	}
	for name := range h.Pending {
		if !known[name] {
			t.Errorf("the harness marks %q pending, which is no part of the suite", name)
		}
	}
}

// start starts a fixture and checks it is usable.
func (h Harness) start(t *testing.T) Fixture {
	t.Helper()
	fx := h.Start(t)
	if fx.Net == nil {
		t.Fatal("contract: the harness's fixture has no network")
	}
	if fx.Faults != nil {
		t.Cleanup(fx.Faults.Close)
	}
	if fx.Now == nil {
		fx.Now = time.Now
	}
	return fx
}

// kinds returns the kinds to fetch.
func (h Harness) kinds(c feeds.Capabilities) []feeds.Kind {
	if len(h.Kinds) > 0 {
		return h.Kinds
	}
	return plainKinds(c)
}

// report fails t with each problem.
func report(t *testing.T, problems []string) {
	t.Helper()
	for _, p := range problems {
		t.Error(p)
	}
}

// wantIs fails t unless err wraps target.
func wantIs(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: error %v, want one wrapping %q", what, err, target)
	}
}

func capabilitiesPart(t *testing.T, h Harness) {
	fx := h.start(t)
	c := fx.Net.Capabilities()
	report(t, capabilityProblems(fx.Net, c))
	if fx.Account.Network != fx.Net.ID() {
		t.Errorf("the account is on %q, the network says it is %q", fx.Account.Network, fx.Net.ID())
	}
	for _, k := range h.Kinds {
		if !c.Supports(k) {
			t.Errorf("the harness fetches %q, which the network does not declare", k)
		}
	}
}

func cancelledPart(t *testing.T, h Harness) {
	fx := h.start(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	kind := h.kinds(fx.Net.Capabilities())[0]
	posts, err := fx.Net.Fetch(ctx, fx.Account, kind)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Fetch(%s) with a cancelled context: %d posts, error %v; want context.Canceled", kind, len(posts), err)
	}
}

// describe names a kind and a cursor for messages.
func describe(kind feeds.Kind, cursor string) string {
	if cursor == "" {
		return string(kind)
	}
	return fmt.Sprintf("%s after %q", kind, cursor)
}
