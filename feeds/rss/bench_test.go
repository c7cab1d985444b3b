package rss

import (
	"fmt"
	"net/url"
	"testing"
)

// BenchmarkFeedToPosts measures the parse path of a typical feed: 200 items
// with HTML descriptions, about 70 KB. Most of the time is gofeed's.
func BenchmarkFeedToPosts(b *testing.B) {
	items := make([]string, 200)
	for i := range items {
		items[i] = fmt.Sprintf(`<guid>https://embassy.example/press/%d</guid><title>Press release %d</title>`+
			`<link>https://embassy.example/press/%d</link><pubDate>Mon, 20 Oct 2025 10:%02d:00 GMT</pubDate>`+
			`<description>&lt;p&gt;The embassy &lt;b&gt;announces&lt;/b&gt; item %d. &lt;a href="https://embassy.example/"&gt;More&lt;/a&gt;&lt;/p&gt;</description>`,
			i, i, i, i%60, i)
	}
	body := []byte(rssItems("Embassy", items...))
	base, _ := url.Parse("https://embassy.example/feed")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		feed, err := parseFeed(body, "application/rss+xml")
		if err != nil {
			b.Fatal(err)
		}
		if posts, _ := toPosts(source{address: base, base: base}, feed.Items, nil, t0); len(posts) != 200 {
			b.Fatalf("%d posts", len(posts))
		}
	}
}
