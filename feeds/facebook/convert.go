package facebook

import (
	"cmp"
	"net/url"

	"chancery/accounts"
	"chancery/feeds"
)

// summary is the summary of an edge asked for with .summary(true).
type summary struct {
	Summary struct {
		TotalCount int `json:"total_count"`
	} `json:"summary"`
}

// attachment is a post's (or comment's) attachment.
type attachment struct {
	MediaType string `json:"media_type"`
	Type      string `json:"type"`
	URL       string `json:"url"`
	Media     struct {
		Image struct {
			Src string `json:"src"`
		} `json:"image"`
	} `json:"media"`
	Subattachments struct {
		Data []attachment `json:"data"`
	} `json:"subattachments"`
}

// postNode is a Page post as asked for with postFields or mentionFields.
type postNode struct {
	ID           string  `json:"id"`
	Message      string  `json:"message"`
	Story        string  `json:"story"`
	CreatedTime  string  `json:"created_time"`
	PermalinkURL string  `json:"permalink_url"`
	From         author  `json:"from"`
	Reactions    summary `json:"reactions"`
	Shares       struct {
		Count int `json:"count"`
	} `json:"shares"`
	Attachments struct {
		Data []attachment `json:"data"`
	} `json:"attachments"`
	Comments struct {
		summary
		Data []commentNode `json:"data"`
	} `json:"comments"`
	// Scheduled posts only.
	ScheduledPublishTime int64 `json:"scheduled_publish_time"`
	IsPublished          *bool `json:"is_published"`
}

// commentNode is a comment as asked for with commentFields.
type commentNode struct {
	ID           string               `json:"id"`
	Message      string               `json:"message"`
	CreatedTime  string               `json:"created_time"`
	PermalinkURL string               `json:"permalink_url"`
	From         author               `json:"from"`
	Parent       *struct{ ID string } `json:"parent"`
	LikeCount    int                  `json:"like_count"`
	CommentCount int                  `json:"comment_count"`
	UserLikes    bool                 `json:"user_likes"`
	Attachment   *attachment          `json:"attachment"`
}

// post converts a Page post. Facebook posts and comments carry no
// AuthorHandle: Graph's user ids are app-scoped numbers, not handles one
// writes, so a reply does not start with one.
func (p postNode) post(acct accounts.Account) feeds.Post {
	return feeds.Post{
		ID: p.ID, Account: acct.ID, Network: accounts.Facebook,
		Author:    p.From.name(acct),
		Text:      cmp.Or(p.Message, p.Story),
		CreatedAt: graphTime(p.CreatedTime),
		URL:       webURL(p.PermalinkURL),
		Counts: feeds.Counts{
			Replies: p.Comments.Summary.TotalCount, Reposts: p.Shares.Count,
			Likes: p.Reactions.Summary.TotalCount,
		},
		Media: media(p.Attachments.Data),
	}
}

// post converts a comment on the post postID: it answers its parent
// comment, or the post.
func (c commentNode) post(acct accounts.Account, postID string) feeds.Post {
	replyTo := postID
	if c.Parent != nil && c.Parent.ID != "" {
		replyTo = c.Parent.ID
	}
	p := feeds.Post{
		ID: c.ID, Account: acct.ID, Network: accounts.Facebook,
		Author: c.From.name(acct),
		Text:   c.Message, CreatedAt: graphTime(c.CreatedTime), URL: webURL(c.PermalinkURL),
		ReplyTo: replyTo, Notification: "reply",
		Counts: feeds.Counts{Replies: c.CommentCount, Likes: c.LikeCount},
		Liked:  c.UserLikes,
	}
	if c.Attachment != nil {
		p.Media = media([]attachment{*c.Attachment})
	}
	return p
}

// media lists the images and videos of attachments, albums flattened.
func media(list []attachment) []feeds.Media {
	var out []feeds.Media
	for _, a := range list {
		if len(a.Subattachments.Data) > 0 {
			out = append(out, media(a.Subattachments.Data)...)
			continue
		}
		src := webURL(a.Media.Image.Src)
		if src == "" {
			continue
		}
		m := feeds.Media{Type: "image", URL: src, PreviewURL: src}
		if a.MediaType == "video" || a.Type == "video_inline" {
			m.Type, m.URL = "video", cmp.Or(webURL(a.URL), src)
		}
		out = append(out, m)
	}
	return out
}

// webURL keeps an address only if it is https (or loopback http, for
// tests): what a post links to is opened in the browser.
func webURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	if u.Scheme == "https" || (u.Scheme == "http" && feeds.IsLoopback(u.Hostname())) {
		return u.String()
	}
	return ""
}
