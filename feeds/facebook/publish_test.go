package facebook

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"chancery/feeds"
	"chancery/feeds/facebook/fbtest"
)

func TestPublishText(t *testing.T) {
	srv, n, acct := setup(t)
	pub, err := n.Publish(context.Background(), acct, feeds.Outgoing{Text: "Le consulat sera fermé lundi.", Lang: "fr"})
	if err != nil {
		t.Fatal(err)
	}
	posts := srv.Posts()
	if len(posts) != 1 || posts[0].ID != pub.RemoteID || posts[0].Message != "Le consulat sera fermé lundi." || !posts[0].Published {
		t.Fatalf("server holds %+v, published %+v", posts, pub)
	}
	if !strings.HasPrefix(pub.URL, "https://www.facebook.com/"+fbtest.PageID+"/posts/") {
		t.Errorf("url %q", pub.URL)
	}
}

func TestPublishOnePhotoWithAltText(t *testing.T) {
	srv, n, acct := setup(t)
	pub, err := n.Publish(context.Background(), acct, feeds.Outgoing{Text: "Réception du 1er décembre", Media: []feeds.OutgoingMedia{
		{Name: "reception.jpg", MIME: "image/jpeg", Data: []byte("\xff\xd8jpeg"), Alt: "L'ambassadrice accueille les invités"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	posts := srv.Posts()
	if len(posts) != 1 || posts[0].ID != pub.RemoteID || len(posts[0].Photos) != 1 || posts[0].Message != "Réception du 1er décembre" {
		t.Fatalf("server holds %+v", posts)
	}
	ph, _ := srv.Photo(posts[0].Photos[0])
	if ph.Alt != "L'ambassadrice accueille les invités" || ph.Type != "image/jpeg" || ph.Size != 6 {
		t.Errorf("photo %+v", ph)
	}
}

func TestPublishSeveralPhotosAttachesUnpublishedUploads(t *testing.T) {
	srv, n, acct := setup(t)
	_, err := n.Publish(context.Background(), acct, feeds.Outgoing{Text: "Album", Media: []feeds.OutgoingMedia{
		{Name: "1.jpg", MIME: "image/jpeg", Data: []byte("one"), Alt: "Premier"},
		{Name: "2.jpg", MIME: "image/jpeg", Data: []byte("two"), Alt: "Second"},
		{Name: "3.png", MIME: "image/png", Data: []byte("three")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	posts := srv.Posts()
	if len(posts) != 1 || len(posts[0].Photos) != 3 {
		t.Fatalf("server holds %+v", posts)
	}
	for i, alt := range []string{"Premier", "Second", ""} {
		ph, _ := srv.Photo(posts[0].Photos[i])
		if ph.Alt != alt || ph.Published || ph.Temporary {
			t.Errorf("photo %d: %+v", i, ph)
		}
	}
	if srv.Count("POST /"+fbtest.Version+"/"+fbtest.PageID+"/feed") != 1 {
		t.Error("not one feed post")
	}
}

func TestReplyToACommentAndLikeIt(t *testing.T) {
	srv, n, acct := setup(t)
	ctx := context.Background()
	post := srv.AddPost("Visa", start.Add(-time.Hour))
	c := srv.AddComment(post, "201", "Jan de Vries", "Hoe lang duurt het?", start)
	pub, err := n.Publish(ctx, acct, feeds.Outgoing{Text: "Ongeveer tien werkdagen.", ReplyTo: c})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Act(ctx, acct, c, feeds.Like, false); err != nil {
		t.Fatal(err)
	}
	var reply, liked bool
	for _, got := range srv.Comments() {
		reply = reply || (got.ID == pub.RemoteID && got.Object == c && got.FromID == fbtest.PageID && got.Message == "Ongeveer tien werkdagen.")
		liked = liked || (got.ID == c && got.Liked)
	}
	if !reply || !liked {
		t.Fatalf("reply %v, liked %v: %+v", reply, liked, srv.Comments())
	}
	if err := n.Act(ctx, acct, c, feeds.Like, true); err != nil {
		t.Fatal(err)
	}
	if err := n.Act(ctx, acct, c, feeds.Repost, false); !errors.Is(err, feeds.ErrUnsupported) {
		t.Errorf("repost: %v", err)
	}
}

func TestLengthAndContentWarning(t *testing.T) {
	_, n, acct := setup(t)
	if used, limit := n.Length(acct, "héllo 😀"); used != 8 || limit != MaxLength {
		t.Errorf("length %d/%d", used, limit)
	}
	out := feeds.Outgoing{Text: "Détails de l'incident.", ContentWarning: "Sécurité"}
	text, warning := decompose(compose(out))
	if text != out.Text || warning != out.ContentWarning {
		t.Errorf("round trip %q %q", text, warning)
	}
	if n.WarningLength(acct, "Sécurité")+length(out.Text) != length(compose(out)) {
		t.Error("warning length does not add up")
	}
	long := strings.Repeat("a", MaxLength+1)
	if _, err := n.Publish(context.Background(), acct, feeds.Outgoing{Text: long}); feeds.Classify(err) != feeds.OutcomeRefused {
		t.Errorf("too long: %v", err)
	}
}

// A photo's answer without a usable id is a bad answer, never a post id
// made up from it: the photo post's outcome is then unknown (looked for
// before any new attempt), and a reply is not sent without its photo.
func TestPhotoAnswersWithoutAnIDAreBadResponses(t *testing.T) {
	photos := "POST /" + fbtest.Version + "/" + fbtest.PageID + "/photos"
	photo := []feeds.OutgoingMedia{{Name: "a.jpg", MIME: "image/jpeg", Data: []byte("\xff\xd8jpeg"), Alt: "Une photo"}}
	for _, body := range []string{`{}`, `{"id":""}`, `{"id":"../me"}`} {
		srv, n, acct := setup(t)
		srv.Fail(photos, 1, 200, body)
		pub, err := n.Publish(context.Background(), acct, feeds.Outgoing{Text: "Photo", Media: photo})
		if !errors.Is(err, feeds.ErrBadResponse) || feeds.Classify(err) != feeds.OutcomeUnknown {
			t.Errorf("photo post answered %s: %+v, %v; want a bad response of unknown outcome", body, pub, err)
		}
		post := srv.AddPost("Visa", start.Add(-time.Hour))
		srv.Fail(photos, 1, 200, body)
		_, err = n.Publish(context.Background(), acct, feeds.Outgoing{Text: "Voici", ReplyTo: post, Media: photo})
		if !errors.Is(err, feeds.ErrBadResponse) || len(srv.Comments()) != 0 {
			t.Errorf("reply photo answered %s: %v, %d comments", body, err, len(srv.Comments()))
		}
	}
}
