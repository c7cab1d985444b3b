package mastodon

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// maxPollWait caps the wait between two checks of a processing upload.
const maxPollWait = 5 * time.Second

// Publish posts out on acct: it uploads the media first (POST /api/v2/media
// with the alt text as description, waiting while the server processes
// them), then creates the status with the language, content warning,
// reply-to, visibility (see WithVisibility) and media ids, sending
// out.IdempotencyKey as Idempotency-Key so that a retry returns the status
// already created instead of a second one. (The server keeps keys for an
// hour; a retry re-uploads the media, which the server discards unused.)
// Without a key, one is derived from the content.
func (n *Network) Publish(ctx context.Context, acct accounts.Account, out feeds.Outgoing) (feeds.Published, error) {
	s, form, err := n.statusForm(ctx, acct, out)
	if err != nil {
		return feeds.Published{}, err
	}
	key := out.IdempotencyKey
	if key == "" {
		key = contentKey(acct, out)
	}
	body, _, err := s.do(ctx, call{method: http.MethodPost, path: []string{"api", "v1", "statuses"}, form: form, idem: key})
	if err != nil {
		return feeds.Published{}, fmt.Errorf("mastodon: publish: %w", err)
	}
	var st status
	if err := s.decode(body, "api/v1/statuses", &st); err != nil {
		return feeds.Published{}, err
	}
	if st.ID == "" {
		return feeds.Published{}, fmt.Errorf("mastodon: publish: status without id: %w", feeds.ErrBadResponse)
	}
	return feeds.Published{RemoteID: string(st.ID), URL: webURL(st.URL, st.URI)}, nil
}

// statusForm opens acct's session and builds the form of POST
// /api/v1/statuses for out, uploading its media first.
func (n *Network) statusForm(ctx context.Context, acct accounts.Account, out feeds.Outgoing) (*session, url.Values, error) {
	if strings.TrimSpace(out.Text) == "" && len(out.Media) == 0 {
		return nil, nil, fmt.Errorf("mastodon: empty post: %w", feeds.ErrRejected)
	}
	form := url.Values{"status": {out.Text}}
	if out.ReplyTo != "" {
		id := StatusID(out.ReplyTo)
		if id == "" {
			return nil, nil, fmt.Errorf("mastodon: reply to %q: %w", out.ReplyTo, feeds.ErrUnsupported)
		}
		form.Set("in_reply_to_id", id)
	}
	setIf(form, "language", out.Lang)
	setIf(form, "spoiler_text", out.ContentWarning)
	setIf(form, "visibility", cmp.Or(out.Visibility, n.visibility))
	s, err := n.session(acct)
	if err != nil {
		return nil, nil, err
	}
	for i, m := range out.Media {
		id, err := n.uploadMedia(ctx, s, m)
		if err != nil {
			return nil, nil, fmt.Errorf("mastodon: media %d: %w", i+1, err)
		}
		form.Add("media_ids[]", id)
	}
	return s, form, nil
}

func setIf(form url.Values, key, value string) {
	if value != "" {
		form.Set(key, value)
	}
}

// contentKey derives an idempotency key from what is posted, for callers
// that give none: the same post on the same account within the server's
// hour is then created once.
func contentKey(acct accounts.Account, out feeds.Outgoing) string {
	h := sha256.New()
	for _, s := range []string{acct.ID, out.Text, out.Lang, out.ReplyTo, out.ContentWarning} {
		fmt.Fprintf(h, "%d:%s|", len(s), s)
	}
	for _, m := range out.Media {
		sum := sha256.Sum256(m.Data)
		fmt.Fprintf(h, "%x:%s|", sum, m.Alt)
	}
	return "chancery-" + hex.EncodeToString(h.Sum(nil))[:32]
}

// uploadMedia sends one attachment and waits until the server has processed it
// (a null url means still processing), within the upload time limit.
func (n *Network) uploadMedia(ctx context.Context, s *session, m feeds.OutgoingMedia) (string, error) {
	ctx, cancel := withTimeout(ctx, n.upload)
	defer cancel()
	body, ctype := multipartBody(m)
	raw, _, err := s.do(ctx, call{method: http.MethodPost, path: []string{"api", "v2", "media"}, body: body, ctype: ctype, timeout: n.upload})
	if err != nil {
		return "", err
	}
	var a attachment
	if err := s.decode(raw, "api/v2/media", &a); err != nil {
		return "", err
	}
	if a.ID == "" {
		return "", fmt.Errorf("upload without id: %w", feeds.ErrBadResponse)
	}
	for wait := n.poll; a.URL == ""; wait = min(wait*2, maxPollWait) {
		if err := sleep(ctx, wait); err != nil {
			return "", fmt.Errorf("media %s still processing: %w", a.ID, err)
		}
		if a, err = s.mediaStatus(ctx, a.ID); err != nil {
			return "", err
		}
	}
	return string(a.ID), nil
}

// mediaStatus checks an upload: 206 (an empty body or a null url) while it
// is processing, 200 with its url when done.
func (s *session) mediaStatus(ctx context.Context, id flexID) (attachment, error) {
	raw, _, err := s.do(ctx, call{method: http.MethodGet, path: []string{"api", "v1", "media", string(id)}})
	if err != nil {
		return attachment{}, err
	}
	a := attachment{ID: id}
	if len(bytes.TrimSpace(raw)) == 0 {
		return a, nil
	}
	if err := s.decode(raw, "api/v1/media", &a); err != nil {
		return attachment{}, err
	}
	a.ID = id
	return a, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// multipartBody encodes the upload form: the file with its name and type
// (sniffed when not given) and the alt text as description.
func multipartBody(m feeds.OutgoingMedia) ([]byte, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if m.Alt != "" {
		_ = w.WriteField("description", m.Alt)
	}
	ctype := m.MIME
	if ctype == "" {
		ctype = http.DetectContentType(m.Data)
	}
	name := filepath.Base(m.Name)
	if name == "." || name == string(filepath.Separator) {
		name = "upload"
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", multipart.FileContentDisposition("file", name))
	h.Set("Content-Type", ctype)
	part, _ := w.CreatePart(h) // writes to memory: cannot fail
	_, _ = part.Write(m.Data)
	_ = w.Close()
	return buf.Bytes(), w.FormDataContentType()
}

// Act boosts or favourites (undo: unboosts or unfavourites) the status
// inside postID.
func (n *Network) Act(ctx context.Context, acct accounts.Account, postID string, action feeds.Action, undo bool) error {
	var verb string
	switch action {
	case feeds.Repost:
		verb = "reblog"
	case feeds.Like:
		verb = "favourite"
	default:
		return fmt.Errorf("mastodon: action %q: %w", action, feeds.ErrUnsupported)
	}
	if undo {
		verb = "un" + verb
	}
	id := StatusID(postID)
	if id == "" {
		return fmt.Errorf("mastodon: %s %q: no status: %w", verb, postID, feeds.ErrUnsupported)
	}
	s, err := n.session(acct)
	if err != nil {
		return err
	}
	if err := s.postJSON(ctx, nil, nil, "api", "v1", "statuses", id, verb); err != nil {
		return fmt.Errorf("mastodon: %s: %w", verb, err)
	}
	return nil
}

// Thread returns the conversation around the status inside postID: its
// ancestors (oldest first), the status, then its descendants.
func (n *Network) Thread(ctx context.Context, acct accounts.Account, postID string) ([]feeds.Post, error) {
	id := StatusID(postID)
	if id == "" {
		return nil, fmt.Errorf("mastodon: thread of %q: no status: %w", postID, feeds.ErrUnsupported)
	}
	s, conv, err := n.open(acct)
	if err != nil {
		return nil, err
	}
	var st status
	if _, err := s.getJSON(ctx, &st, nil, "api", "v1", "statuses", id); err != nil {
		return nil, err
	}
	var tc threadContext
	if _, err := s.getJSON(ctx, &tc, nil, "api", "v1", "statuses", id, "context"); err != nil {
		return nil, err
	}
	conv.learn(append(append([]status{st}, tc.Ancestors...), tc.Descendants...))
	posts := conv.statuses(tc.Ancestors)
	if usable(st.ID) {
		posts = append(posts, conv.status(&st))
	}
	return stamp(append(posts, conv.statuses(tc.Descendants)...), acct), nil
}
