package bluesky

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/bluesky-social/indigo/atproto/syntax"

	"chancery/feeds"
)

// repostMarker separates a post's URI from the repost that brought it into
// a timeline, in the id of such an item: "<post uri>#repost:<repost uri>".
// postURI strips it again.
const repostMarker = "#repost:"

// postURI returns the AT-URI of the post a timeline item id names.
func postURI(id string) string {
	uri, _, _ := strings.Cut(id, repostMarker)
	return uri
}

// contained drops the posts of a page whose id cannot be a cache key (a
// hostile AT-URI longer than feeds.MaxIDLen), keeping the rest, and cuts
// the strings of those kept to feeds' limits.
func contained(posts []feeds.Post) []feeds.Post {
	out := posts[:0]
	for _, p := range posts {
		if feeds.UsableID(p.ID) {
			out = append(out, feeds.Bounded(p))
		}
	}
	return out
}

// fromFeedItem maps a feed item: a post, or a repost of one (then its id is
// unique to the repost, see repostMarker).
func fromFeedItem(item feedViewPost) feeds.Post {
	p := fromPostView(item.Post)
	if item.Reply != nil && item.Reply.Parent.Author != nil {
		p.ReplyToAuthor = item.Reply.Parent.Author.Handle
	}
	if r := item.Reason; r != nil && r.Type == typeReasonRepost {
		p.RepostedBy = displayName(r.By)
		repost := r.URI
		if repost == "" {
			repost = r.By.DID + "@" + r.IndexedAt
		}
		p.ID = item.Post.URI + repostMarker + repost
		// A timeline sorts a repost by when it was made, as Mastodon
		// dates a boost: the post's own time would sink it out of order.
		if at, err := syntax.ParseDatetimeLenient(r.IndexedAt); err == nil {
			p.CreatedAt = at.Time()
		}
	}
	return p
}

// fromPostView maps a post as the AppView shows it.
func fromPostView(v postView) feeds.Post {
	var rec postRecord
	_ = json.Unmarshal(v.Record, &rec) // a malformed record leaves the text empty
	p := feeds.Post{
		ID:           v.URI,
		Author:       displayName(v.Author),
		AuthorHandle: v.Author.Handle,
		Text:         rec.Text,
		CreatedAt:    postTime(rec.CreatedAt, v.IndexedAt),
		URL:          postURL(v.Author, v.URI),
		Counts:       feeds.Counts{Replies: v.ReplyCount, Reposts: v.RepostCount, Likes: v.LikeCount},
		Reposted:     v.Viewer.Repost != "",
		Liked:        v.Viewer.Like != "",
	}
	if len(rec.Langs) > 0 {
		p.Lang = rec.Langs[0]
	}
	if rec.Reply != nil {
		p.ReplyTo = rec.Reply.Parent.URI
	}
	p.Media, p.Quote = fromEmbed(v.Embed)
	return p
}

// fromEmbed reads the images, video and quoted post of an embed view.
func fromEmbed(raw json.RawMessage) ([]feeds.Media, *feeds.Quote) {
	var e embedView
	if len(raw) == 0 || json.Unmarshal(raw, &e) != nil {
		return nil, nil
	}
	switch e.Type {
	case typeImagesView, typeVideoView:
		return mediaOf(e), nil
	case typeRecordView:
		return nil, quoteOf(e.Record)
	case typeRecordMedia:
		var media embedView
		_ = json.Unmarshal(e.Media, &media)
		var rec embedView
		_ = json.Unmarshal(e.Record, &rec)
		return mediaOf(media), quoteOf(rec.Record)
	}
	return nil, nil
}

func mediaOf(e embedView) []feeds.Media {
	switch e.Type {
	case typeImagesView:
		out := make([]feeds.Media, 0, len(e.Images))
		for _, img := range e.Images {
			if m, ok := media("image", img.Fullsize, img.Thumb, img.Alt); ok {
				out = append(out, m)
			}
		}
		return out
	case typeVideoView:
		if m, ok := media("video", e.Playlist, e.Thumbnail, e.Alt); ok {
			return []feeds.Media{m}
		}
	}
	return nil
}

// media is an attachment whose addresses feeds.SafeLink accepts (others
// are left empty); ok is false when neither is.
func media(kind, full, thumb, alt string) (feeds.Media, bool) {
	m := feeds.Media{Type: kind, Alt: alt}
	if u, ok := feeds.SafeLink(full); ok {
		m.URL = u.String()
	}
	if u, ok := feeds.SafeLink(thumb); ok {
		m.PreviewURL = u.String()
	}
	return m, m.URL != "" || m.PreviewURL != ""
}

// quoteOf reads a quoted post (a viewRecord); quotes of feeds, lists,
// deleted or blocked posts give nil.
func quoteOf(raw json.RawMessage) *feeds.Quote {
	var vr viewRecord
	if len(raw) == 0 || json.Unmarshal(raw, &vr) != nil || vr.Type != typeViewRecord {
		return nil
	}
	var rec postRecord
	_ = json.Unmarshal(vr.Value, &rec)
	return &feeds.Quote{ID: vr.URI, Author: displayName(vr.Author), Text: rec.Text, URL: postURL(vr.Author, vr.URI)}
}

// fromNotification maps a notification. Post-like ones (mention, reply,
// quote) use the post view when hydrated; likes and reposts quote the
// post they are about when hydrated.
func fromNotification(nt notification, posts map[string]postView) feeds.Post {
	var p feeds.Post
	if v, ok := posts[nt.URI]; ok {
		p = fromPostView(v)
	} else {
		var rec postRecord
		_ = json.Unmarshal(nt.Record, &rec)
		p = feeds.Post{
			ID: nt.URI, Author: displayName(nt.Author), AuthorHandle: nt.Author.Handle,
			Text: rec.Text, CreatedAt: postTime(rec.CreatedAt, nt.IndexedAt),
		}
		if len(rec.Langs) > 0 {
			p.Lang = rec.Langs[0]
		}
		if rec.Reply != nil {
			p.ReplyTo = rec.Reply.Parent.URI
		}
		p.URL = postURL(nt.Author, nt.URI)
	}
	p.ID = nt.URI
	p.Notification = nt.Reason
	if subject, ok := posts[nt.ReasonSubject]; ok && !isPostReason(nt.Reason) {
		q := fromPostView(subject)
		p.Quote = &feeds.Quote{ID: q.ID, Author: q.Author, Text: q.Text, URL: q.URL}
		p.URL = q.URL
	}
	if nt.Reason == "follow" {
		p.URL = "https://bsky.app/profile/" + profileRef(nt.Author)
	}
	return p
}

// isPostReason reports whether a notification's own record is a post.
func isPostReason(reason string) bool {
	switch reason {
	case "mention", "reply", "quote", "subscribed-post":
		return true
	}
	return false
}

// displayName is the name shown for an author: the display name, else the handle.
func displayName(p profile) string {
	if s := strings.TrimSpace(p.DisplayName); s != "" {
		return s
	}
	return p.Handle
}

// profileRef names an account in bsky.app links: its handle, or its DID
// when the handle is not valid.
func profileRef(p profile) string {
	if p.Handle == "" || p.Handle == "handle.invalid" {
		return p.DID
	}
	return p.Handle
}

// postURL is the bsky.app link of a post ("" for other records).
func postURL(author profile, uri string) string {
	u, err := syntax.ParseATURI(uri)
	if err != nil || u.Collection().String() != collPost || u.RecordKey() == "" {
		return ""
	}
	ref := profileRef(author)
	if ref == "" {
		ref = u.Authority().String()
	}
	return "https://bsky.app/profile/" + ref + "/post/" + u.RecordKey().String()
}

// postTime is when a post was made: its record's createdAt, unless missing,
// unreadable or later than when the network first saw it (indexedAt).
func postTime(createdAt, indexedAt string) time.Time {
	created, cerr := syntax.ParseDatetimeLenient(createdAt)
	indexed, ierr := syntax.ParseDatetimeLenient(indexedAt)
	switch {
	case cerr != nil && ierr != nil:
		return time.Time{}
	case cerr != nil:
		return indexed.Time()
	case ierr == nil && created.Time().After(indexed.Time()):
		return indexed.Time()
	}
	return created.Time()
}
