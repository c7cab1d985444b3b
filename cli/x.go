package cli

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"chancery/feeds"
)

// xSignInTimeout bounds the wait for the user to approve Chancery in the
// browser.
const xSignInTimeout = 10 * time.Minute

// clientAuthorizer is a network whose browser sign-in takes the mission's
// own OAuth client (X).
type clientAuthorizer interface {
	Authorize(ctx context.Context, server, clientID, clientSecret string, open func(*url.URL) error) (string, error)
}

// xSignIn turns what "accounts add --network x --secret-stdin" read into
// the secret to keep. Standard input holds the client id of the mission's
// X developer app, and on a second line its client secret if it has one:
// the command prints X's authorization page on stderr, waits for the
// browser to come back to a loopback address, and exchanges the code. A
// token set kept earlier (a JSON object) is used as it is.
func xSignIn(ctx context.Context, s Services, nw feeds.Network, server, given string) (string, error) {
	given = strings.TrimSpace(given)
	if strings.HasPrefix(given, "{") {
		return given, nil
	}
	c, ok := nw.(clientAuthorizer)
	if !ok {
		return "", fmt.Errorf("x sign-in: %w", feeds.ErrUnsupported)
	}
	id, secret, _ := strings.Cut(given, "\n")
	ctx, cancel := context.WithTimeout(ctx, xSignInTimeout)
	defer cancel()
	return c.Authorize(ctx, server, strings.TrimSpace(id), strings.TrimSpace(secret), func(page *url.URL) error {
		fmt.Fprintln(s.Err, s.Loc.T("x.account.open_url"))
		fmt.Fprintln(s.Err, page.String())
		return nil
	})
}
