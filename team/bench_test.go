package team

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkFoldAndSort measures what List costs on a busy team log: 2,000
// posts of five events each and 50 queued events, folded and sorted.
func BenchmarkFoldAndSort(b *testing.B) {
	c := Content{Targets: []string{"vienna-mastodon-abc"}}
	raw, hash, err := c.Encode()
	if err != nil {
		b.Fatal(err)
	}
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	var log []Event
	for p := range 2000 {
		post := fmt.Sprintf("post-%d", p)
		for i, k := range []Kind{KindSubmit, KindReturn, KindSubmit, KindApprove, KindClaim} {
			log = append(log, Event{
				ID: fmt.Sprintf("e-%d-%d", p, i), Seq: int64(len(log) + 1), Mission: "vienna", Post: post,
				Revision: 1 + i/2, Kind: k, Hash: hash, Content: raw, Comment: "ok", Actor: "alice",
				At: at.Add(time.Duration(len(log)) * time.Second),
			})
		}
	}
	var queued []Queued
	for i := range 50 {
		queued = append(queued, Queued{Event: Event{ID: fmt.Sprint("q", i), Post: fmt.Sprint("post-", i), Kind: KindPublished}})
	}
	b.ReportAllocs()
	for b.Loop() {
		if got := sorted(fold(log, queued, "alice"), "vienna", nil); len(got) != 2000 {
			b.Fatalf("%d items", len(got))
		}
	}
}
