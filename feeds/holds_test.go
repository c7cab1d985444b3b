package feeds_test

import (
	"errors"
	"testing"
	"time"

	"chancery/feeds"
)

func TestHoldsGateUntilTheHoldPassesAndOnlyExtend(t *testing.T) {
	var h feeds.Holds
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	if err := h.Gate("x", "acct", now); err != nil {
		t.Fatalf("nothing held: %v", err)
	}
	h.Hold("acct", now.Add(time.Minute))
	h.Hold("acct", now.Add(10*time.Second)) // shorter: ignored
	err := h.Gate("x", "acct", now)
	var ra *feeds.RetryAfterError
	if !errors.Is(err, feeds.ErrRateLimited) || !errors.As(err, &ra) || ra.After != time.Minute {
		t.Fatalf("held: %v", err)
	}
	if err := h.Gate("x", "other", now); err != nil {
		t.Errorf("another key is not held: %v", err)
	}
	if err := h.Gate("x", "acct", now.Add(time.Minute)); err != nil {
		t.Errorf("hold passed: %v", err)
	}
}
