package bluesky

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"image"
	_ "image/gif"  // aspect ratio of GIF uploads
	_ "image/jpeg" // aspect ratio of JPEG uploads
	_ "image/png"  // aspect ratio of PNG uploads
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bluesky-social/indigo/atproto/syntax"
	"github.com/rivo/uniseg"

	"chancery/accounts"
	"chancery/feeds"
)

// Limits of app.bsky.embed.images.
const (
	maxImages    = 4
	maxImageSize = 1_000_000
)

// rkeyEpoch and rkeySpan bound the time part of derived record keys: TIDs
// dated within about 400 days after 2023-01-01, never in the future.
var rkeyEpoch = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()

const rkeySpan = 1 << 45 // microseconds

// Length counts text in grapheme clusters, as Bluesky does, against 300.
func (n *Network) Length(_ accounts.Account, text string) (used, limit int) {
	return uniseg.GraphemeClusterCount(text), MaxGraphemes
}

// Publish posts out on acct: text with facets (links, mentions resolved to
// DIDs, hashtags), language, reply references and images with alt text.
// Content warnings have no Bluesky equivalent and are ignored.
//
// Idempotency: the record key is a TID derived from out.IdempotencyKey, so
// every retry of one outbox entry writes the same at://did/app.bsky.feed.post/rkey.
// Before writing, and again if the write fails, the record is looked up:
// when it exists, the earlier attempt went through and is reported as the
// result. (Reference PDSes answer a create on an existing key with an
// error, today HTTP 500 InternalServerError, elsewhere 409 or 400.) A retry
// whose text was edited meanwhile still reports the post first made.
func (n *Network) Publish(ctx context.Context, acct accounts.Account, out feeds.Outgoing) (feeds.Published, error) {
	s, err := n.current(ctx, acct)
	if err != nil {
		return feeds.Published{}, err
	}
	rkey := recordKey(out.IdempotencyKey)
	if rkey != "" {
		if pub, ok, err := n.existing(ctx, acct, s, rkey); err != nil || ok {
			return pub, err
		}
	}
	rec, err := n.buildPost(ctx, acct, out)
	if err != nil {
		return feeds.Published{}, err
	}
	input := map[string]any{"repo": s.DID, "collection": collPost, "record": rec}
	if rkey != "" {
		input["rkey"] = rkey
	}
	r, err := procedure("com.atproto.repo.createRecord", input)
	if err != nil {
		return feeds.Published{}, err
	}
	var created createOutput
	cerr := n.authed(ctx, acct, r, &created)
	if cerr == nil {
		return published(s, created.URI), nil
	}
	if rkey != "" && ctx.Err() == nil {
		if pub, ok, err := n.existing(ctx, acct, s, rkey); err == nil && ok {
			return pub, nil
		}
	}
	return feeds.Published{}, fmt.Errorf("bluesky publish: %w", cerr)
}

var _ feeds.Finder = (*Network)(nil)

// FindPublished tells whether the post out would have made exists: its
// record key is derived from out.IdempotencyKey, so the record is looked up
// (com.atproto.repo.getRecord) rather than searched for. since is not
// needed: the key names the one record an outbox entry can make.
func (n *Network) FindPublished(ctx context.Context, acct accounts.Account, out feeds.Outgoing, _ time.Time) (feeds.Published, bool, error) {
	rkey := recordKey(out.IdempotencyKey)
	if rkey == "" {
		return feeds.Published{}, false, fmt.Errorf("bluesky find published: no idempotency key: %w", feeds.ErrUnsupported)
	}
	s, err := n.current(ctx, acct)
	if err != nil {
		return feeds.Published{}, false, err
	}
	return n.existing(ctx, acct, s, rkey)
}

// existing looks up the post record at rkey in the account's repository.
func (n *Network) existing(ctx context.Context, acct accounts.Account, s session, rkey string) (feeds.Published, bool, error) {
	r := query("com.atproto.repo.getRecord", url.Values{"repo": {s.DID}, "collection": {collPost}, "rkey": {rkey}})
	var out recordOutput
	if err := n.authed(ctx, acct, r, &out); err != nil {
		if recordNotFound(err) {
			return feeds.Published{}, false, nil
		}
		return feeds.Published{}, false, fmt.Errorf("bluesky publish: %w", err)
	}
	if out.URI == "" {
		out.URI = "at://" + s.DID + "/" + collPost + "/" + rkey
	}
	return published(s, out.URI), true, nil
}

// recordNotFound reports getRecord's answer for a missing record: error
// RecordNotFound, or InvalidRequest "Could not locate record" from older
// reference PDS versions.
func recordNotFound(err error) bool {
	return isRefusal(err, "RecordNotFound") ||
		isRefusal(err, "InvalidRequest") && strings.Contains(err.Error(), "Could not locate record")
}

func published(s session, uri string) feeds.Published {
	return feeds.Published{RemoteID: uri, URL: postURL(profile{DID: s.DID, Handle: s.Handle}, uri)}
}

// recordKey derives a valid TID record key from an idempotency key: the
// same key always gives the same record key. Without a key it returns ""
// and the PDS chooses the key (no idempotency is asked for then).
func recordKey(idempotencyKey string) string {
	if idempotencyKey == "" {
		return ""
	}
	sum := sha256.Sum256([]byte("chancery bluesky rkey\x00" + idempotencyKey))
	v := binary.BigEndian.Uint64(sum[:8])
	micros := rkeyEpoch + int64((v>>10)%rkeySpan)
	return syntax.NewTID(micros, uint(v&0x3FF)).String()
}

// buildPost makes the post record of out.
func (n *Network) buildPost(ctx context.Context, acct accounts.Account, out feeds.Outgoing) (postRecord, error) {
	text := strings.ToValidUTF8(out.Text, "\uFFFD")
	if used, limit := n.Length(acct, text); used > limit {
		return postRecord{}, fmt.Errorf("bluesky publish: %d graphemes, limit %d: %w", used, limit, feeds.ErrRejected)
	}
	rec := postRecord{Type: collPost, Text: text, CreatedAt: n.now().UTC().Format("2006-01-02T15:04:05.000Z")}
	if lang, err := syntax.ParseLanguage(strings.TrimSpace(out.Lang)); err == nil {
		rec.Langs = []string{lang.String()}
	}
	var err error
	if rec.Facets, err = n.richText(ctx, acct, text); err != nil {
		return postRecord{}, err
	}
	if out.ReplyTo != "" {
		if rec.Reply, err = n.replyRefs(ctx, acct, postURI(out.ReplyTo)); err != nil {
			return postRecord{}, err
		}
	}
	if len(out.Media) > 0 {
		if rec.Embed, err = n.images(ctx, acct, out.Media); err != nil {
			return postRecord{}, err
		}
	}
	return rec, nil
}

// richText computes the facets of text, resolving mentioned handles to
// DIDs. A handle the network does not know stays plain text.
func (n *Network) richText(ctx context.Context, acct accounts.Account, text string) ([]facet, error) {
	spans := detect(text)
	dids := map[string]string{}
	for _, sp := range spans {
		if sp.kind != spanMention {
			continue
		}
		if _, done := dids[sp.value]; done {
			continue
		}
		did, err := n.resolveMention(ctx, acct, sp.value)
		if err != nil {
			return nil, err
		}
		if did != "" {
			dids[sp.value] = did
		}
	}
	return facets(spans, dids), nil
}

// resolveMention returns the DID of handle, or "" if it has none.
func (n *Network) resolveMention(ctx context.Context, acct accounts.Account, handle string) (string, error) {
	var out struct {
		DID string `json:"did"`
	}
	r := query("com.atproto.identity.resolveHandle", url.Values{"handle": {handle}})
	if err := n.authed(ctx, acct, r, &out); err != nil {
		if isRefusal(err) {
			return "", nil
		}
		return "", fmt.Errorf("bluesky mention @%s: %w", handle, err)
	}
	if _, err := syntax.ParseDID(out.DID); err != nil {
		return "", nil
	}
	return out.DID, nil
}

// replyRefs returns the root and parent references of a reply to parent.
func (n *Network) replyRefs(ctx context.Context, acct accounts.Account, parent string) (*replyRef, error) {
	v, err := n.getPost(ctx, acct, parent)
	if err != nil {
		return nil, fmt.Errorf("bluesky reply: %w", err)
	}
	ref := &replyRef{Parent: strongRef{URI: v.URI, CID: v.CID}}
	var rec postRecord
	if json.Unmarshal(v.Record, &rec) == nil && rec.Reply != nil && rec.Reply.Root.URI != "" && rec.Reply.Root.CID != "" {
		ref.Root = rec.Reply.Root
	} else {
		ref.Root = ref.Parent
	}
	return ref, nil
}

// images uploads media as blobs and returns an app.bsky.embed.images embed.
func (n *Network) images(ctx context.Context, acct accounts.Account, media []feeds.OutgoingMedia) (json.RawMessage, error) {
	if len(media) > maxImages {
		return nil, fmt.Errorf("bluesky publish: %d images, at most %d: %w", len(media), maxImages, feeds.ErrRejected)
	}
	embed := imageEmbed{Type: typeEmbedImages}
	for _, m := range media {
		img, err := n.uploadImage(ctx, acct, m)
		if err != nil {
			return nil, err
		}
		embed.Images = append(embed.Images, img)
	}
	return json.Marshal(embed)
}

func (n *Network) uploadImage(ctx context.Context, acct accounts.Account, m feeds.OutgoingMedia) (embedImage, error) {
	if !strings.HasPrefix(m.MIME, "image/") {
		return embedImage{}, fmt.Errorf("bluesky publish %s: %s: %w", m.Name, m.MIME, feeds.ErrUnsupported)
	}
	if len(m.Data) == 0 || len(m.Data) > maxImageSize {
		return embedImage{}, fmt.Errorf("bluesky publish %s: %d bytes, at most %d: %w", m.Name, len(m.Data), maxImageSize, feeds.ErrRejected)
	}
	r := request{method: http.MethodPost, nsid: "com.atproto.repo.uploadBlob", body: m.Data, contentType: m.MIME}
	var out blobOutput
	if err := n.authed(ctx, acct, r, &out); err != nil {
		return embedImage{}, fmt.Errorf("bluesky upload %s: %w", m.Name, err)
	}
	if len(out.Blob) == 0 || !json.Valid(out.Blob) {
		return embedImage{}, fmt.Errorf("bluesky upload %s: no blob: %w", m.Name, feeds.ErrBadResponse)
	}
	img := embedImage{Alt: m.Alt, Image: out.Blob}
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(m.Data)); err == nil && cfg.Width > 0 && cfg.Height > 0 {
		img.AspectRatio = &aspectRatio{Width: cfg.Width, Height: cfg.Height}
	}
	return img, nil
}
