package x_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/feeds/x"
	"chancery/translations"
)

func TestBudgetStopsReadingNotPublishing(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	prices := x.DefaultPrices()
	prices.PostRead = 0.25
	e := setup(t, nil, x.WithPrices(prices), x.WithClock(clock))
	for i := range 6 {
		e.srv.AddPost("post "+strings.Repeat("x", i), time.Now())
	}
	if err := e.net.SetBudget(e.acct, 1.5); err != nil {
		t.Fatal(err)
	}
	if _, err := e.net.Fetch(ctx(t), e.acct, feeds.Own); err != nil {
		t.Fatal(err) // 1 user (me) + 6 posts: $1.51
	}
	sp, err := e.net.Spending(e.acct, now)
	if err != nil || !sp.Reached || sp.ReadCalls != 2 || sp.Month != "2026-12" || sp.Budget != 1.5 || sp.Cost < 1.5 {
		t.Fatalf("spending %+v %v", sp, err)
	}
	before := e.srv.Calls("GET /2/users/" + "1580661436132757506" + "/tweets")
	_, err = e.net.Fetch(ctx(t), e.acct, feeds.Own)
	if !errors.Is(err, feeds.ErrBudgetReached) || feeds.Classify(err) != feeds.OutcomeRefused {
		t.Fatalf("err = %v", err)
	}
	if e.srv.Calls("GET /2/users/1580661436132757506/tweets") != before {
		t.Error("read sent over budget")
	}
	if s, _ := feeds.StateOf(err); s != accounts.StateError {
		t.Errorf("state %s", s)
	}
	if msg := translations.New("en").Error(err); !strings.Contains(msg, "1.50") || !strings.Contains(msg, "Publishing still works") {
		t.Errorf("message %q", msg)
	}
	if _, err := e.net.Publish(ctx(t), e.acct, feeds.Outgoing{Text: "still publishing"}); err != nil {
		t.Fatalf("publish over budget: %v", err)
	}
	if sp, _ = e.net.Spending(e.acct, now); sp.WriteCalls != 1 {
		t.Errorf("writes %d", sp.WriteCalls)
	}
	// A new month starts from zero; a larger budget reads again.
	if sp, _ = e.net.Spending(e.acct, now.AddDate(0, 1, 0)); sp.Reached || sp.ReadCalls != 0 {
		t.Errorf("next month %+v", sp)
	}
	if err := e.net.SetBudget(e.acct, 10); err != nil {
		t.Fatal(err)
	}
	if _, err := e.net.Fetch(ctx(t), e.acct, feeds.Own); err != nil {
		t.Fatalf("after raising the budget: %v", err)
	}
}

func TestSetBudgetRefusesNonsense(t *testing.T) {
	e := setup(t, nil)
	for _, v := range []float64{-1, nanValue()} {
		if err := e.net.SetBudget(e.acct, v); !errors.Is(err, x.ErrBadBudget) {
			t.Errorf("%v: %v", v, err)
		}
	}
}

func nanValue() float64 {
	zero := 0.0
	return zero / zero
}

func TestMinRefreshPacesX(t *testing.T) {
	n := x.New(&memSecrets{}, &memState{}, x.WithMinRefresh(time.Hour))
	if n.MinRefresh() != time.Hour || x.New(&memSecrets{}, nil).MinRefresh() < 10*time.Minute {
		t.Fatal("pace")
	}
}
