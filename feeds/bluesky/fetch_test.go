package bluesky

import (
	"context"
	"errors"
	"net/url"
	"reflect"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

func lastQuery(t *testing.T, f *fakeServer, nsid string) url.Values {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	q, err := url.ParseQuery(f.lastQ[nsid])
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestFetchHome(t *testing.T) {
	f := newFakeServer(t)
	n, acct, _ := signedIn(t, f)
	page, err := n.FetchPage(context.Background(), acct, feeds.Home, "")
	if err != nil {
		t.Fatalf("FetchPage: %v", err)
	}
	if len(page.Posts) != 3 || page.Older != "page2" {
		t.Fatalf("got %d posts, cursor %q", len(page.Posts), page.Older)
	}
	if q := lastQuery(t, f, nsidTimeline); q.Get("limit") != "50" || q.Has("cursor") {
		t.Errorf("query = %v", q)
	}
	want := feeds.Post{
		ID: uriA1, Account: acct.ID, Network: accounts.Bluesky,
		Author: "Alice Ambassade", AuthorHandle: "alice.bsky.social", Text: textA1, Lang: "fr",
		CreatedAt: time.Date(2026, 3, 14, 8, 0, 0, 0, time.UTC),
		URL:       "https://bsky.app/profile/alice.bsky.social/post/3lalice1aaa22",
		Counts:    feeds.Counts{Replies: 2, Reposts: 3, Likes: 5}, Liked: true,
	}
	if got := page.Posts[0]; !reflect.DeepEqual(got, want) {
		t.Errorf("post 0 =\n%+v\nwant\n%+v", got, want)
	}
	repost := page.Posts[1]
	if repost.ID != uriA2+repostMarker+uriRepost || repost.RepostedBy != "bob.bsky.social" || postURI(repost.ID) != uriA2 {
		t.Errorf("repost = %+v", repost)
	}
	if at := time.Date(2026, 3, 14, 8, 45, 0, 0, time.UTC); !repost.CreatedAt.Equal(at) {
		t.Errorf("repost dated %s, want the time of the repost, %s", repost.CreatedAt, at)
	}
	wantMedia := []feeds.Media{
		{Type: "image", URL: "https://cdn.example/img/a/full.jpg", PreviewURL: "https://cdn.example/img/a/thumb.jpg", Alt: "Réception à l'ambassade"},
		{Type: "image", URL: "https://cdn.example/img/b/full.jpg", PreviewURL: "https://cdn.example/img/b/thumb.jpg", Alt: "Drapeaux"},
	}
	if !reflect.DeepEqual(repost.Media, wantMedia) {
		t.Errorf("media = %+v", repost.Media)
	}
	reply := page.Posts[2]
	wantQuote := &feeds.Quote{
		ID: uriA2, Author: "Alice Ambassade", Text: "Photos de la réception 🇫🇷🇦🇹",
		URL: "https://bsky.app/profile/alice.bsky.social/post/3lalice2aaa22",
	}
	if reply.ReplyTo != uriA1 || reply.ReplyToAuthor != "alice.bsky.social" || !reflect.DeepEqual(reply.Quote, wantQuote) {
		t.Errorf("reply = %+v, quote %+v", reply, reply.Quote)
	}
	if want := time.Date(2026, 3, 14, 8, 30, 0, 0, time.UTC); !reply.CreatedAt.Equal(want) {
		t.Errorf("a createdAt after indexedAt: CreatedAt = %v, want indexedAt %v", reply.CreatedAt, want)
	}
}

func TestFetchPageCursor(t *testing.T) {
	f := newFakeServer(t)
	n, acct, _ := signedIn(t, f)
	page, err := n.FetchPage(context.Background(), acct, feeds.Home, "page2")
	if err != nil {
		t.Fatalf("FetchPage: %v", err)
	}
	if lastQuery(t, f, nsidTimeline).Get("cursor") != "page2" || page.Older != "" || len(page.Posts) != 1 {
		t.Fatalf("page = %+v", page)
	}
	p := page.Posts[0]
	if len(p.Media) != 1 || p.Media[0].Alt != "Une photo" || p.Quote == nil || p.Quote.ID != uriB1 || p.Quote.Author != "bob.bsky.social" {
		t.Errorf("record with media = %+v, quote %+v", p, p.Quote)
	}
}

func TestFetchKinds(t *testing.T) {
	f := newFakeServer(t)
	n, acct, _ := signedIn(t, f)
	ctx := context.Background()
	const custom = "at://did:plc:feeds4example5test6abcd/app.bsky.feed.generator/diplomacy"
	tests := []struct {
		kind  feeds.Kind
		nsid  string
		param string
		want  string
		first string
	}{
		{feeds.Own, "app.bsky.feed.getAuthorFeed", "actor", testDID, uriM1},
		{feeds.Feed, "app.bsky.feed.getFeed", "feed", DiscoverFeed, uriA2},
		{feeds.Kind(FeedPrefix + custom), "app.bsky.feed.getFeed", "feed", custom, uriA2},
		{"search:visa Wien", "app.bsky.feed.searchPosts", "q", "visa Wien", uriA1},
		{"tag:diplomatie", "app.bsky.feed.searchPosts", "q", "#diplomatie", uriA1},
	}
	for _, tt := range tests {
		posts, err := n.Fetch(ctx, acct, tt.kind)
		if err != nil {
			t.Errorf("%s: %v", tt.kind, err)
			continue
		}
		if got := lastQuery(t, f, tt.nsid).Get(tt.param); got != tt.want {
			t.Errorf("%s: %s=%q, want %q", tt.kind, tt.param, got, tt.want)
		}
		if len(posts) == 0 || posts[0].ID != tt.first {
			t.Errorf("%s: posts = %+v", tt.kind, posts)
		}
	}
	if err := n.SetFeed(acct.ID, custom); err != nil {
		t.Fatal(err)
	}
	if _, err := n.Fetch(ctx, acct, feeds.Feed); err != nil || lastQuery(t, f, "app.bsky.feed.getFeed").Get("feed") != custom {
		t.Errorf("chosen feed not used: %v", err)
	}
	for _, bad := range []feeds.Kind{"feed:https://example.com/feed", "feed:at://did:plc:x/app.bsky.feed.post/abc", "search: ", "list:abc"} {
		if _, err := n.Fetch(ctx, acct, bad); !errors.Is(err, feeds.ErrBadKind) && !errors.Is(err, feeds.ErrUnsupported) {
			t.Errorf("%q: err = %v", bad, err)
		}
	}
	if err := n.SetFeed(acct.ID, "at://did:plc:x/app.bsky.feed.post/abc"); !errors.Is(err, feeds.ErrBadKind) {
		t.Errorf("SetFeed of a post: %v", err)
	}
}

func TestFetchNotifications(t *testing.T) {
	f := newFakeServer(t)
	n, acct, _ := signedIn(t, f)
	page, err := n.FetchPage(context.Background(), acct, feeds.Mentions, "")
	if err != nil {
		t.Fatalf("FetchPage: %v", err)
	}
	if len(page.Posts) != 4 || page.Older != "n2" {
		t.Fatalf("page = %+v", page)
	}
	if got := lastQuery(t, f, "app.bsky.feed.getPosts")["uris"]; !reflect.DeepEqual(got, []string{uriM1, uriB2, uriA1}) {
		t.Errorf("getPosts uris = %v", got)
	}
	like, rep, follow, mention := page.Posts[0], page.Posts[1], page.Posts[2], page.Posts[3]
	if like.Notification != "like" || like.Author != "Alice Ambassade" || like.Quote == nil ||
		like.Quote.Text != "Visa office closed on Monday" || like.URL != "https://bsky.app/profile/vienna.bsky.social/post/3lmine1aaaa22" {
		t.Errorf("like = %+v, quote %+v", like, like.Quote)
	}
	if rep.Notification != "reply" || rep.ID != uriB2 || rep.ReplyTo != uriM1 || rep.Text != "@vienna.bsky.social merci" {
		t.Errorf("reply = %+v", rep)
	}
	if follow.Notification != "follow" || follow.URL != "https://bsky.app/profile/bob.bsky.social" || follow.Author != "bob.bsky.social" {
		t.Errorf("follow = %+v", follow)
	}
	if mention.Notification != "mention" || mention.ID != uriA1 || !mention.Liked || mention.Counts.Likes != 5 || mention.Lang != "fr" {
		t.Errorf("mention = %+v", mention)
	}
}

func TestNotificationsWithoutHydration(t *testing.T) {
	f := newFakeServer(t)
	n, acct, _ := signedIn(t, f)
	f.queue("app.bsky.feed.getPosts", reply{status: 200, body: `{"posts":[]}`}) // the posts were deleted
	posts, err := n.Fetch(context.Background(), acct, feeds.Mentions)
	if err != nil || len(posts) != 4 {
		t.Fatalf("Fetch: %d, %v", len(posts), err)
	}
	like, rep, mention := posts[0], posts[1], posts[3]
	if like.Quote != nil || like.URL != "" || like.Text != "" {
		t.Errorf("like = %+v", like)
	}
	if rep.Text != "@vienna.bsky.social merci" || rep.URL != "https://bsky.app/profile/bob.bsky.social/post/3lbob2aaaaa22" {
		t.Errorf("reply = %+v", rep)
	}
	if mention.Text != textA1 || mention.Liked {
		t.Errorf("mention = %+v", mention)
	}
	f.queue("app.bsky.feed.getPosts", reply{status: 502, body: "bad gateway"})
	if _, err := n.Fetch(context.Background(), acct, feeds.Mentions); !errors.Is(err, feeds.ErrServer) {
		t.Errorf("hydration failure: err = %v", err)
	}
}

func TestThreadOldestFirst(t *testing.T) {
	f := newFakeServer(t)
	n, acct, _ := signedIn(t, f)
	posts, err := n.Thread(context.Background(), acct, uriB1+repostMarker+uriRepost)
	if err != nil {
		t.Fatalf("Thread: %v", err)
	}
	var ids []string
	for _, p := range posts {
		ids = append(ids, p.ID)
	}
	if want := []string{uriA1, uriB1, uriC1, uriC2}; !reflect.DeepEqual(ids, want) {
		t.Errorf("thread = %v, want %v", ids, want)
	}
	if q := lastQuery(t, f, "app.bsky.feed.getPostThread"); q.Get("uri") != uriB1 {
		t.Errorf("query = %v", q)
	}
	if posts[2].ReplyToAuthor != "bob.bsky.social" {
		t.Errorf("ReplyToAuthor = %q", posts[2].ReplyToAuthor)
	}
}

func TestPostTime(t *testing.T) {
	tests := []struct{ created, indexed, want string }{
		{"2026-03-14T08:00:00.000Z", "2026-03-14T08:00:01.000Z", "2026-03-14T08:00:00Z"},
		{"2026-03-14T10:00:00+02:00", "2026-03-14T08:00:01.000Z", "2026-03-14T08:00:00Z"},
		{"", "2026-03-14T08:00:01.000Z", "2026-03-14T08:00:01Z"},
		{"garbage", "2026-03-14T08:00:01.000Z", "2026-03-14T08:00:01Z"},
		{"2099-01-01T00:00:00Z", "2026-03-14T08:00:01.000Z", "2026-03-14T08:00:01Z"},
		{"2026-03-14T08:00:00", "", "2026-03-14T08:00:00Z"},
	}
	for _, tt := range tests {
		want, _ := time.Parse(time.RFC3339, tt.want)
		if got := postTime(tt.created, tt.indexed); !got.Equal(want) {
			t.Errorf("postTime(%q, %q) = %v, want %v", tt.created, tt.indexed, got, want)
		}
	}
}
