package bluesky

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"reflect"
	"strings"
	"testing"

	"github.com/bluesky-social/indigo/atproto/syntax"

	"chancery/feeds"
)

const nsidCreateRecord = "com.atproto.repo.createRecord"

func TestPublishRetryCreatesOnePost(t *testing.T) {
	f := newFakeServer(t)
	n, acct, _ := signedIn(t, f)
	ctx := context.Background()
	out := feeds.Outgoing{Text: "Le consulat sera fermé lundi.", Lang: "fr", IdempotencyKey: "outbox-42/acct-1"}

	// The post is made but the answer is lost, and so is the look-up after it.
	f.set(func(f *fakeServer) { f.loseNext = true })
	f.queue("com.atproto.repo.getRecord", reply{status: 400, body: `{"error":"RecordNotFound","message":"Could not locate record"}`})
	f.queue("com.atproto.repo.getRecord", reply{status: 503, body: `<html>Service Unavailable</html>`})
	if _, err := n.Publish(ctx, acct, out); !errors.Is(err, feeds.ErrServer) {
		t.Fatalf("first try: err = %v, want ErrServer", err)
	}
	first, err := n.Publish(ctx, acct, out)
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	again, err := n.Publish(ctx, acct, out)
	if err != nil || again != first {
		t.Fatalf("third try = %+v, %v; want %+v", again, err, first)
	}
	posts := f.posts()
	if len(posts) != 1 || f.count("pds", nsidCreateRecord) != 1 {
		t.Fatalf("%d posts after retries (%d creates), want 1", len(posts), f.count("pds", nsidCreateRecord))
	}
	for rkey := range posts {
		if first.RemoteID != "at://"+testDID+"/app.bsky.feed.post/"+rkey ||
			first.URL != "https://bsky.app/profile/"+testHandle+"/post/"+rkey {
			t.Errorf("published = %+v, rkey %s", first, rkey)
		}
	}
}

func TestPublishLostAnswerFoundAtOnce(t *testing.T) {
	f := newFakeServer(t)
	n, acct, _ := signedIn(t, f)
	f.set(func(f *fakeServer) { f.loseNext = true })
	got, err := n.Publish(context.Background(), acct, feeds.Outgoing{Text: "Bonjour", IdempotencyKey: "k"})
	if err != nil || !strings.HasPrefix(got.RemoteID, "at://"+testDID+"/app.bsky.feed.post/") {
		t.Fatalf("Publish = %+v, %v; the look-up after a failed write should find the post", got, err)
	}
	if len(f.posts()) != 1 || f.count("pds", nsidCreateRecord) != 1 {
		t.Errorf("%d posts, %d creates", len(f.posts()), f.count("pds", nsidCreateRecord))
	}
}

// A create that races another attempt with the same key meets the PDS's
// answer for an existing record key; each known answer counts as success.
func TestPublishDuplicateKeyAnswers(t *testing.T) {
	answers := []reply{
		{status: 500, body: `{"error":"InternalServerError","message":"Internal Server Error"}`},
		{status: 409, body: `{"error":"RecordAlreadyExists","message":"Record already exists"}`},
		{status: 400, body: `{"error":"InvalidRequest","message":"Record already exists"}`},
	}
	for _, answer := range answers {
		f := newFakeServer(t)
		f.dupReply = answer
		n, acct, _ := signedIn(t, f)
		out := feeds.Outgoing{Text: "Bonjour", IdempotencyKey: "k1"}
		want, err := n.Publish(context.Background(), acct, out)
		if err != nil {
			t.Fatal(err)
		}
		// The look-up before the write misses (the other attempt is in flight);
		// older PDS versions say so with InvalidRequest.
		f.queue("com.atproto.repo.getRecord", reply{status: 400, body: `{"error":"InvalidRequest","message":"Could not locate record: at://x"}`})
		got, err := n.Publish(context.Background(), acct, out)
		if err != nil || got != want {
			t.Errorf("HTTP %d: got %+v, %v; want %+v", answer.status, got, err, want)
		}
		if len(f.posts()) != 1 || f.count("pds", nsidCreateRecord) != 2 {
			t.Errorf("HTTP %d: %d posts, %d creates", answer.status, len(f.posts()), f.count("pds", nsidCreateRecord))
		}
	}
}

func TestRecordKey(t *testing.T) {
	seen := map[string]bool{}
	for _, key := range []string{"k1", "k2", "outbox/01HZX/acct-1", strings.Repeat("x", 500)} {
		rkey := recordKey(key)
		tid, err := syntax.ParseTID(rkey)
		if err != nil {
			t.Fatalf("recordKey(%q) = %q, not a TID: %v", key, rkey, err)
		}
		if rkey != recordKey(key) {
			t.Errorf("recordKey(%q) is not stable", key)
		}
		if _, err := syntax.ParseRecordKey(rkey); err != nil {
			t.Errorf("recordKey(%q) = %q, not a record key: %v", key, rkey, err)
		}
		if seen[rkey] {
			t.Errorf("recordKey(%q) = %q collides", key, rkey)
		}
		seen[rkey] = true
		if tid.Time().After(newTestClock().Now()) || tid.Time().Year() < 2023 {
			t.Errorf("recordKey(%q) dated %v", key, tid.Time())
		}
	}
	if recordKey("") != "" {
		t.Error("recordKey without a key should leave the choice to the PDS")
	}
}

func TestPublishWithoutKey(t *testing.T) {
	f := newFakeServer(t)
	n, acct, _ := signedIn(t, f)
	for range 2 {
		if _, err := n.Publish(context.Background(), acct, feeds.Outgoing{Text: "Sans clé"}); err != nil {
			t.Fatal(err)
		}
	}
	if len(f.posts()) != 2 || f.count("pds", "com.atproto.repo.getRecord") != 0 {
		t.Errorf("%d posts, calls %v", len(f.posts()), f.calls)
	}
}

func TestPublishRecord(t *testing.T) {
	f := newFakeServer(t)
	n, acct, _ := signedIn(t, f)
	text := "Bonjour @alice.bsky.social et @inconnu.bsky.social ! Visas : https://example.org/visa?x=1. #Diplomatie 🇫🇷"
	if _, err := n.Publish(context.Background(), acct, feeds.Outgoing{Text: text, Lang: "fr", IdempotencyKey: "p1"}); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	rec := onlyPost(t, f)
	if rec.Text != text || !reflect.DeepEqual(rec.Langs, []string{"fr"}) || rec.CreatedAt != "2026-03-14T09:00:00.000Z" || rec.Type != collPost {
		t.Errorf("record = %+v", rec)
	}
	want := []struct {
		sub string
		f   feature
	}{
		{"@alice.bsky.social", feature{Type: typeFacetMention, DID: aliceDID}},
		{"https://example.org/visa?x=1", feature{Type: typeFacetLink, URI: "https://example.org/visa?x=1"}},
		{"#Diplomatie", feature{Type: typeFacetTag, Tag: "Diplomatie"}},
	}
	if len(rec.Facets) != len(want) {
		t.Fatalf("facets = %+v", rec.Facets)
	}
	for i, w := range want {
		fc := rec.Facets[i]
		if text[fc.Index.ByteStart:fc.Index.ByteEnd] != w.sub || !reflect.DeepEqual(fc.Features, []feature{w.f}) {
			t.Errorf("facet %d = %+v, want %q %+v", i, fc, w.sub, w.f)
		}
	}
}

func TestPublishReplyRefs(t *testing.T) {
	tests := []struct {
		replyTo      string
		root, parent string
	}{
		{uriA1, uriA1, uriA1},                            // a top-level post is its own thread's root
		{uriC1, uriA1, uriC1},                            // a reply keeps its thread's root
		{uriB1 + repostMarker + uriRepost, uriA1, uriB1}, // a repost item names its post
	}
	for _, tt := range tests {
		f := newFakeServer(t)
		n, acct, _ := signedIn(t, f)
		if _, err := n.Publish(context.Background(), acct, feeds.Outgoing{Text: "Merci", ReplyTo: tt.replyTo, IdempotencyKey: "r"}); err != nil {
			t.Fatalf("Publish: %v", err)
		}
		rec := onlyPost(t, f)
		want := &replyRef{Root: strongRef{tt.root, cidOf(tt.root)}, Parent: strongRef{tt.parent, cidOf(tt.parent)}}
		if !reflect.DeepEqual(rec.Reply, want) {
			t.Errorf("reply to %s: %+v, want %+v", tt.replyTo, rec.Reply, want)
		}
	}
	f := newFakeServer(t)
	n, acct, _ := signedIn(t, f)
	_, err := n.Publish(context.Background(), acct, feeds.Outgoing{Text: "x", ReplyTo: "at://" + aliceDID + "/app.bsky.feed.post/3lgone"})
	if !errors.Is(err, feeds.ErrRejected) || len(f.posts()) != 0 {
		t.Errorf("reply to a deleted post: err = %v", err)
	}
}

func TestPublishImages(t *testing.T) {
	f := newFakeServer(t)
	n, acct, _ := signedIn(t, f)
	media := []feeds.OutgoingMedia{
		{Name: "a.png", MIME: "image/png", Data: pngBytes(t, 40, 30), Alt: "Le drapeau sur l'ambassade"},
		{Name: "b.png", MIME: "image/png", Data: pngBytes(t, 10, 20), Alt: "大使馆"},
	}
	if _, err := n.Publish(context.Background(), acct, feeds.Outgoing{Text: "Photos", Media: media, IdempotencyKey: "i"}); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	var embed struct {
		Type   string `json:"$type"`
		Images []struct {
			Alt   string `json:"alt"`
			Image struct {
				Type     string            `json:"$type"`
				Ref      map[string]string `json:"ref"`
				MimeType string            `json:"mimeType"`
				Size     int               `json:"size"`
			} `json:"image"`
			AspectRatio *aspectRatio `json:"aspectRatio"`
		} `json:"images"`
	}
	if err := json.Unmarshal(onlyPost(t, f).Embed, &embed); err != nil {
		t.Fatal(err)
	}
	if embed.Type != typeEmbedImages || len(embed.Images) != 2 || f.count("pds", "com.atproto.repo.uploadBlob") != 2 {
		t.Fatalf("embed = %+v", embed)
	}
	for i, img := range embed.Images {
		if img.Alt != media[i].Alt || img.Image.Type != "blob" || img.Image.MimeType != "image/png" ||
			img.Image.Size != len(media[i].Data) || f.blobs[img.Image.Ref["$link"]] != "image/png" {
			t.Errorf("image %d = %+v", i, img)
		}
	}
	if r := embed.Images[0].AspectRatio; r == nil || *r != (aspectRatio{40, 30}) {
		t.Errorf("aspect ratio = %+v", r)
	}
}

func TestPublishRefusedLocally(t *testing.T) {
	f := newFakeServer(t)
	n, acct, _ := signedIn(t, f)
	img := feeds.OutgoingMedia{Name: "a.png", MIME: "image/png", Data: pngBytes(t, 2, 2)}
	tests := []struct {
		name string
		out  feeds.Outgoing
		want error
	}{
		{"too long", feeds.Outgoing{Text: strings.Repeat("é", 301)}, feeds.ErrRejected},
		{"five images", feeds.Outgoing{Text: "x", Media: []feeds.OutgoingMedia{img, img, img, img, img}}, feeds.ErrRejected},
		{"too big", feeds.Outgoing{Text: "x", Media: []feeds.OutgoingMedia{{Name: "b.jpg", MIME: "image/jpeg", Data: make([]byte, 1_000_001)}}}, feeds.ErrRejected},
		{"video", feeds.Outgoing{Text: "x", Media: []feeds.OutgoingMedia{{Name: "v.mp4", MIME: "video/mp4", Data: []byte{1}}}}, feeds.ErrUnsupported},
	}
	for _, tt := range tests {
		if _, err := n.Publish(context.Background(), acct, tt.out); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
	if f.count("pds", nsidCreateRecord) != 0 || f.count("pds", "com.atproto.repo.uploadBlob") != 0 {
		t.Errorf("refused posts reached the server: %v", f.calls)
	}
	if used, _ := n.Length(acct, strings.Repeat("👩🏽‍💻", 300)); used != 300 {
		t.Errorf("Length = %d", used)
	}
}

func onlyPost(t *testing.T, f *fakeServer) postRecord {
	t.Helper()
	posts := f.posts()
	if len(posts) != 1 {
		t.Fatalf("%d posts, want 1", len(posts))
	}
	for _, p := range posts {
		return p
	}
	return postRecord{}
}

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
