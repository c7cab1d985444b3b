package x

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"chancery/feeds"
	"chancery/translations"
)

// ErrMediaFailed: X could not process an uploaded image.
var ErrMediaFailed = translations.NewProblem("x.error.media_failed", "x could not process the image")

// uploadAnswer is the data of INIT, FINALIZE and STATUS answers.
type uploadAnswer struct {
	Data struct {
		ID             string `json:"id"`
		MediaKey       string `json:"media_key"`
		ProcessingInfo *struct {
			State          string `json:"state"` // pending, in_progress, succeeded, failed
			CheckAfterSecs int    `json:"check_after_secs"`
			Error          *struct {
				Message string `json:"message"`
			} `json:"error"`
		} `json:"processing_info"`
	} `json:"data"`
}

// upload sends one image with the chunked flow of POST /2/media/upload
// (command INIT, APPEND per segment, FINALIZE), waits while X processes it
// (command STATUS, after check_after_secs), and sets its alt text (POST
// /2/media/metadata). It returns the media id.
func (s *session) upload(ctx context.Context, m feeds.OutgoingMedia) (string, error) {
	ctx, cancel := withTimeout(ctx, s.n.upload)
	defer cancel()
	init, err := s.mediaCommand(ctx, map[string]string{
		"command": "INIT", "media_type": m.MIME, "total_bytes": strconv.Itoa(len(m.Data)), "media_category": category(m.MIME),
	}, nil)
	if err != nil {
		return "", fmt.Errorf("init: %w", err)
	}
	id := init.Data.ID
	if id == "" {
		return "", fmt.Errorf("init: no media id: %w", feeds.ErrBadResponse)
	}
	size := max(s.n.chunk, 1)
	for i := 0; i*size < len(m.Data) || i == 0; i++ {
		part := m.Data[i*size : min((i+1)*size, len(m.Data))]
		fields := map[string]string{"command": "APPEND", "media_id": id, "segment_index": strconv.Itoa(i)}
		if _, err := s.mediaCommand(ctx, fields, part); err != nil {
			return "", fmt.Errorf("append %d: %w", i, err)
		}
	}
	fin, err := s.mediaCommand(ctx, map[string]string{"command": "FINALIZE", "media_id": id}, nil)
	if err != nil {
		return "", fmt.Errorf("finalize: %w", err)
	}
	if err := s.awaitProcessing(ctx, id, fin); err != nil {
		return "", err
	}
	if m.Alt != "" {
		if err := s.setAlt(ctx, id, m.Alt); err != nil {
			return "", fmt.Errorf("alt text: %w", err)
		}
	}
	return id, nil
}

// category is X's media_category for an image of MIME type t: an animated
// GIF is processed as one.
func category(t string) string {
	if t == "image/gif" {
		return "tweet_gif"
	}
	return "tweet_image"
}

// mediaCommand posts one command of the upload as multipart/form-data,
// with data as the media part when given.
func (s *session) mediaCommand(ctx context.Context, fields map[string]string, data []byte) (uploadAnswer, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, k := range []string{"command", "media_id", "segment_index", "media_type", "total_bytes", "media_category"} {
		if v, ok := fields[k]; ok {
			_ = w.WriteField(k, v) // writes to a buffer cannot fail
		}
	}
	if data != nil {
		part, _ := w.CreateFormFile("media", "media")
		_, _ = part.Write(data)
	}
	_ = w.Close()
	c := call{
		method: http.MethodPost, path: []string{"2", "media", "upload"}, body: buf.Bytes(), ctype: w.FormDataContentType(),
		endpoint: "media " + fields["command"], timeout: s.n.upload,
	}
	body, _, err := s.do(ctx, c)
	if err != nil {
		return uploadAnswer{}, err
	}
	s.n.charge(s.acct.ID, false, s.n.prices.MediaUpload)
	var ans uploadAnswer
	if len(bytes.TrimSpace(body)) == 0 { // APPEND answers 2xx with no body
		return ans, nil
	}
	return ans, decode(body, "2/media/upload", &ans)
}

// awaitProcessing polls STATUS while the answer says the image is pending
// or in progress.
func (s *session) awaitProcessing(ctx context.Context, id string, ans uploadAnswer) error {
	for {
		info := ans.Data.ProcessingInfo
		if info == nil || info.State == "succeeded" {
			return nil
		}
		if info.State == "failed" {
			msg := ""
			if info.Error != nil {
				msg = info.Error.Message
			}
			return fmt.Errorf("processing %s: %s: %w: %w", id, msg, ErrMediaFailed, feeds.ErrRejected)
		}
		wait := min(max(time.Duration(info.CheckAfterSecs)*time.Second, time.Millisecond), s.n.poll)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("processing %s: %w", id, ctx.Err())
		case <-t.C:
		}
		q := url.Values{"command": {"STATUS"}, "media_id": {id}}
		body, _, err := s.do(ctx, call{method: http.MethodGet, path: []string{"2", "media", "upload"}, query: q, endpoint: "media STATUS"})
		if err != nil {
			return fmt.Errorf("status %s: %w", id, err)
		}
		ans = uploadAnswer{}
		if err := decode(body, "2/media/upload", &ans); err != nil {
			return err
		}
	}
}

// setAlt sets an image's alt text (X takes up to 1,000 characters).
func (s *session) setAlt(ctx context.Context, id, alt string) error {
	body := map[string]any{"id": id, "metadata": map[string]any{"alt_text": map[string]string{"text": cmp.Or(feeds.Clip(alt, 1000), alt)}}}
	_, _, err := s.do(ctx, call{method: http.MethodPost, path: []string{"2", "media", "metadata"}, json: body})
	if err == nil {
		s.n.charge(s.acct.ID, false, s.n.prices.MediaUpload)
	}
	return err
}
