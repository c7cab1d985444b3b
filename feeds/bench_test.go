package feeds_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// BenchmarkRefresh15 refreshes 15 accounts on 5 slow servers (answering in
// 20 to 100 ms) and reports how long that takes relative to fetching the
// slowest account alone: close to 1 when the accounts are fetched in
// parallel, 15-ish if they were fetched one after another.
func BenchmarkRefresh15(b *testing.B) {
	var accts []accounts.Account
	var slowest accounts.Account
	for i, delay := range []time.Duration{20, 40, 60, 80, 100} {
		srv := newSlowServer(b, delay*time.Millisecond)
		accts = append(accts, accountsOn(srv.URL, 3, string(rune('a'+i)))...)
		slowest = accts[len(accts)-1]
	}
	r := feeds.NewRefresher(feeds.Registry{accounts.RSS: httpNet{http.DefaultClient}}, newMemCache(), nil)
	var all, one time.Duration
	for b.Loop() {
		start := time.Now()
		r.Refresh(context.Background(), []accounts.Account{slowest}, true)
		mid := time.Now()
		for _, res := range r.Refresh(context.Background(), accts, true) {
			if res.Err != nil {
				b.Fatal(res.Err)
			}
		}
		one, all = one+mid.Sub(start), all+time.Since(mid)
	}
	b.ReportMetric(float64(all)/float64(one), "x-slowest")
	b.ReportMetric(float64(all.Milliseconds())/float64(b.N), "ms/refresh-15")
}
