package contract

import (
	"errors"
	"testing"

	"chancery/feeds"
)

// publisher returns fx's network as a Publisher that declares Post, or
// skips t; a network that implements Publisher without declaring Post
// must refuse with feeds.ErrUnsupported.
func publisher(t *testing.T, fx Fixture) feeds.Publisher {
	t.Helper()
	pub, ok := fx.Net.(feeds.Publisher)
	if !ok {
		t.Skip("not a feeds.Publisher")
	}
	if !fx.Net.Capabilities().Post {
		_, err := pub.Publish(t.Context(), fx.Account, feeds.Outgoing{Text: "undeclared", IdempotencyKey: "contract-undeclared"})
		wantIs(t, "Publish on a network that does not declare Post", err, feeds.ErrUnsupported)
		t.Skip("does not declare Post")
	}
	return pub
}

// outgoing is a post made by the suite, distinct per name.
func outgoing(name string) feeds.Outgoing {
	return feeds.Outgoing{
		Text: "Contract check " + name + ": the consular section is open on Monday.", Lang: "en",
		IdempotencyKey: "contract-" + name,
	}
}

// publishPart publishes one post, then again with the same idempotency
// key where the network has keys (the same post comes back), and looks for it with FindPublished,
// before (absent) and after (there, with the same id); a post of another
// text and key is not found.
func publishPart(t *testing.T, h Harness) {
	fx := h.start(t)
	pub := publisher(t, fx)
	finder, _ := fx.Net.(feeds.Finder)
	out, since := outgoing("publish"), fx.Now()
	if finder != nil {
		if got, found, err := finder.FindPublished(t.Context(), fx.Account, out, since); err != nil || found {
			t.Fatalf("FindPublished before publishing: %+v, found %v, error %v", got, found, err)
		}
	}
	done, err := pub.Publish(t.Context(), fx.Account, out)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if !feeds.UsableID(done.RemoteID) {
		t.Errorf("Publish returned remote id %q", done.RemoteID)
	}
	if _, ok := feeds.SafeLink(done.URL); done.URL != "" && !ok {
		t.Errorf("Publish returned the unsafe link %q", done.URL)
	}
	if !h.NoIdempotencyKey {
		again, err := pub.Publish(t.Context(), fx.Account, out)
		if err != nil || again.RemoteID != done.RemoteID {
			t.Errorf("Publish again with the same idempotency key: %+v, %v; want %+v, not a second post", again, err, done)
		}
	}
	if h.PublishedInOwn {
		inOwn(t, fx, done.RemoteID)
	}
	if finder == nil {
		t.Skip("not a feeds.Finder")
	}
	got, found, err := finder.FindPublished(t.Context(), fx.Account, out, since)
	if err != nil || !found || got.RemoteID != done.RemoteID {
		t.Errorf("FindPublished after publishing: %+v, found %v, error %v; want %+v", got, found, err, done)
	}
	other := outgoing("publish-other")
	if got, found, err := finder.FindPublished(t.Context(), fx.Account, other, since); err != nil || found {
		t.Errorf("FindPublished of a post never published (another text and key): %+v, found %v, error %v", got, found, err)
	}
}

// inOwn checks that the account's Own timeline holds the post id, as
// fetched posts must be.
func inOwn(t *testing.T, fx Fixture, id string) {
	t.Helper()
	posts, err := fx.Net.Fetch(t.Context(), fx.Account, feeds.Own)
	if err != nil {
		t.Fatalf("Fetch(own) after publishing: %v", err)
	}
	for _, p := range posts {
		if p.ID == id {
			report(t, postProblems(fx.Account, []feeds.Post{p}))
			return
		}
	}
	t.Errorf("the published post %q is not in the Own timeline (%d posts)", id, len(posts))
}

// droppedPart publishes while the server acts but its answer is lost: the
// network either makes sure itself and reports the post, or reports an
// unknown outcome; then FindPublished finds the post, once.
func droppedPart(t *testing.T, h Harness) {
	fx := h.start(t)
	pub := publisher(t, fx)
	finder, ok := fx.Net.(feeds.Finder)
	if fx.Faults == nil || !ok {
		t.Skip("the network talks to no server, or is no feeds.Finder")
	}
	out, since := outgoing("dropped"), fx.Now()
	fx.Faults.Set(DropAnswer)
	done, err := pub.Publish(t.Context(), fx.Account, out)
	report(t, errorProblems(err, fx.Secrets))
	if err != nil && feeds.Classify(err) != feeds.OutcomeUnknown {
		t.Errorf("Publish whose answer was lost: %v, outcome %d; want success or outcome unknown (%d)", err, feeds.Classify(err), feeds.OutcomeUnknown)
	}
	if fx.Faults.Hits() == 0 {
		t.Fatal("no request that changes something reached the server")
	}
	fx.Faults.Set(NoFault)
	got, found, ferr := finder.FindPublished(t.Context(), fx.Account, out, since)
	switch {
	case ferr != nil || !found:
		t.Errorf("FindPublished after a lost answer: found %v, %v; the server has the post", found, ferr)
	case err == nil && got.RemoteID != done.RemoteID:
		t.Errorf("FindPublished found %q, Publish reported %q", got.RemoteID, done.RemoteID)
	}
}

// publishFaultsPart checks the outcome of a publish that failed, as the
// outbox reads it (feeds.Classify): refused credentials, and a 5xx after
// which the post may exist.
func publishFaultsPart(t *testing.T, h Harness) {
	cases := []struct {
		name  string
		fault Fault
		want  feeds.Outcome
	}{
		{"unauthorized", Unauthorized, feeds.OutcomeUnauthorized},
		{"server-error", ServerError, feeds.OutcomeUnknown},
		{"rate-limited", RateLimitHeaders, feeds.OutcomeRateLimited},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fx := h.start(t)
			pub := publisher(t, fx)
			if fx.Faults == nil {
				t.Skip("the network talks to no server")
			}
			fx.Faults.Set(c.fault)
			_, err := pub.Publish(t.Context(), fx.Account, outgoing(c.name))
			report(t, errorProblems(err, fx.Secrets))
			if got := feeds.Classify(err); err == nil || got != c.want {
				t.Errorf("Publish answered %s: error %v, outcome %d, want outcome %d", c.name, err, got, c.want)
			}
		})
	}
}

func lengthPart(t *testing.T, h Harness) {
	fx := h.start(t)
	pub := publisher(t, fx)
	want := h.LengthLimit
	if want == 0 {
		want = fx.Net.Capabilities().MaxLength
	}
	for name, text := range LengthSamples {
		used, limit := pub.Length(fx.Account, text)
		if limit != want {
			t.Errorf("Length(%s) limit %d, want %d", name, limit, want)
		}
		expected, ok := h.Lengths[name]
		if name == "empty" {
			expected, ok = 0, true
		}
		switch {
		case !ok:
			t.Errorf("the harness does not say what %q (%q) counts", name, text)
		case used != expected:
			t.Errorf("Length(%s) of %q = %d, want %d", name, text, used, expected)
		}
	}
}

// actPart likes and reposts (and withdraws both) where the network declares
// it; an action it does not declare is refused with feeds.ErrUnsupported;
// refused credentials are feeds.ErrUnauthorized.
func actPart(t *testing.T, h Harness) {
	fx := h.start(t)
	actor, ok := fx.Net.(feeds.Actor)
	if !ok {
		t.Skip("not a feeds.Actor")
	}
	c := fx.Net.Capabilities()
	id := actTarget(t, h, fx)
	for _, a := range []struct {
		action   feeds.Action
		declared bool
	}{{feeds.Like, c.Like}, {feeds.Repost, c.Boost}} {
		for _, undo := range []bool{false, true} {
			err := actor.Act(t.Context(), fx.Account, id, a.action, undo)
			switch {
			case a.declared && err != nil:
				t.Errorf("Act(%s, %s, undo %v): %v", id, a.action, undo, err)
			case !a.declared && !errors.Is(err, feeds.ErrUnsupported):
				t.Errorf("Act(%s, %s), not declared: error %v, want feeds.ErrUnsupported", id, a.action, err)
			}
		}
	}
	if fx.Faults == nil || !c.Like && !c.Boost {
		return
	}
	action := feeds.Like
	if !c.Like {
		action = feeds.Repost
	}
	fx.Faults.Set(Unauthorized)
	wantIs(t, "Act answered 401", actor.Act(t.Context(), fx.Account, id, action, false), feeds.ErrUnauthorized)
}

// actTarget returns the post to act on.
func actTarget(t *testing.T, h Harness, fx Fixture) string {
	t.Helper()
	if fx.ActOn != "" {
		return fx.ActOn
	}
	kind := h.kinds(fx.Net.Capabilities())[0]
	posts, err := fx.Net.Fetch(t.Context(), fx.Account, kind)
	if err != nil || len(posts) == 0 {
		t.Fatalf("no post to act on: Fetch(%s): %d posts, %v", kind, len(posts), err)
	}
	return posts[0].ID
}
