package contract

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"chancery/feeds"
)

// maxPages bounds paging: a timeline on a fake server that has not ended
// by then never will.
const maxPages = 50

func fetchPart(t *testing.T, h Harness) {
	fx := h.start(t)
	c := fx.Net.Capabilities()
	for _, kind := range h.kinds(c) {
		t.Run(string(kind), func(t *testing.T) {
			posts, err := fx.Net.Fetch(t.Context(), fx.Account, kind)
			if err != nil {
				t.Fatalf("Fetch(%s): %v", kind, err)
			}
			if len(posts) == 0 {
				t.Fatalf("Fetch(%s) returned no post: the harness's server must hold some for the checks to mean anything", kind)
			}
			report(t, postProblems(fx.Account, posts))
		})
	}
}

// accountPart checks that the posts of every kind, and of a thread, carry
// the account's id and network.
func accountPart(t *testing.T, h Harness) {
	fx := h.start(t)
	for _, kind := range h.kinds(fx.Net.Capabilities()) {
		posts, err := fx.Net.Fetch(t.Context(), fx.Account, kind)
		if err != nil {
			t.Fatalf("Fetch(%s): %v", kind, err)
		}
		report(t, accountProblems(fx.Account, posts))
	}
	if threader, ok := fx.Net.(feeds.Threader); ok {
		posts, err := threader.Thread(t.Context(), fx.Account, actTarget(t, h, fx))
		if err != nil {
			t.Fatalf("Thread: %v", err)
		}
		report(t, accountProblems(fx.Account, posts))
	}
}

// unsupportedPart asks for kinds the network does not declare: each must
// be refused with feeds.ErrUnsupported, never answered with posts.
func unsupportedPart(t *testing.T, h Harness) {
	fx := h.start(t)
	c := fx.Net.Capabilities()
	asked := 0
	for _, kind := range []feeds.Kind{feeds.Home, feeds.Mentions, feeds.Own, feeds.Feed, "tag:contract", "list:contract", "search:contract"} {
		if c.Supports(kind) {
			continue
		}
		asked++
		posts, err := fx.Net.Fetch(t.Context(), fx.Account, kind)
		if !errors.Is(err, feeds.ErrUnsupported) {
			t.Errorf("Fetch(%s), not declared: %d posts, error %v; want feeds.ErrUnsupported", kind, len(posts), err)
		}
	}
	if asked == 0 {
		t.Skip("the network declares every kind")
	}
}

func pagingPart(t *testing.T, h Harness) {
	fx := h.start(t)
	pager, ok := fx.Net.(feeds.Pager)
	if !ok {
		t.Skip("not a feeds.Pager")
	}
	if h.Paged == "" {
		t.Fatal("the network is a Pager but the harness names no paged kind")
	}
	seen := map[string]bool{}
	var oldest feeds.Post
	cursor, pages := "", 0
	for {
		page, err := pager.FetchPage(t.Context(), fx.Account, h.Paged, cursor)
		if err != nil {
			t.Fatalf("FetchPage(%s): %v", describe(h.Paged, cursor), err)
		}
		pages++
		report(t, pageProblems(fx.Account, page, seen, oldest))
		for _, p := range page.Posts {
			seen[p.ID] = true
		}
		if n := len(page.Posts); n > 0 {
			oldest = page.Posts[n-1]
		}
		if page.Older == "" {
			break
		}
		if page.Older == cursor || pages == maxPages {
			t.Fatalf("paging %s does not end: %d pages, cursor %q", h.Paged, pages, page.Older)
		}
		cursor = page.Older
	}
	if pages < 2 || len(seen) < h.PagedMin {
		t.Errorf("paging %s: %d posts on %d pages, want at least %d posts on two pages or more", h.Paged, len(seen), pages, h.PagedMin)
	}
}

// threadPart asks for the conversation of a post: it holds that post (or
// the post a repost wraps), and its posts pass the checks of a timeline's,
// oldest first.
func threadPart(t *testing.T, h Harness) {
	fx := h.start(t)
	threader, ok := fx.Net.(feeds.Threader)
	if !ok {
		t.Skip("not a feeds.Threader")
	}
	id := actTarget(t, h, fx)
	posts, err := threader.Thread(t.Context(), fx.Account, id)
	if err != nil {
		t.Fatalf("Thread(%s): %v", id, err)
	}
	if len(posts) == 0 {
		t.Fatalf("Thread(%s) is empty: it holds at least the post", id)
	}
	if !slices.ContainsFunc(posts, func(p feeds.Post) bool { return wraps(id, p.ID) }) {
		t.Errorf("Thread(%s) does not hold the post", id)
	}
	slices.Reverse(posts)
	report(t, postProblems(fx.Account, posts))
}

// wraps reports whether a timeline's post id names the post id: the same,
// or a repost or notification id made of it and another ("WRAPPER:ID",
// "ID#repost:URI").
func wraps(timelineID, id string) bool {
	return id != "" && (timelineID == id || strings.HasPrefix(timelineID, id) || strings.HasSuffix(timelineID, id))
}
