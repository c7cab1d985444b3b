package rss

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

func TestNetworkDeclaresOneReadOnlyTimeline(t *testing.T) {
	n := New(nil)
	if n.ID() != accounts.RSS {
		t.Errorf("ID = %q", n.ID())
	}
	want := feeds.Capabilities{Kinds: []feeds.Kind{feeds.Feed}}
	if got := n.Capabilities(); !reflect.DeepEqual(got, want) {
		t.Errorf("Capabilities = %+v, want %+v", got, want)
	}
	_, err := n.Fetch(t.Context(), account("https://example.org/feed"), feeds.Home)
	wantErr(t, err, feeds.ErrUnsupported)
	_, err = n.Fetch(t.Context(), accounts.Account{ID: "x", Network: accounts.RSS}, feeds.Feed)
	wantErr(t, err, feeds.ErrBadURL)
}

func TestFetchRSS2(t *testing.T) {
	f := newFixture()
	s := serve(t, static(rss2, "application/rss+xml"))
	feedURL := s.URL + "/feed.xml"
	posts := f.fetch(t, feedURL)
	if len(posts) != 3 {
		t.Fatalf("got %d posts, want 3: %q", len(posts), ids(posts))
	}

	visa := byID(t, posts, "https://embassy.example/press/visa")
	want := feeds.Post{
		ID: "https://embassy.example/press/visa", Account: "acct-1", Network: accounts.RSS,
		Author: "Service de presse", AuthorHandle: "127.0.0.1",
		Text:      "Visa & services consulaires\n\nRendez-vous ouverts. https://embassy.example/visa",
		Lang:      "fr-CA",
		CreatedAt: time.Date(2025, 10, 21, 7, 0, 0, 0, time.UTC),
		URL:       "https://embassy.example/press/visa",
		Media:     []feeds.Media{{Type: "image", URL: "https://embassy.example/img/visa.jpg", Alt: "Visa & services consulaires"}},
	}
	if !reflect.DeepEqual(visa, want) {
		t.Errorf("visa post\n got %+v\nwant %+v", visa, want)
	}

	// An opaque GUID is scoped to its feed; a relative link is resolved
	// against the feed's address; the item's own language wins; audio is
	// not an image.
	reception := byID(t, posts, feedURL+"#press-0042")
	if reception.URL != s.URL+"/press/national-day" || reception.Lang != "en" || reception.Media != nil {
		t.Errorf("reception post = %+v", reception)
	}
	if reception.Author != "Ambassade d'Examplie — Presse" || reception.Text != "National day reception\n\nJoin us on 1 July." {
		t.Errorf("reception author/text = %q / %q", reception.Author, reception.Text)
	}

	// Neither GUID nor link nor date: a hashed id, first seen now.
	closed := posts[0]
	if !strings.HasPrefix(closed.ID, "sha256:") || !closed.CreatedAt.Equal(t0) || closed.URL != "" {
		t.Errorf("undated post = %+v", closed)
	}
	for i := 1; i < len(posts); i++ {
		if posts[i].CreatedAt.After(posts[i-1].CreatedAt) {
			t.Errorf("posts not newest first: %q", ids(posts))
		}
	}
}

func TestFetchAtom(t *testing.T) {
	f := newFixture()
	s := serve(t, static(atom1, "application/atom+xml"))
	posts := f.fetch(t, s.URL+"/atom")
	if got, want := ids(posts), []string{"urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a", "tag:ministry.example,2025:travel-1"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("ids = %q, want %q", got, want)
	}
	summit, travel := posts[0], posts[1]
	if !summit.CreatedAt.Equal(time.Date(2025, 10, 22, 18, 30, 2, 0, time.UTC)) {
		t.Errorf("published not preferred: %v", summit.CreatedAt)
	}
	if summit.Author != "Jane Doe" || summit.Text != "Statement on the summit\n\nThe minister welcomed the outcome." || summit.Lang != "de-AT" {
		t.Errorf("summit = %+v", summit)
	}
	if !travel.CreatedAt.Equal(time.Date(2025, 10, 21, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("updated not used without published: %v", travel.CreatedAt)
	}
	if travel.Author != "Ministry of Foreign Affairs" || travel.URL != "https://ministry.example/travel" {
		t.Errorf("travel = %+v", travel)
	}
	if !strings.Contains(travel.Text, "Check the https://ministry.example/travel-advice.") {
		t.Errorf("xhtml content = %q", travel.Text)
	}
}

func TestFetchRDF(t *testing.T) {
	f := newFixture()
	s := serve(t, static(rdf, "application/rdf+xml"))
	posts := f.fetch(t, s.URL+"/news.rss")
	if len(posts) != 2 {
		t.Fatalf("got %d posts: %q", len(posts), ids(posts))
	}
	xslt := byID(t, posts, "http://xml.com/pub/2000/08/09/xslt/xslt.html")
	if !xslt.CreatedAt.Equal(time.Date(2000, 8, 9, 12, 0, 0, 0, time.UTC)) || xslt.Lang != "en-US" || xslt.Author != "XML.com" {
		t.Errorf("xslt = %+v", xslt)
	}
	rdfdb := byID(t, posts, "http://xml.com/pub/2000/08/09/rdfdb/index.html")
	if !rdfdb.CreatedAt.Equal(t0) || !strings.HasPrefix(rdfdb.Text, "Putting RDF to Work\n\nTool and API") {
		t.Errorf("rdfdb = %+v", rdfdb)
	}
}
