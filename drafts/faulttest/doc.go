// Package faulttest holds the fault-injection suite of publishing: the
// outbox, with drafts.NetworkPublisher and the real Mastodon, Bluesky, X
// and Facebook clients, against test servers that follow the documented API
// shapes (the Mastodon one ignores Idempotency-Key, as GoToSocial does;
// Graph has no key at all), reached
// through a proxy on 127.0.0.1 that loses answers after the server acted:
// it drops the connection, holds the answer past the client's time-out, or
// resets the connection in the middle of the body. Every post must end
// published exactly once. The package has tests only.
package faulttest
