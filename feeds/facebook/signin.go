package facebook

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"chancery/accounts"
	"chancery/feeds"
)

// pageName matches what a user may give as the Page: its id, or its
// username (Graph resolves both).
var pageName = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)

// pageNode is GET /{page-id}?fields=id,name,access_token,picture.
type pageNode struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	AccessToken string `json:"access_token"`
	Picture     struct {
		Data struct {
			URL string `json:"url"`
		} `json:"data"`
	} `json:"picture"`
}

// SignIn takes a long-lived user access token (or the Page's own token) and
// the Page id or username in acct.Handle. It asks the Page for its access
// token with the user's token (GET /{page-id}?fields=access_token, which
// answers only to someone with a task on the Page) and returns acct with
// the normalised, versioned server, the Page's numeric id as handle, its
// name and picture, and the Page token as the secret to keep: the user's
// token is not kept. A Page token derived from a long-lived user token
// does not expire. A refused or expired token is an error wrapping
// feeds.ErrUnauthorized.
func (n *Network) SignIn(ctx context.Context, acct accounts.Account, secret string) (accounts.Account, string, error) {
	token, err := parseToken(secret)
	if err != nil {
		return acct, "", fmt.Errorf("facebook sign-in: %w", err)
	}
	base, err := serverURL(acct.Server)
	if err != nil {
		return acct, "", err
	}
	handle := strings.TrimSpace(acct.Handle)
	if !pageName.MatchString(handle) || handle == "." || handle == ".." {
		return acct, "", fmt.Errorf("facebook sign-in: page %q: %w: %w", handle, ErrBadPageID, feeds.ErrRejected)
	}
	s := &session{n: n, base: base, page: handle, token: token, key: base.Host + "|" + handle}
	var page pageNode
	q := url.Values{"fields": {"id,name,access_token,picture{url}"}}
	if err := s.getJSON(ctx, call{path: []string{handle}, query: q, perm: "pages_show_list"}, &page); err != nil {
		return acct, "", fmt.Errorf("facebook sign-in: %w", err)
	}
	if !validID(page.ID) {
		return acct, "", fmt.Errorf("facebook sign-in: page id %q: %w", page.ID, feeds.ErrBadResponse)
	}
	pageToken := strings.TrimSpace(page.AccessToken)
	if pageToken == "" {
		// No access_token field: the token is the Page's own (it is
		// then the Page itself that /me names), or gives no task on it.
		if pageToken, err = s.ownPageToken(ctx, page.ID); err != nil {
			return acct, "", fmt.Errorf("facebook sign-in: %w", err)
		}
	}
	if _, err := parseToken(pageToken); err != nil {
		return acct, "", fmt.Errorf("facebook sign-in: page token: %w", feeds.ErrBadResponse)
	}
	acct.Server, acct.Handle = base.String(), page.ID
	acct.DisplayName = strings.TrimSpace(page.Name)
	if u, err := url.Parse(page.Picture.Data.URL); err == nil && u.Scheme == "https" {
		acct.AvatarURL = u.String()
	}
	return acct, pageToken, nil
}

// ownPageToken returns the session's token if it is pageID's own Page
// token (GET /me names the Page), else an error wrapping ErrNotPage.
func (s *session) ownPageToken(ctx context.Context, pageID string) (string, error) {
	var me struct {
		ID string `json:"id"`
	}
	if err := s.getJSON(ctx, call{path: []string{"me"}, query: url.Values{"fields": {"id"}}}, &me); err != nil {
		return "", err
	}
	if me.ID != pageID {
		return "", fmt.Errorf("page %s: %w: %w", pageID, ErrNotPage, feeds.ErrUnauthorized)
	}
	return s.token, nil
}
