package facebook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf16"

	"chancery/accounts"
	"chancery/feeds"
)

// warningMark starts the first line of a post that carries a content
// warning: Facebook has none, so the warning is written above the text.
const warningMark = "⚠ "

// compose is the message Facebook is sent for out.
func compose(out feeds.Outgoing) string {
	if w := strings.TrimSpace(out.ContentWarning); w != "" {
		return warningMark + w + "\n\n" + out.Text
	}
	return out.Text
}

// decompose splits a message made by compose into text and warning.
func decompose(msg string) (text, warning string) {
	if rest, ok := strings.CutPrefix(msg, warningMark); ok {
		if w, t, ok := strings.Cut(rest, "\n\n"); ok && !strings.Contains(w, "\n") {
			return t, w
		}
	}
	return msg, ""
}

// length counts text as Facebook's limit does, in UTF-16 code units (what
// its composer counts; an emoji outside the basic plane counts 2).
func length(text string) int { return len(utf16.Encode([]rune(text))) }

// Length counts text against MaxLength.
func (n *Network) Length(_ accounts.Account, text string) (used, limit int) {
	return length(text), MaxLength
}

// WarningLength is what a content warning adds: it is written above the
// text.
func (n *Network) WarningLength(_ accounts.Account, warning string) int {
	if strings.TrimSpace(warning) == "" {
		return 0
	}
	return length(warningMark + strings.TrimSpace(warning) + "\n\n")
}

// created is Graph's answer to a creation: {"id"} (and, for a published
// photo, the "post_id" of the post it made).
type created struct {
	ID     string `json:"id"`
	PostID string `json:"post_id"`
}

// Publish posts out on the Page. A reply (out.ReplyTo, a post or comment
// id) is a comment on it (POST /{id}/comments), with at most one photo
// (uploaded unpublished and given as attachment_id). A post with one photo
// is POST /{page-id}/photos with the message and the alt text
// (alt_text_custom); with several, the photos are uploaded unpublished and
// attached to POST /{page-id}/feed with attached_media. Graph has no
// idempotency key: after an unknown outcome the outbox asks FindPublished
// before sending again.
func (n *Network) Publish(ctx context.Context, acct accounts.Account, out feeds.Outgoing) (feeds.Published, error) {
	s, err := n.session(acct)
	if err != nil {
		return feeds.Published{}, err
	}
	if used := length(compose(out)); used > MaxLength {
		return feeds.Published{}, fmt.Errorf("facebook: %d characters, at most %d: %w", used, MaxLength, feeds.ErrRejected)
	}
	switch {
	case out.ReplyTo != "":
		return s.comment(ctx, out)
	case len(out.Media) == 1:
		form := url.Values{"message": {compose(out)}, "published": {"true"}}
		var c created
		if err := s.upload(ctx, out.Media[0], form, &c); err != nil {
			return feeds.Published{}, fmt.Errorf("facebook: publish photo: %w", err)
		}
		id := c.PostID
		if id == "" && validID(c.ID) {
			id = s.page + "_" + c.ID
		}
		if !validID(id) {
			return feeds.Published{}, fmt.Errorf("facebook: publish photo: post id %q: %w: %w", id, feeds.ErrBadResponse, feeds.ErrOutcomeUnknown)
		}
		return feeds.Published{RemoteID: id, URL: postURL(id)}, nil
	}
	form, err := s.feedForm(ctx, out, false)
	if err != nil {
		return feeds.Published{}, err
	}
	var c created
	if err := s.postJSON(ctx, call{path: []string{s.page, "feed"}, form: form, perm: "pages_manage_posts"}, &c); err != nil {
		return feeds.Published{}, fmt.Errorf("facebook: publish: %w", err)
	}
	if !validID(c.ID) {
		return feeds.Published{}, fmt.Errorf("facebook: publish: post id %q: %w: %w", c.ID, feeds.ErrBadResponse, feeds.ErrOutcomeUnknown)
	}
	return feeds.Published{RemoteID: c.ID, URL: postURL(c.ID)}, nil
}

// feedForm is the form of POST /{page-id}/feed for out: the message, and
// its photos uploaded unpublished (temporary, for a scheduled post) and
// listed in attached_media.
func (s *session) feedForm(ctx context.Context, out feeds.Outgoing, scheduled bool) (url.Values, error) {
	form := url.Values{"message": {compose(out)}}
	for i, m := range out.Media {
		up := url.Values{"published": {"false"}}
		if scheduled {
			up.Set("temporary", "true")
		}
		var c created
		if err := s.upload(ctx, m, up, &c); err != nil {
			return nil, fmt.Errorf("facebook: photo %d: %w", i+1, err)
		}
		if !validID(c.ID) {
			return nil, fmt.Errorf("facebook: photo %d: id %q: %w", i+1, c.ID, feeds.ErrBadResponse)
		}
		ref, _ := json.Marshal(map[string]string{"media_fbid": c.ID})
		form.Set("attached_media["+strconv.Itoa(i)+"]", string(ref))
	}
	return form, nil
}

// comment answers the post or comment out.ReplyTo.
func (s *session) comment(ctx context.Context, out feeds.Outgoing) (feeds.Published, error) {
	if !validID(out.ReplyTo) {
		return feeds.Published{}, fmt.Errorf("facebook: reply to %q: %w", out.ReplyTo, feeds.ErrRejected)
	}
	if len(out.Media) > 1 {
		return feeds.Published{}, fmt.Errorf("facebook: a comment takes one photo: %w", feeds.ErrRejected)
	}
	form := url.Values{"message": {compose(out)}}
	if len(out.Media) == 1 {
		var c created
		if err := s.upload(ctx, out.Media[0], url.Values{"published": {"false"}}, &c); err != nil {
			return feeds.Published{}, fmt.Errorf("facebook: reply photo: %w", err)
		}
		if !validID(c.ID) {
			return feeds.Published{}, fmt.Errorf("facebook: reply photo: id %q: %w", c.ID, feeds.ErrBadResponse)
		}
		form.Set("attachment_id", c.ID)
	}
	var c created
	err := s.postJSON(ctx, call{path: []string{out.ReplyTo, "comments"}, form: form, perm: "pages_manage_engagement"}, &c)
	if err != nil {
		return feeds.Published{}, fmt.Errorf("facebook: reply: %w", err)
	}
	if !validID(c.ID) {
		return feeds.Published{}, fmt.Errorf("facebook: reply: comment id %q: %w: %w", c.ID, feeds.ErrBadResponse, feeds.ErrOutcomeUnknown)
	}
	return feeds.Published{RemoteID: c.ID}, nil
}

// upload sends one photo to POST /{page-id}/photos as multipart/form-data
// (the file as source), with its alt text as alt_text_custom and the
// fields of form.
func (s *session) upload(ctx context.Context, m feeds.OutgoingMedia, form url.Values, v any) error {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vals := range form {
		for _, val := range vals {
			_ = w.WriteField(k, val) // writes to a buffer: cannot fail
		}
	}
	if alt := strings.TrimSpace(m.Alt); alt != "" {
		_ = w.WriteField("alt_text_custom", alt)
	}
	name := m.Name
	if name == "" {
		name = "photo"
	}
	fw, err := w.CreatePart(fileHeader(name, m.MIME))
	if err != nil {
		return fmt.Errorf("upload %s: %w", name, err)
	}
	_, _ = fw.Write(m.Data)
	_ = w.Close()
	c := call{
		method: http.MethodPost, path: []string{s.page, "photos"}, body: body.Bytes(),
		ctype: w.FormDataContentType(), perm: "pages_manage_posts", timeout: s.n.upload,
	}
	return s.postJSON(ctx, c, v)
}

// postURL is the address of a Page post "PAGEID_POSTID" on facebook.com.
func postURL(id string) string {
	page, post, ok := strings.Cut(id, "_")
	if !ok {
		return "https://www.facebook.com/" + id
	}
	return "https://www.facebook.com/" + page + "/posts/" + post
}

// fileHeader is the part header of the photo file, sent as source.
func fileHeader(name, mimeType string) textproto.MIMEHeader {
	h := textproto.MIMEHeader{}
	quoted := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r", "", "\n", "").Replace(name)
	h.Set("Content-Disposition", `form-data; name="source"; filename="`+quoted+`"`)
	if mimeType == "" {
		mimeType = "application/octet-stream"
	}
	h.Set("Content-Type", mimeType)
	return h
}
