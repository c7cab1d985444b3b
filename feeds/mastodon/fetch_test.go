package mastodon

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"chancery/feeds"
)

func TestFetchHomeMapsStatuses(t *testing.T) {
	f, n, acct, _ := setup(t)
	posts, err := n.Fetch(context.Background(), acct, feeds.Home)
	if err != nil {
		t.Fatal(err)
	}
	req := f.last(t, "GET /api/v1/timelines/home")
	if got := req.Header.Get("Authorization"); got != "Bearer "+testToken {
		t.Errorf("Authorization = %q", got)
	}
	if req.Query.Get("limit") != "40" || req.Query.Has("max_id") {
		t.Errorf("query = %v", req.Query)
	}
	if len(posts) != 3 {
		t.Fatalf("got %d posts, want 3: %+v", len(posts), posts)
	}

	p := posts[0]
	want := "@consul Attention aux faux sites : https://www.canada.ca/en/immigration-refugees-citizenship/services/protect-fraud.html #visa"
	if p.Text != want {
		t.Errorf("text = %q\nwant   %q", p.Text, want)
	}
	checks := []struct{ name, got, want string }{
		{"id", p.ID, "113000000000000003"},
		{"author", p.Author, "Ambassade du Canada"},
		{"handle", p.AuthorHandle, "@ambassade@" + hostOf(f)},
		{"lang", p.Lang, "fr"},
		{"url", p.URL, "https://social.example/@ambassade/113000000000000003"},
		{"reply to", p.ReplyTo, "113000000000000001"},
		{"reply to author", p.ReplyToAuthor, "@consul@other.example"},
		{"content warning", p.ContentWarning, "Visa fraud warning"},
		{"created", p.CreatedAt.Format(time.RFC3339), "2025-03-01T10:15:30Z"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if !p.Sensitive || !p.Liked || p.Reposted || p.Counts != (feeds.Counts{Replies: 2, Reposts: 5, Likes: 11}) {
		t.Errorf("flags/counts: sensitive %v liked %v reposted %v counts %+v", p.Sensitive, p.Liked, p.Reposted, p.Counts)
	}
	wantMedia := []feeds.Media{
		{
			Type: "image", URL: "https://files.social.example/media/original/57859aede991da25.jpeg",
			PreviewURL: "https://files.social.example/media/small/57859aede991da25.jpeg", Alt: "Capture d'écran d'un faux site de visa",
		},
		{Type: "video", PreviewURL: "https://files.social.example/media/small/x.png"}, // javascript: url dropped
	}
	if !slices.Equal(p.Media, wantMedia) {
		t.Errorf("media = %+v\nwant %+v", p.Media, wantMedia)
	}
	if p.Account != "acct-1" || p.Network != "mastodon" {
		t.Errorf("post not stamped: account %q network %q", p.Account, p.Network)
	}
	if strings.Contains(p.Text, "alert") {
		t.Errorf("script content leaked into text: %q", p.Text)
	}
}

func TestFetchHomeUnwrapsBoostsAndQuotes(t *testing.T) {
	_, n, acct, _ := setup(t)
	posts, err := n.Fetch(context.Background(), acct, feeds.Home)
	if err != nil {
		t.Fatal(err)
	}
	boost := posts[1]
	if boost.ID != "113000000000000002:112999999999999999" || StatusID(boost.ID) != "112999999999999999" {
		t.Errorf("boost id = %q", boost.ID)
	}
	if boost.RepostedBy != "attache" || boost.Author != "Botschaft Wien" || boost.AuthorHandle != "@botschaft@wien.example" {
		t.Errorf("boost: reposted by %q, author %q %q", boost.RepostedBy, boost.Author, boost.AuthorHandle)
	}
	if boost.Text != "Tag der offenen Tür\nam Samstag." || boost.Lang != "de" || !boost.Reposted {
		t.Errorf("boost text %q lang %q reposted %v", boost.Text, boost.Lang, boost.Reposted)
	}
	if got := boost.CreatedAt.Format(time.RFC3339); got != "2025-03-01T10:00:00Z" {
		t.Errorf("boost time = %s, want the time of the boost", got)
	}
	if boost.Counts.Likes != 90 {
		t.Errorf("boost counts are the boosted status's: %+v", boost.Counts)
	}

	q := posts[2]
	if q.Text != "Worth reading." {
		t.Errorf("quote post text = %q (the RE: paragraph should be dropped)", q.Text)
	}
	if q.Quote == nil || q.Quote.ID != "112999999999999999" || q.Quote.Author != "Botschaft Wien" ||
		q.Quote.Text != "Tag der offenen Tür\nam Samstag." || q.Quote.URL == "" {
		t.Errorf("quote = %+v", q.Quote)
	}
	if q.URL != "https://social.example/@consul/113000000000000001" {
		t.Errorf("url = %q", q.URL)
	}
}

func TestFetchPageFollowsLinkHeader(t *testing.T) {
	f, n, acct, _ := setup(t)
	page, err := n.FetchPage(context.Background(), acct, feeds.Home, "")
	if err != nil {
		t.Fatal(err)
	}
	if page.Older != "113000000000000001" {
		t.Fatalf("older cursor = %q, want the Link rel=next max_id", page.Older)
	}
	next, err := n.FetchPage(context.Background(), acct, feeds.Home, page.Older)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.last(t, "GET /api/v1/timelines/home").Query.Get("max_id"); got != "113000000000000001" {
		t.Errorf("max_id sent = %q", got)
	}
	if len(next.Posts) != 0 || next.Older != "" {
		t.Errorf("last page = %+v, want empty with no cursor", next)
	}
}

func TestFetchNewerUsesMinID(t *testing.T) {
	f, n, acct, _ := setup(t)
	if _, err := n.FetchNewer(context.Background(), acct, feeds.Home, "113000000000000002:112999999999999999"); err != nil {
		t.Fatal(err)
	}
	if got := f.last(t, "GET /api/v1/timelines/home").Query.Get("min_id"); got != "113000000000000002" {
		t.Errorf("min_id = %q, want the boost's own id", got)
	}
	if _, err := n.FetchNewer(context.Background(), acct, feeds.Mentions, "n500:200"); err != nil {
		t.Fatal(err)
	}
	if got := f.last(t, "GET /api/v1/notifications").Query.Get("min_id"); got != "500" {
		t.Errorf("notification min_id = %q", got)
	}
}

func TestFetchMentionsMapsNotifications(t *testing.T) {
	f, n, acct, _ := setup(t)
	page, err := n.FetchPage(context.Background(), acct, feeds.Mentions, "")
	if err != nil {
		t.Fatal(err)
	}
	req := f.last(t, "GET /api/v1/notifications")
	if ex := req.Query["exclude_types[]"]; !slices.Contains(ex, "follow_request") || !slices.Contains(ex, "admin.sign_up") || slices.Contains(ex, "mention") {
		t.Errorf("exclude_types[] = %v", ex)
	}
	if page.Older != "491" {
		t.Errorf("older = %q", page.Older)
	}
	type row struct{ id, kind, author, text, repostedBy string }
	var got []row
	for _, p := range page.Posts {
		got = append(got, row{p.ID, p.Notification, p.Author, p.Text, p.RepostedBy})
	}
	want := []row{
		{"n500:200", "reply", "Consul General", "@ambassade Thanks!", ""},
		{"n499:199", "mention", "A Journalist", "Vraag aan @ambassade", ""},
		{"n498:198", "", "Botschaft Wien", "Neu", ""},
		{"n497:113000000000000003", "repost", "Fan", "Our post", "Fan"},
		{"n496:113000000000000003", "like", "lecteur", "Our post", ""},
		{"n495:", "follow", "Neue Folgerin", "", ""},
		{"n494:194", "quote", "Analyst", "Important", ""},
	}
	if !slices.Equal(got, want) {
		t.Errorf("notifications:\n got %v\nwant %v", got, want)
	}
	follow := page.Posts[5]
	if follow.AuthorHandle != "@neu@wien.example" || follow.URL != "https://wien.example/@neu" || follow.CreatedAt.IsZero() {
		t.Errorf("follow = %+v", follow)
	}
	if like := page.Posts[4]; like.AuthorHandle != "@lecteur@"+hostOf(f) || like.CreatedAt.Format(time.RFC3339) != "2025-03-02T08:00:00Z" {
		t.Errorf("like handle %q time %v", like.AuthorHandle, like.CreatedAt)
	}
}

func TestNotificationsFilter(t *testing.T) {
	f, n, acct, _ := setup(t)
	if _, err := n.Notifications(context.Background(), acct, "777", "mention", "follow"); err != nil {
		t.Fatal(err)
	}
	req := f.last(t, "GET /api/v1/notifications")
	if !slices.Equal(req.Query["types[]"], []string{"mention", "follow"}) || req.Query.Get("max_id") != "777" || req.Query.Has("exclude_types[]") {
		t.Errorf("query = %v", req.Query)
	}
}

func TestFetchOwnCachesAccountID(t *testing.T) {
	f, n, acct, _ := setup(t)
	for range 2 {
		posts, err := n.Fetch(context.Background(), acct, feeds.Own)
		if err != nil {
			t.Fatal(err)
		}
		if len(posts) != 1 || posts[0].Text != "Timeline /api/v1/accounts/1/statuses" {
			t.Fatalf("own = %+v", posts)
		}
	}
	if c := f.count("GET /api/v1/accounts/verify_credentials"); c != 1 {
		t.Errorf("verify_credentials called %d times, want 1 (then cached)", c)
	}
	if c := f.count("GET /api/v2/instance"); c != 1 {
		t.Errorf("instance fetched %d times, want 1 (then cached)", c)
	}
}

func TestFetchParametrisedKinds(t *testing.T) {
	f, n, acct, _ := setup(t)
	cases := []struct {
		kind  feeds.Kind
		route string
		text  string
	}{
		{"tag:#Visa", "GET /api/v1/timelines/tag/Visa", "Timeline /api/v1/timelines/tag/Visa"},
		{"tag:Zürich", "GET /api/v1/timelines/tag/Z%C3%BCrich", "Timeline /api/v1/timelines/tag/Z%C3%BCrich"},
		{"list:42", "GET /api/v1/timelines/list/42", "Timeline /api/v1/timelines/list/42"},
		{"list:a/b", "GET /api/v1/timelines/list/a%2Fb", "Timeline /api/v1/timelines/list/a%2Fb"},
		{"search:visa fraud", "GET /api/v2/search", "found: visa fraud"},
	}
	for _, c := range cases {
		posts, err := n.Fetch(context.Background(), acct, c.kind)
		if err != nil {
			t.Fatalf("%s: %v", c.kind, err)
		}
		f.last(t, c.route)
		if len(posts) != 1 || posts[0].Text != c.text {
			t.Errorf("%s: posts = %+v", c.kind, posts)
		}
	}
	if q := f.last(t, "GET /api/v2/search").Query; q.Get("type") != "statuses" || q.Get("q") != "visa fraud" {
		t.Errorf("search query = %v", q)
	}
	for _, bad := range []feeds.Kind{"feed", "tag:", "tag:#", "list:..", "weird:x"} {
		if _, err := n.Fetch(context.Background(), acct, bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestThreadOrdersConversation(t *testing.T) {
	f, n, acct, _ := setup(t)
	posts, err := n.Thread(context.Background(), acct, "113000000000000002:102")
	if err != nil {
		t.Fatal(err)
	}
	f.last(t, "GET /api/v1/statuses/102")
	f.last(t, "GET /api/v1/statuses/102/context")
	var texts []string
	for _, p := range posts {
		texts = append(texts, p.Text)
	}
	if !slices.Equal(texts, []string{"First", "Second", "Third", "Fourth"}) {
		t.Errorf("thread = %v", texts)
	}
	if posts[1].ReplyToAuthor != "@consul@"+hostOf(f) {
		t.Errorf("reply-to author = %q", posts[1].ReplyToAuthor)
	}
	if _, err := n.Thread(context.Background(), acct, "n495:"); !errors.Is(err, feeds.ErrUnsupported) {
		t.Errorf("thread of a follow: %v", err)
	}
}

func TestActSendsVerbs(t *testing.T) {
	f, n, acct, _ := setup(t)
	cases := []struct {
		action feeds.Action
		undo   bool
		route  string
	}{
		{feeds.Repost, false, "POST /api/v1/statuses/112999999999999999/reblog"},
		{feeds.Repost, true, "POST /api/v1/statuses/112999999999999999/unreblog"},
		{feeds.Like, false, "POST /api/v1/statuses/112999999999999999/favourite"},
		{feeds.Like, true, "POST /api/v1/statuses/112999999999999999/unfavourite"},
	}
	for _, c := range cases {
		if err := n.Act(context.Background(), acct, "113000000000000002:112999999999999999", c.action, c.undo); err != nil {
			t.Fatalf("%s undo=%v: %v", c.action, c.undo, err)
		}
		f.last(t, c.route)
	}
	if err := n.Act(context.Background(), acct, "1", "bookmark", false); !errors.Is(err, feeds.ErrUnsupported) {
		t.Errorf("unknown action: %v", err)
	}
}

func TestLinkParam(t *testing.T) {
	cases := []struct {
		in   []string
		want string
	}{
		{[]string{`<https://a.example/api/v1/x?max_id=9&limit=40>; rel="next", <https://a.example/api/v1/x?min_id=20>; rel="prev"`}, "9"},
		{[]string{`<https://a.example/x?min_id=20>; rel="prev"`, `<https://a.example/x?max_id=3>;rel=next`}, "3"},
		{[]string{`<https://a.example/x?min_id=20>; rel="prev"`}, ""},
		{[]string{`<https://a.example/x?max_id=1,2>; rel="next prefetch"`}, "1,2"},
		{[]string{`garbage`, `<unterminated`, `>; rel="next"`}, ""},
	}
	for _, c := range cases {
		if got := linkParam(c.in, "next", "max_id"); got != c.want {
			t.Errorf("linkParam(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func hostOf(f *fakeMastodon) string { return strings.TrimPrefix(f.srv.URL, "http://") }
