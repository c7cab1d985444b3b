package x

import (
	"testing"
	"unicode/utf8"

	"chancery/feeds"
)

// FuzzTimeline feeds arbitrary bodies to the timeline decoder and the
// converter: they must never panic, and every post kept has a usable id
// and bounded text.
func FuzzTimeline(f *testing.F) {
	f.Add([]byte(`{"data":[{"id":"1","text":"a &amp; b","author_id":"2","created_at":"2026-12-01T10:00:00.000Z","lang":"fr",` +
		`"referenced_tweets":[{"type":"retweeted","id":"3"}],"attachments":{"media_keys":["3_1"]}}],` +
		`"includes":{"users":[{"id":"2","name":"N","username":"u"}],"tweets":[{"id":"3","text":"orig","author_id":"2"}],` +
		`"media":[{"media_key":"3_1","type":"photo","url":"https://pbs.twimg.com/m.jpg","alt_text":"alt"}]},` +
		`"meta":{"result_count":1,"next_token":"t"}}`))
	f.Add([]byte(`{"errors":[{"title":"Not Found Error","detail":"Could not find user","type":"https://api.twitter.com/2/problems/resource-not-found"}]}`))
	f.Add([]byte(`{"data":[{"id":"","text":"no id"}],"meta":{}}`))
	f.Add([]byte(`{"data":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var tl timeline
		if decode(body, "fuzz", &tl) != nil {
			return
		}
		for _, p := range newConverter(tl.Includes).posts(tl.Data) {
			if !feeds.UsableID(p.ID) || utf8.RuneCountInString(p.Text) > feeds.MaxTextLen || len(p.Media) > feeds.MaxMediaCount {
				t.Fatalf("unbounded post %+v", p)
			}
		}
	})
}

// FuzzLength: any text has a length of zero or more, appending text never
// makes it shorter, and comparable never panics.
func FuzzLength(f *testing.F) {
	for _, s := range []string{"", "hello https://x.com", "你好👍🏽", "@a @b text", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := WeightedLength(s)
		if n < 0 || WeightedLength(s+" z") < n {
			t.Fatalf("length %d", n)
		}
		_ = comparable(s, true)
	})
}
