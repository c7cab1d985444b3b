package search

import (
	"errors"
	"strings"
	"testing"
	"time"

	"chancery/feeds"
)

// corpus caches posts in several languages, newest last.
func corpus(t *testing.T, f *fixture) {
	t.Helper()
	f.put(t, "vie1", feeds.Home,
		mkPost("en1", "en", "Consular services are closed on Monday; visa appointments move to Tuesday.", 1),
		mkPost("fr1", "fr", "Les services CONSULAIRES de l'ambassade à Pékin restent ouverts.", 2),
		mkPost("de1", "de", "Visumanträge werden bis Freitag bearbeitet.", 3),
		mkPost("nl1", "nl", "De ambassade waarschuwt voor fraude met visumaanvragen.", 4),
		mkPost("zh1", "zh-Hans", "警惕签证诈骗：大使馆从不通过电话收费。", 5),
	)
	f.put(t, "bei1", feeds.Home,
		mkPost("en2", "en", "Beware of visa fraud: the embassy never asks for payment by phone.", 6),
		mkPost("xx1", "", "Réunion consulaire à PEKIN demain.", 7),
	)
	f.put(t, "bei1", feeds.Mentions,
		mkPost("en2", "en", "Beware of visa fraud: the embassy never asks for payment by phone.", 6),
	)
}

func TestSearchLanguages(t *testing.T) {
	f := newFixture(t, "vienna/vie1", "beijing/bei1")
	corpus(t, f)
	idx := f.open(t)
	cases := []struct {
		query string
		want  []string
	}{
		{"consulaire", []string{"xx1", "fr1"}}, // accents and case
		{"CONSULAIRE", []string{"xx1", "fr1"}}, // upper case query
		{"pekin", []string{"xx1", "fr1"}},      // Pékin ≈ pekin
		{"Pékin", []string{"xx1", "fr1"}},      // and the other way
		{"visumantrage", []string{"de1"}},      // Visumanträge ≈ visumantrage
		{"Visumanträge", []string{"de1"}},      //
		{"closing", []string{"en1"}},           // English stem: closed ≈ closing
		{"appointment", []string{"en1"}},       // English plural
		{"ouvert", []string{"fr1"}},            // French stem: ouverts → ouvert
		{"ambassades", []string{"fr1"}},        // French plural, l'ambassade elided
		{"visumaanvraag", []string{"nl1"}},     // Dutch stem
		{"签证", []string{"zh1"}},                // Chinese pair inside a longer text
		{"诈", []string{"zh1"}},                 // one Chinese character
		{"签证诈骗", []string{"zh1"}},              // several pairs
		{"证签", nil},                            // characters present, pair absent
		{"visa fraud", []string{"en2"}},        // every word must be there
		{"fraud", []string{"en2", "nl1"}},      // the Dutch stem of fraude is fraud
		{`"fraud visa"`, nil},                  // a phrase keeps its order
		{`"visa fraud"`, []string{"en2"}},      //
		{"visa -fraud", []string{"en1"}},       // exclusion
		{"payment embassy", []string{"en2"}},   //
		{"nothingmatchesthis", nil},            //
		{"bearbeitet visumantrage", []string{"de1"}},
	}
	for _, c := range cases {
		got := find(t, idx, Request{Query: c.query})
		if !sameIDs(got, c.want...) {
			t.Errorf("%q found %v, want %v", c.query, got, c.want)
		}
	}
}

func TestSearchFilters(t *testing.T) {
	f := newFixture(t, "vienna/vie1", "beijing/bei1")
	corpus(t, f)
	idx := f.open(t)
	if got := find(t, idx, Request{Query: "visa", Accounts: []string{"bei1"}}); !sameIDs(got, "en2") {
		t.Errorf("account filter: %v", got)
	}
	if got := find(t, idx, Request{Query: "visa", Accounts: []string{}}); len(got) != 0 {
		t.Errorf("empty account set found %v", got)
	}
	if got := find(t, idx, Request{Query: "visa"}); !sameIDs(got, "en2", "en1") {
		t.Errorf("all accounts: %v", got)
	}
	if got := find(t, idx, Request{Query: "visa", Since: t0.Add(5 * time.Minute)}); !sameIDs(got, "en2") {
		t.Errorf("since: %v", got)
	}
	if got := find(t, idx, Request{Query: "visa", Limit: 1}); !sameIDs(got, "en2") {
		t.Errorf("limit: %v", got)
	}
	res, err := idx.Search(t.Context(), Request{Query: "payment"})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("payment: %+v, %v", res, err)
	}
	h := res.Hits[0]
	if strings.Join(h.Kinds, ",") != "home,mentions" || h.Post.Account != "bei1" || h.Post.URL == "" {
		t.Errorf("hit: %+v", h)
	}
}

func TestSnippetMarksMatches(t *testing.T) {
	f := newFixture(t, "vienna/vie1", "beijing/bei1")
	corpus(t, f)
	idx := f.open(t)
	cases := map[string]string{
		"consulaires pekin": "Les services [CONSULAIRES] de l'ambassade à [Pékin] restent ouverts.",
		"签证":                "警惕[签证]诈骗：大使馆从不通过电话收费。",
		"appointment":       "Consular services are closed on Monday; visa [appointments] move to Tuesday.",
	}
	for q, want := range cases {
		res, err := idx.Search(t.Context(), Request{Query: q, Limit: 1})
		if err != nil || len(res.Hits) == 0 {
			t.Fatalf("%q: %v %v", q, res, err)
		}
		var b strings.Builder
		for _, s := range res.Hits[0].Snippet {
			if s.Match {
				b.WriteString("[" + s.Text + "]")
			} else {
				b.WriteString(s.Text)
			}
		}
		if b.String() != want {
			t.Errorf("%q snippet %q, want %q", q, b.String(), want)
		}
	}
}

func TestMalformedQueries(t *testing.T) {
	f := newFixture(t, "vienna/vie1")
	idx := f.open(t)
	cases := map[string]error{
		"":                           ErrEmptyQuery,
		"   ":                        ErrEmptyQuery,
		`"visa fraud`:                ErrUnclosedQuote,
		"-visa":                      ErrOnlyExcluded,
		"visa !!!":                   ErrNoWords,
		`""`:                         ErrEmptyQuery,
		strings.Repeat("visa ", 300): ErrQueryTooLong,
		strings.Repeat("a ", 40):     ErrQueryTooLong,
	}
	for q, want := range cases {
		if _, err := search(t, idx, Request{Query: q}); !errors.Is(err, want) {
			t.Errorf("%.30q: %v, want %v", q, err, want)
		}
		if err := idx.Check(q); !errors.Is(err, want) {
			t.Errorf("Check %.30q: %v, want %v", q, err, want)
		}
	}
	for _, q := range []string{"-", `-""`, "\"\x00", "\xff\xfe", "*", "field:value", "+a", "a OR b", `\`} {
		_, _ = search(t, idx, Request{Query: q}) // must not panic
	}
}
