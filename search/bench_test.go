package search

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/storage"
)

// Words of the benchmark's posts, most frequent first in each language.
var (
	benchEN = strings.Fields("the embassy visa consular passport fraud appointment service citizens travel " +
		"advice office closed monday emergency phone payment website warning application embassy's " +
		"minister meeting trade climate culture festival students exchange security election health")
	benchFR = strings.Fields("le la les ambassade visa consulaire passeport fraude rendez-vous service " +
		"citoyens voyage conseils bureau fermé lundi urgence téléphone paiement site avertissement demande " +
		"ministre réunion commerce climat culture festival étudiants échange sécurité élection santé")
	benchZH = []string{
		"大使馆", "签证", "领事", "护照", "诈骗", "预约", "服务", "公民", "旅行", "建议", "办公室", "关闭",
		"紧急", "电话", "付款", "网站", "警告", "申请", "部长", "会议", "贸易", "气候", "文化", "节日",
		"学生", "交流", "安全", "选举", "健康", "警惕",
	}
)

// benchText draws n words of one language, the first ones more often.
func benchText(r *rand.Rand, words []string, n int, sep string) string {
	out := make([]string, n)
	for i := range out {
		out[i] = words[min(int(r.ExpFloat64()*8), len(words)-1)]
	}
	return strings.Join(out, sep)
}

// seedBench caches posts in 50 accounts × 2,000, a third each in English,
// French and Chinese, and returns the bytes of text cached.
func seedBench(b *testing.B, db *storage.DB, posts int) int64 {
	b.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	const perAccount = 2000
	var textBytes int64
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for a := 0; a*perAccount < posts; a++ {
		mission := fmt.Sprintf("m%d", a%5)
		id := fmt.Sprintf("acct%02d", a)
		if err := db.PutMission(accounts.Mission{ID: mission, Names: map[string]string{"en": mission}}); err != nil {
			b.Fatal(err)
		}
		if err := db.PutAccount(accounts.Account{ID: id, Mission: mission, Network: accounts.Mastodon, Server: "https://example.org"}); err != nil {
			b.Fatal(err)
		}
		batch := make([]feeds.Post, 0, perAccount)
		for i := range min(perAccount, posts-a*perAccount) {
			p := feeds.Post{
				ID: fmt.Sprintf("%d", i), Account: id, Network: accounts.Mastodon, Author: "Press " + mission,
				CreatedAt: t0.Add(time.Duration(a*perAccount+i) * time.Minute), URL: "https://example.org/" + id,
			}
			switch i % 3 {
			case 0:
				p.Lang, p.Text = "en", benchText(r, benchEN, 30, " ")
			case 1:
				p.Lang, p.Text = "fr", benchText(r, benchFR, 30, " ")
			default:
				p.Lang, p.Text = "zh-Hans", benchText(r, benchZH, 25, "")
			}
			textBytes += int64(len(p.Text))
			batch = append(batch, p)
		}
		if _, err := db.PutPosts(feeds.TimelineKey{Account: id, Kind: feeds.Home}, batch, t0); err != nil {
			b.Fatal(err)
		}
	}
	return textBytes
}

func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// BenchmarkSearch100k builds the index of 100,000 cached posts of mixed
// English, French and Chinese, then times one- and two-word queries. It
// reports the indexing rate, the 95th percentile of query latency and the
// size of the index against the text cached.
func BenchmarkSearch100k(b *testing.B) {
	dir := b.TempDir()
	db, err := storage.Open(filepath.Join(dir, "chancery.db"), storage.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	const posts = 100_000
	textBytes := seedBench(b, db, posts)
	oneWord := []string{"visa", "consulaire", "passport", "签证", "诈骗", "fraude", "emergency", "élection", "领事", "SÉCURITÉ"}
	twoWords := []string{"visa fraud", "passeport urgence", "签证 诈骗", "embassy phone", "service consulaire", "护照 申请", "trade climate", "rendez-vous lundi"}
	var buildSecs float64
	var p95one, p95two time.Duration
	var indexBytes int64
	for b.Loop() {
		idxDir := filepath.Join(b.TempDir(), "search-index")
		idx, err := New(idxDir, db)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		idx.Start()
		if err := idx.Wait(context.Background()); err != nil {
			b.Fatal(err)
		}
		buildSecs = time.Since(start).Seconds()
		p95one = p95(b, idx, oneWord, 20)
		p95two = p95(b, idx, twoWords, 20)
		if err := idx.Close(); err != nil {
			b.Fatal(err)
		}
		indexBytes = dirSize(idxDir)
	}
	b.ReportMetric(posts/buildSecs, "posts/s")
	b.ReportMetric(float64(p95one.Microseconds())/1000, "ms-p95-1word")
	b.ReportMetric(float64(p95two.Microseconds())/1000, "ms-p95-2words")
	b.ReportMetric(float64(indexBytes)/1e6, "MB-index")
	b.ReportMetric(float64(textBytes)/1e6, "MB-text")
	b.ReportMetric(float64(indexBytes)/float64(textBytes), "index/text")
}

// p95 runs each query rounds times (newest 50 hits, as the window asks)
// and returns the 95th percentile of the latencies.
func p95(b *testing.B, idx *Index, queries []string, rounds int) time.Duration {
	b.Helper()
	var took []time.Duration
	for range rounds {
		for _, q := range queries {
			start := time.Now()
			res, err := idx.Search(context.Background(), Request{Query: q, Limit: 50})
			if err != nil {
				b.Fatal(err)
			}
			if len(res.Hits) == 0 {
				b.Fatalf("%q found nothing", q)
			}
			took = append(took, time.Since(start))
		}
	}
	slices.Sort(took)
	return took[len(took)*95/100]
}
