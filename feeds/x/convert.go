package x

import (
	"html"
	"net/url"
	"strings"
	"time"

	"chancery/feeds"
)

// converter turns one page's tweets into posts, with its includes.
type converter struct {
	users  map[string]user
	tweets map[string]tweet
	media  map[string]media
}

func newConverter(inc includes) converter {
	c := converter{users: map[string]user{}, tweets: map[string]tweet{}, media: map[string]media{}}
	for _, u := range inc.Users {
		c.users[u.ID] = u
	}
	for _, t := range inc.Tweets {
		c.tweets[t.ID] = t
	}
	for _, m := range inc.Media {
		c.media[m.MediaKey] = m
	}
	return c
}

// posts converts a page, dropping tweets whose id cannot identify a post.
func (c converter) posts(list []tweet) []feeds.Post {
	out := make([]feeds.Post, 0, len(list))
	for _, t := range list {
		if !feeds.UsableID(t.ID) {
			continue
		}
		out = append(out, feeds.Bounded(c.post(t)))
	}
	return out
}

// post is t as shown. A repost shows the reposted tweet (when X included
// it) with RepostedBy naming who reposted; its id stays the repost's.
func (c converter) post(t tweet) feeds.Post {
	shown, by := t, ""
	if orig, ok := c.reposted(t); ok {
		shown, by = orig, c.name(t.AuthorID)
	}
	author := c.users[shown.AuthorID]
	p := feeds.Post{
		ID: t.ID, Author: c.name(shown.AuthorID), Text: text(shown), Lang: lang(shown.Lang),
		CreatedAt: parseTime(t.CreatedAt), URL: statusURL(author.Username, shown.ID),
		ReplyTo: ref(shown, "replied_to"), RepostedBy: by, Sensitive: shown.PossiblySensitve,
		Counts: feeds.Counts{
			Replies: shown.PublicMetrics.Replies, Reposts: shown.PublicMetrics.Retweets + shown.PublicMetrics.Quotes,
			Likes: shown.PublicMetrics.Likes,
		},
	}
	if author.Username != "" {
		p.AuthorHandle = "@" + author.Username
	}
	if p.ReplyTo != "" {
		if parent, ok := c.tweets[p.ReplyTo]; ok {
			p.ReplyToAuthor = c.name(parent.AuthorID)
		}
	}
	p.Media = c.attachments(shown)
	if q, ok := c.tweets[ref(shown, "quoted")]; ok && feeds.UsableID(q.ID) {
		p.Quote = &feeds.Quote{ID: q.ID, Author: c.name(q.AuthorID), Text: text(q), URL: statusURL(c.users[q.AuthorID].Username, q.ID)}
	}
	return p
}

// why says why a post is among the account's mentions: a reply to one of
// its posts (own is its user id), else a mention.
func (c converter) why(p feeds.Post, own string) string {
	if parent, ok := c.tweets[p.ReplyTo]; ok && p.ReplyTo != "" && parent.AuthorID == own {
		return "reply"
	}
	return "mention"
}

func (c converter) reposted(t tweet) (tweet, bool) {
	id := ref(t, "retweeted")
	if id == "" {
		return tweet{}, false
	}
	orig, ok := c.tweets[id]
	return orig, ok
}

func (c converter) name(id string) string {
	u, ok := c.users[id]
	switch {
	case !ok:
		return ""
	case strings.TrimSpace(u.Name) != "":
		return u.Name
	}
	return "@" + u.Username
}

func (c converter) attachments(t tweet) []feeds.Media {
	var out []feeds.Media
	for _, key := range t.Attachments.MediaKeys {
		m, ok := c.media[key]
		if !ok {
			continue
		}
		kind := "other"
		switch m.Type {
		case "photo":
			kind = "image"
		case "video", "animated_gif":
			kind = "video"
		}
		out = append(out, feeds.Media{Type: kind, URL: webURL(m.URL), PreviewURL: webURL(m.PreviewImageURL), Alt: m.AltText})
	}
	return out
}

// text is a tweet's full text (a long post's note_tweet), with its t.co
// links replaced by the addresses they stand for, the link X adds for
// attached media left out, and X's HTML escapes (&amp; &lt; &gt;) undone.
func text(t tweet) string {
	s, ents := t.Text, t.Entities
	if t.NoteTweet.Text != "" {
		s, ents = t.NoteTweet.Text, t.NoteTweet.Entities
	}
	for _, u := range ents.URLs {
		if !strings.HasPrefix(u.URL, "https://t.co/") {
			continue
		}
		expanded := webURL(u.ExpandedURL)
		if u.MediaKey != "" {
			expanded = ""
		}
		s = strings.Replace(s, u.URL, expanded, 1)
	}
	return strings.TrimSpace(html.UnescapeString(s))
}

func ref(t tweet, kind string) string {
	for _, r := range t.ReferencedTweets {
		if r.Type == kind && feeds.UsableID(r.ID) {
			return r.ID
		}
	}
	return ""
}

// lang keeps a real language tag: X says "und", "qme", "zxx" and others
// for none.
func lang(tag string) string {
	switch tag {
	case "", "und", "qme", "qam", "qct", "qht", "qst", "zxx", "art":
		return ""
	}
	return tag
}

func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// statusURL is the post's page on x.com.
func statusURL(username, id string) string {
	if username == "" {
		username = "i/web"
	}
	return "https://x.com/" + url.PathEscape(username) + "/status/" + url.PathEscape(id)
}

// webURL keeps an http(s) address, drops anything else.
func webURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	return raw
}
