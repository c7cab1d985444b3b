package demo

import (
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds/contract"
)

// demoLengths are code points: the demo network counts characters so.
var demoLengths = map[string]int{"ascii": 37, "url": 64, "cjk": 12, "emoji": 17}

// TestContract runs the suite on a demo network that publishes, for an
// account added by hand (a handle, no display name).
func TestContract(t *testing.T) {
	contract.Run(t, contract.Harness{
		Start: func(t *testing.T) contract.Fixture {
			now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
			n := New(WithPublishing(&memState{m: map[string][]byte{}}, func() time.Time { return now }))
			acct := accounts.Account{ID: "vienna-demo-7", Mission: "vienna", Network: accounts.Demo, Server: "demo", Handle: "@vienna@demo", CreatedAt: now}
			return contract.Fixture{Net: n, Account: acct, Now: func() time.Time { return now }}
		},
		Lengths: demoLengths, LengthLimit: MaxLength, PublishedInOwn: true,
	})
}

// TestContractReadOnly runs it on a demo network without publishing, for
// the default workspace's demo account: Publish must refuse.
func TestContractReadOnly(t *testing.T) {
	contract.Run(t, contract.Harness{
		Start: func(t *testing.T) contract.Fixture {
			now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
			m := accounts.DefaultMissions()[2]
			return contract.Fixture{Net: New(WithAnchor(now)), Account: accounts.DemoAccount(m, now)}
		},
		Lengths: demoLengths, LengthLimit: MaxLength,
	})
}
