package mastodon

import (
	"strings"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// Notification kinds set on Post.Notification.
const (
	notifMention = "mention"
	notifReply   = "reply"
	notifRepost  = "repost"
	notifLike    = "like"
	notifFollow  = "follow"
	notifQuote   = "quote"
)

// shownNotifications maps the Mastodon notification types a mentions
// column shows to Post.Notification. "status" (a post by someone whose
// posts the user asked to be told of) is shown as a plain post. Other types
// (polls ended, edits, follow requests, moderation and admin events) are
// skipped.
var shownNotifications = map[string]string{
	"mention":   notifMention,
	"status":    "",
	"reblog":    notifRepost,
	"favourite": notifLike,
	"follow":    notifFollow,
	"quote":     notifQuote,
}

// skippedNotifications are asked to be left out of the mentions column
// (exclude_types[]); any other type the server adds later is dropped here.
var skippedNotifications = []string{
	"follow_request", "poll", "update", "quoted_update", "admin.sign_up", "admin.report",
	"severed_relationships", "moderation_warning", "annual_report",
}

// converter turns API entities into posts; domain completes the handles of
// the server's own (local) accounts.
type converter struct {
	domain string
	known  map[flexID]account // authors seen in the same answer
}

// learn notes the authors of statuses, so that a reply to one of them
// names its author even when the reply does not mention them.
func (c *converter) learn(list []status) {
	if c.known == nil {
		c.known = map[flexID]account{}
	}
	for i := range list {
		for s := &list[i]; s != nil; s = s.Reblog {
			if s.Account.ID != "" {
				c.known[s.Account.ID] = s.Account
			}
		}
	}
}

// idSep separates the parts of a composite post id (see the package doc).
const idSep = ":"

// StatusID returns the status id inside a post id of this package: the
// part after the last colon of a boost's or notification's id, the id
// itself otherwise. It returns "" for a follow notification ("nID:"), which
// has no status.
func StatusID(postID string) string {
	if i := strings.LastIndex(postID, idSep); i >= 0 {
		return postID[i+1:]
	}
	return postID
}

// usable reports whether a server id can be part of a post id: not empty,
// free of the separator and not so long that one hostile id could fail the
// caching of a whole page.
func usable(id flexID) bool {
	return feeds.UsableID(string(id)) && !strings.Contains(string(id), idSep)
}

// statuses converts a timeline; entries without a usable id are dropped,
// the rest kept, each within feeds' limits.
func (c converter) statuses(in []status) []feeds.Post {
	c.learn(in)
	out := make([]feeds.Post, 0, len(in))
	for i := range in {
		if p, ok := c.timelineStatus(&in[i]); ok && feeds.UsableID(p.ID) {
			out = append(out, feeds.Bounded(p))
		}
	}
	return out
}

// timelineStatus converts one timeline entry, unwrapping a boost.
func (c converter) timelineStatus(s *status) (feeds.Post, bool) {
	if !usable(s.ID) || (s.Reblog != nil && !usable(s.Reblog.ID)) {
		return feeds.Post{}, false
	}
	if s.Reblog == nil {
		return c.status(s), true
	}
	p := c.status(s.Reblog)
	p.ID = string(s.ID) + idSep + string(s.Reblog.ID)
	p.RepostedBy = displayName(s.Account)
	if t := parseTime(s.CreatedAt); !t.IsZero() {
		p.CreatedAt = t
	}
	return p, true
}

// status converts a status as it is (a boost wrapper is not unwrapped).
func (c converter) status(s *status) feeds.Post {
	p := feeds.Post{
		ID:             string(s.ID),
		Author:         displayName(s.Account),
		AuthorHandle:   c.handle(s.Account),
		Text:           c.text(s),
		Lang:           s.Language,
		CreatedAt:      parseTime(s.CreatedAt),
		URL:            webURL(s.URL, s.URI),
		ReplyTo:        string(s.InReplyToID),
		ReplyToAuthor:  c.replyToAuthor(s),
		ContentWarning: s.SpoilerText,
		Sensitive:      s.Sensitive,
		Media:          media(s.Media),
		Quote:          c.quote(s.Quote),
		Reposted:       s.Reblogged,
		Liked:          s.Favourited,
		Counts: feeds.Counts{
			Replies: max(s.RepliesCount, 0),
			Reposts: max(s.ReblogsCount, 0),
			Likes:   max(s.FavouritesCount, 0),
		},
	}
	return p
}

// text is the status's content as plain text. With a quote shown, the
// "RE: link" paragraph that servers add for older clients is dropped.
func (c converter) text(s *status) string {
	content := s.Content
	if content == "" {
		return strings.TrimSpace(s.Text)
	}
	if c.quote(s.Quote) != nil {
		content = dropQuoteInline(content)
	}
	return feeds.HTMLToText(content)
}

func dropQuoteInline(html string) string {
	const open = `<p class="quote-inline">`
	i := strings.Index(html, open)
	if i < 0 {
		return html
	}
	j := strings.Index(html[i:], "</p>")
	if j < 0 {
		return html
	}
	return html[:i] + html[i+j+len("</p>"):]
}

func (c converter) replyToAuthor(s *status) string {
	if s.InReplyToAccountID == "" {
		return ""
	}
	if s.InReplyToAccountID == s.Account.ID {
		return c.handle(s.Account)
	}
	for _, m := range s.Mentions {
		if m.ID == s.InReplyToAccountID && m.Acct != "" {
			return c.qualify(m.Acct)
		}
	}
	if a, ok := c.known[s.InReplyToAccountID]; ok {
		return c.handle(a)
	}
	return ""
}

func (c converter) quote(q *quote) *feeds.Quote {
	if q == nil || q.QuotedStatus == nil || q.State != "accepted" || !usable(q.QuotedStatus.ID) {
		return nil
	}
	s := q.QuotedStatus
	return &feeds.Quote{
		ID:     string(s.ID),
		Author: displayName(s.Account),
		Text:   c.text(s),
		URL:    webURL(s.URL, s.URI),
	}
}

// notification converts one notification; ok is false for the types a
// mentions column does not show and for entries it cannot use.
func (c converter) notification(n *notification) (feeds.Post, bool) {
	kind, shown := shownNotifications[n.Type]
	if !shown || !usable(n.ID) {
		return feeds.Post{}, false
	}
	id := "n" + string(n.ID) + idSep
	actor := displayName(n.Account)
	if n.Type == "follow" {
		return feeds.Post{
			ID: id, Author: actor, AuthorHandle: c.handle(n.Account),
			CreatedAt: parseTime(n.CreatedAt), URL: webURL(n.Account.URL, ""),
			Notification: notifFollow,
		}, true
	}
	if n.Status == nil || !usable(n.Status.ID) {
		return feeds.Post{}, false
	}
	p := c.status(n.Status)
	p.ID = id + string(n.Status.ID)
	p.Author, p.AuthorHandle = actor, c.handle(n.Account)
	if t := parseTime(n.CreatedAt); !t.IsZero() {
		p.CreatedAt = t
	}
	if kind == notifMention && n.Status.InReplyToID != "" {
		kind = notifReply
	}
	if kind == notifRepost {
		p.RepostedBy = actor
	}
	p.Notification = kind
	return p, true
}

func (c converter) notifications(in []notification) []feeds.Post {
	out := make([]feeds.Post, 0, len(in))
	for i := range in {
		if p, ok := c.notification(&in[i]); ok && feeds.UsableID(p.ID) {
			out = append(out, feeds.Bounded(p))
		}
	}
	return out
}

// stamp marks posts as acct's.
func stamp(posts []feeds.Post, acct accounts.Account) []feeds.Post {
	for i := range posts {
		posts[i].Account, posts[i].Network = acct.ID, accounts.Mastodon
	}
	return posts
}

func displayName(a account) string {
	if name := strings.TrimSpace(a.DisplayName); name != "" {
		return name
	}
	return a.Username
}

// handle is "@user@domain"; local accounts, whose acct has no domain, get
// the server's.
func (c converter) handle(a account) string {
	acct := a.Acct
	if acct == "" {
		acct = a.Username
	}
	if acct == "" {
		return ""
	}
	return c.qualify(acct)
}

func (c converter) qualify(acct string) string {
	acct = strings.TrimPrefix(acct, "@")
	if !strings.Contains(acct, "@") && c.domain != "" {
		acct += "@" + c.domain
	}
	return "@" + acct
}

// media converts attachments, keeping only http(s) addresses.
func media(in []attachment) []feeds.Media {
	var out []feeds.Media
	for _, a := range in {
		m := feeds.Media{
			Type:       mediaType(a.Type),
			URL:        webURL(a.URL, a.RemoteURL),
			PreviewURL: webURL(a.PreviewURL, ""),
			Alt:        a.Description,
		}
		if m.URL == "" && m.PreviewURL == "" {
			continue
		}
		out = append(out, m)
	}
	return out
}

func mediaType(t string) string {
	switch t {
	case "image":
		return "image"
	case "video", "gifv":
		return "video"
	case "audio":
		return "audio"
	}
	return "other"
}

// webURL returns the first of the candidates that feeds.SafeLink accepts,
// so nothing else (javascript:, file:, data:, disguised addresses) ever
// reaches the UI.
func webURL(candidates ...string) string {
	for _, s := range candidates {
		if u, ok := feeds.SafeLink(s); ok {
			return u.String()
		}
	}
	return ""
}

// parseTime reads an API datetime; an unreadable one is the zero time.
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}
