package drafts_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"chancery/accounts"
	"chancery/drafts"
	"chancery/feeds"
	"chancery/feeds/demo"
	"chancery/feeds/mastodon"
	"chancery/storage"
	"chancery/translations"
)

// checkFixture is a profile with the default missions and one account per
// network: Mastodon (real length and media rules), demo (no media) and a
// network that takes only HEIC images.
type checkFixture struct {
	db  *storage.DB
	svc *drafts.Service
	pub drafts.NetworkPublisher
	img string // a small PNG
}

func newCheckFixture(t *testing.T) checkFixture {
	t.Helper()
	db := openDB(t)
	ws := accounts.NewWorkspace(db, nil, nil)
	if _, err := ws.EnsureDefault(); err != nil {
		t.Fatal(err)
	}
	for _, a := range []accounts.Account{
		{ID: "vie-m", Mission: "vienna", Network: accounts.Mastodon, Server: "https://social.example", Handle: "@botschaft@social.example"},
		{ID: "hag-d", Mission: "the-hague", Network: accounts.Demo, Handle: "@demo-den-haag"},
		{ID: "bei-x", Mission: "beijing", Network: accounts.X, Handle: "@embassy_beijing"},
	} {
		if err := db.PutAccount(a); err != nil {
			t.Fatal(err)
		}
	}
	heicOnly := &recordingNet{media: true, images: feeds.MediaLimits{MaxImages: 4, Types: []string{"image/heic"}}}
	reg := feeds.Registry{
		accounts.Mastodon: mastodon.New(nil, nil),
		accounts.Demo:     demo.New(demo.WithPublishing(db, nil)),
		accounts.X:        heicOnly,
	}
	return checkFixture{
		db: db, svc: drafts.NewService(db, nil),
		pub: drafts.NetworkPublisher{Accounts: ws, Networks: reg},
		img: writeFile(t, filepath.Join(t.TempDir(), "flag.png"), encodePNG(t, gradient(16, 16))),
	}
}

func TestSubmitRefusesWhatTheTargetCannotTake(t *testing.T) {
	images := func(path string, n int) []drafts.Attachment {
		out := make([]drafts.Attachment, n)
		for i := range out {
			out[i] = drafts.Attachment{Path: path, Name: "flag.png"}
		}
		return out
	}
	cases := []struct {
		name    string
		target  string
		lang    string
		text    string
		warning string
		media   int
		want    error
		// wantEN and wantFR are in the explanation the user reads.
		wantEN, wantFR []string
	}{
		{
			name: "content warning makes a Mastodon post too long", target: "vie-m", lang: "fr",
			text: strings.Repeat("é", 480), warning: "Élections : résultats provisoires", want: drafts.ErrTooLong,
			wantEN: []string{"@botschaft@social.example", "Vienna", "French", "513 characters", "allows 500"},
			wantFR: []string{"@botschaft@social.example", "Vienne", "Français", "513 caractères", "autorise 500"},
		},
		{
			name: "five images on Mastodon", target: "vie-m", lang: "en", text: "National day", media: 5, want: drafts.ErrTooManyImages,
			wantEN: []string{"@botschaft@social.example", "Vienna", "English", "at most 4 images"},
			wantFR: []string{"Vienne", "au plus 4 images"},
		},
		{
			name: "image on a network without media", target: "hag-d", lang: "en", text: "Koningsdag", media: 1, want: drafts.ErrNoMedia,
			wantEN: []string{"@demo-den-haag", "The Hague", "English", "cannot publish images"},
			wantFR: []string{"La Haye", "ne peut pas publier d'images"},
		},
		{
			name: "image of a type the network cannot take", target: "bei-x", lang: "en", text: "Spring festival", media: 1, want: drafts.ErrImageType,
			wantEN: []string{"@embassy_beijing", "Beijing", "flag.png", "does not accept this kind of image"},
			wantFR: []string{"Pékin", "flag.png", "n'accepte pas ce type d'image"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newCheckFixture(t)
			d, err := f.svc.New([]string{c.target})
			if err != nil {
				t.Fatal(err)
			}
			d.SetText(c.lang, c.text)
			d.ContentWarning, d.Media = c.warning, images(f.img, c.media)
			_, err = f.svc.Submit(d, f.pub)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			var te *drafts.TargetError
			if !errors.As(err, &te) || te.Account.ID != c.target || te.Lang != c.lang {
				t.Errorf("error does not name the target: %#v", te)
			}
			for lang, wants := range map[string][]string{"en": c.wantEN, "fr": c.wantFR} {
				msg := translations.New(lang).Error(err)
				for _, w := range wants {
					if !strings.Contains(msg, w) {
						t.Errorf("%s message %q lacks %q", lang, msg, w)
					}
				}
			}
			if entries, _ := f.db.Entries(); len(entries) != 0 {
				t.Errorf("a refused draft was queued: %+v", entries)
			}
			if _, err := f.svc.Get(d.ID); err != nil {
				t.Errorf("the refused draft is gone: %v", err)
			}
		})
	}
}

func TestSubmitAcceptsWhatFits(t *testing.T) {
	f := newCheckFixture(t)
	d, err := f.svc.New([]string{"vie-m"})
	if err != nil {
		t.Fatal(err)
	}
	// 480 characters and a 20-character warning: exactly Mastodon's 500.
	d.SetText("en", strings.Repeat("a", 480))
	d.ContentWarning = strings.Repeat("w", 20)
	d.Media = []drafts.Attachment{{Path: f.img}, {Path: f.img}, {Path: f.img}, {Path: f.img}}
	if _, err := f.svc.Submit(d, f.pub); err != nil {
		t.Fatal(err)
	}
}

func TestCheckRefusesADecompressionBomb(t *testing.T) {
	f := newCheckFixture(t)
	bomb := writeFile(t, filepath.Join(t.TempDir(), "bomb.png"), bombPNG(t, 100000, 100000))
	e := drafts.Entry{ID: "k", Account: "vie-m", Lang: "en", Text: "Hello", Media: []drafts.Attachment{{Path: bomb}}}
	if err := f.pub.Check(e); !errors.Is(err, drafts.ErrImageTooLarge) {
		t.Errorf("err = %v, want ErrImageTooLarge", err)
	}
}
