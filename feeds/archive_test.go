package feeds

import (
	"testing"
	"time"

	"chancery/accounts"
)

func TestReceived(t *testing.T) {
	masto := accounts.Account{ID: "m", Network: accounts.Mastodon, Handle: "ambassade@social.example"}
	x := accounts.Account{ID: "x", Network: accounts.X, Handle: "@EmbassyVienna"}
	own := func(id string) bool { return id == "own1" }
	other := Post{ID: "p", AuthorHandle: "citizen@other.example", Text: "hello"}
	with := func(p Post, f func(*Post)) Post { f(&p); return p }
	for _, c := range []struct {
		name string
		p    Post
		a    accounts.Account
		kind Kind
		want bool
	}{
		{"mention notification", with(other, func(p *Post) { p.Notification = "mention" }), masto, Mentions, true},
		{"reply notification", with(other, func(p *Post) { p.Notification = "reply" }), masto, Mentions, true},
		{"a like is not a record", with(other, func(p *Post) { p.Notification = "like" }), masto, Mentions, false},
		{"a follow is not a record", with(other, func(p *Post) { p.Notification = "follow" }), masto, Mentions, false},
		{"reply to an own post at home", with(other, func(p *Post) { p.ReplyTo = "own1" }), masto, Home, true},
		{"reply to someone else at home", with(other, func(p *Post) { p.ReplyTo = "else" }), masto, Home, false},
		{"a plain home post", other, masto, Home, false},
		{"our own mention of ourselves", with(other, func(p *Post) {
			p.AuthorHandle, p.Notification = "@ambassade", "mention"
		}), masto, Mentions, false},
		{"a mentions timeline that does not say why (X)", other, x, Mentions, true},
		{"our own post in that timeline", with(other, func(p *Post) { p.AuthorHandle = "embassyvienna" }), x, Mentions, false},
		{"RSS receives nothing", with(other, func(p *Post) { p.Notification = "mention" }), accounts.Account{Network: accounts.RSS}, Mentions, false},
		{"demo receives nothing", with(other, func(p *Post) { p.Notification = "mention" }), accounts.Account{Network: accounts.Demo}, Mentions, false},
	} {
		if got := Received(c.p, c.a, c.kind, own); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestRecordID(t *testing.T) {
	for _, c := range []struct {
		net      accounts.Network
		id, want string
	}{
		{accounts.Mastodon, "n77:1101", "1101"},
		{accounts.Mastodon, "1101", "1101"},
		{accounts.Mastodon, "n77:", "n77:"},
		{accounts.Bluesky, "at://did:plc:abc/app.bsky.feed.post/3k", "at://did:plc:abc/app.bsky.feed.post/3k"},
	} {
		if got := RecordID(Post{ID: c.id, Network: c.net}); got != c.want {
			t.Errorf("%s %q: %q, want %q", c.net, c.id, got, c.want)
		}
	}
	r := ReceivedRecord(Post{ID: "n1:9", Network: accounts.Mastodon, ReplyTo: "8", CreatedAt: time.Unix(5, 0)},
		accounts.Account{ID: "m", Mission: "vienna", Network: accounts.Mastodon}, time.Unix(9, 0))
	if r.Kind != RecordReceived || r.RemoteID != "9" || r.PostID != "n1:9" || r.Notification != "reply" || r.Mission != "vienna" {
		t.Errorf("record %+v", r)
	}
}
