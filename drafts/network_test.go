package drafts_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"chancery/accounts"
	"chancery/drafts"
	"chancery/feeds"
)

// recordingNet is a publishing network that keeps what it is given.
type recordingNet struct {
	media  bool
	images feeds.MediaLimits
	got    []feeds.Outgoing
}

func (n *recordingNet) ID() accounts.Network { return accounts.Mastodon }

func (n *recordingNet) Capabilities() feeds.Capabilities {
	return feeds.Capabilities{Kinds: []feeds.Kind{feeds.Home}, Post: true, Media: n.media, Images: n.images}
}

func (n *recordingNet) Fetch(context.Context, accounts.Account, feeds.Kind) ([]feeds.Post, error) {
	return nil, nil
}

func (n *recordingNet) Publish(_ context.Context, _ accounts.Account, out feeds.Outgoing) (feeds.Published, error) {
	n.got = append(n.got, out)
	return feeds.Published{RemoteID: "r1"}, nil
}

func (n *recordingNet) Length(_ accounts.Account, text string) (int, int) {
	return len([]rune(text)), 500
}

type oneAccount struct{ a accounts.Account }

func (o oneAccount) Account(id string) (accounts.Account, error) {
	if id != o.a.ID {
		return accounts.Account{}, accounts.ErrNoAccount
	}
	return o.a, nil
}

func TestPublisherSendsImagesWithTheirDescriptionsAndVisibility(t *testing.T) {
	dir := t.TempDir()
	img := filepath.Join(dir, "chancery.png")
	png := encodePNG(t, gradient(16, 8))
	if err := os.WriteFile(img, png, 0o600); err != nil {
		t.Fatal(err)
	}
	net := &recordingNet{media: true}
	pub := drafts.NetworkPublisher{Accounts: oneAccount{accounts.Account{ID: "a", Network: accounts.Mastodon}}, Networks: feeds.Registry{accounts.Mastodon: net}}
	e := drafts.Entry{
		ID: "k1", Account: "a", Text: "Open house", Visibility: "unlisted",
		Media: []drafts.Attachment{{Path: img, Alt: "The chancery's front door"}},
	}
	if err := pub.Check(e); err != nil {
		t.Fatal(err)
	}
	if _, err := pub.Publish(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	got := net.got[0]
	if got.Visibility != "unlisted" || got.IdempotencyKey != "k1" || len(got.Media) != 1 {
		t.Fatalf("published %+v", got)
	}
	m := got.Media[0]
	if m.Name != "chancery.png" || m.MIME != "image/png" || m.Alt != "The chancery's front door" || len(m.Data) != len(png) {
		t.Errorf("media %+v", m)
	}

	net.media = false
	if err := pub.Check(e); !errors.Is(err, drafts.ErrNoMedia) {
		t.Errorf("images on a network without media: %v", err)
	}
	net.media = true
	if err := os.Remove(img); err != nil {
		t.Fatal(err)
	}
	if err := pub.Check(e); !errors.Is(err, drafts.ErrAttachment) {
		t.Errorf("missing file at check: %v", err)
	}
	if _, err := pub.Publish(context.Background(), e); !errors.Is(err, drafts.ErrAttachment) {
		t.Errorf("missing file at publish: %v", err)
	}
}
