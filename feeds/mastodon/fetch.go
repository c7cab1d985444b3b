package mastodon

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"chancery/accounts"
	"chancery/feeds"
)

// Fetch returns the newest page of a timeline: home, mentions (the
// notifications a column shows, see [Network.Notifications]), own,
// tag:NAME, list:ID or search:QUERY.
func (n *Network) Fetch(ctx context.Context, acct accounts.Account, kind feeds.Kind) ([]feeds.Post, error) {
	page, err := n.FetchPage(ctx, acct, kind, "")
	return page.Posts, err
}

// FetchPage returns the page of kind older than cursor (the newest page for
// an empty cursor). Cursors are the max_id of the server's Link rel="next",
// or the last item's id where the server sends no Link header.
func (n *Network) FetchPage(ctx context.Context, acct accounts.Account, kind feeds.Kind, cursor string) (feeds.Page, error) {
	q := url.Values{"limit": {strconv.Itoa(pageSize)}}
	if cursor != "" {
		q.Set("max_id", cursor)
	}
	page, err := n.page(ctx, acct, kind, q)
	if err != nil {
		return feeds.Page{}, err
	}
	if page.Older == cursor {
		page.Older = "" // a server repeating itself would page forever
	}
	return page, nil
}

// FetchNewer returns the posts of kind immediately newer than the post with
// id after (as this package made it), up to one page, using min_id so that
// nothing between is skipped. Call it again with the newest post returned
// until it returns none.
func (n *Network) FetchNewer(ctx context.Context, acct accounts.Account, kind feeds.Kind, after string) ([]feeds.Post, error) {
	q := url.Values{"limit": {strconv.Itoa(pageSize)}}
	if raw := rawID(kind, after); raw != "" {
		q.Set("min_id", raw)
	}
	page, err := n.page(ctx, acct, kind, q)
	return page.Posts, err
}

// Notifications returns a page of notifications restricted to the given
// Mastodon types (mention, status, reblog, favourite, follow, quote; none:
// all that a mentions column shows), older than cursor.
func (n *Network) Notifications(ctx context.Context, acct accounts.Account, cursor string, types ...string) (feeds.Page, error) {
	s, conv, err := n.open(acct)
	if err != nil {
		return feeds.Page{}, err
	}
	q := url.Values{"limit": {strconv.Itoa(pageSize)}}
	if cursor != "" {
		q.Set("max_id", cursor)
	}
	for _, t := range types {
		q.Add("types[]", t)
	}
	if len(types) == 0 {
		addExcluded(q)
	}
	page, err := s.notificationPage(ctx, conv, q)
	page.Posts = stamp(page.Posts, acct)
	return page, err
}

func (n *Network) open(acct accounts.Account) (*session, converter, error) {
	s, err := n.session(acct)
	if err != nil {
		return nil, converter{}, err
	}
	return s, n.converter(acct, s), nil
}

func (n *Network) page(ctx context.Context, acct accounts.Account, kind feeds.Kind, q url.Values) (feeds.Page, error) {
	s, conv, err := n.open(acct)
	if err != nil {
		return feeds.Page{}, err
	}
	page, err := n.route(ctx, acct, s, conv, kind, q)
	if err != nil {
		return feeds.Page{}, err
	}
	n.refreshLimits(ctx, acct, s)
	page.Posts = stamp(page.Posts, acct)
	return page, nil
}

// route sends the request of one timeline kind.
func (n *Network) route(ctx context.Context, acct accounts.Account, s *session, conv converter, kind feeds.Kind, q url.Values) (feeds.Page, error) {
	switch kind {
	case feeds.Home:
		return s.statusPage(ctx, conv, q, "api", "v1", "timelines", "home")
	case feeds.Mentions:
		addExcluded(q)
		return s.notificationPage(ctx, conv, q)
	case feeds.Own:
		id, err := n.ownID(ctx, acct, s)
		if err != nil {
			return feeds.Page{}, err
		}
		return s.statusPage(ctx, conv, q, "api", "v1", "accounts", id, "statuses")
	}
	prefix, arg, _ := strings.Cut(string(kind), ":")
	arg = strings.TrimSpace(arg)
	switch {
	case arg == "":
	case prefix == "tag":
		if tag := strings.TrimPrefix(arg, "#"); tag != "" {
			return s.statusPage(ctx, conv, q, "api", "v1", "timelines", "tag", tag)
		}
	case prefix == "list":
		return s.statusPage(ctx, conv, q, "api", "v1", "timelines", "list", arg)
	case prefix == "search":
		q.Set("q", arg)
		q.Set("type", "statuses")
		return s.searchPage(ctx, conv, q)
	}
	return feeds.Page{}, fmt.Errorf("mastodon: timeline %q: %w", kind, feeds.ErrUnsupported)
}

func addExcluded(q url.Values) {
	for _, t := range skippedNotifications {
		q.Add("exclude_types[]", t)
	}
}

func (s *session) statusPage(ctx context.Context, conv converter, q url.Values, path ...string) (feeds.Page, error) {
	var list []status
	h, err := s.getJSON(ctx, &list, q, path...)
	if err != nil {
		return feeds.Page{}, err
	}
	last := ""
	if len(list) > 0 {
		last = string(list[len(list)-1].ID)
	}
	return feeds.Page{Posts: conv.statuses(list), Older: older(h, len(list), last)}, nil
}

func (s *session) notificationPage(ctx context.Context, conv converter, q url.Values) (feeds.Page, error) {
	var list []notification
	h, err := s.getJSON(ctx, &list, q, "api", "v1", "notifications")
	if err != nil {
		return feeds.Page{}, err
	}
	last := ""
	if len(list) > 0 {
		last = string(list[len(list)-1].ID)
	}
	return feeds.Page{Posts: conv.notifications(list), Older: older(h, len(list), last)}, nil
}

func (s *session) searchPage(ctx context.Context, conv converter, q url.Values) (feeds.Page, error) {
	var res searchResult
	h, err := s.getJSON(ctx, &res, q, "api", "v2", "search")
	if err != nil {
		return feeds.Page{}, err
	}
	last := ""
	if len(res.Statuses) > 0 {
		last = string(res.Statuses[len(res.Statuses)-1].ID)
	}
	return feeds.Page{Posts: conv.statuses(res.Statuses), Older: older(h, len(res.Statuses), last)}, nil
}

// older is the cursor of the next, older page: the max_id of the Link
// header's rel="next" when the server sends a Link header (none: the end),
// else the last item's id when the page was full.
func older(h http.Header, items int, last string) string {
	if links := h.Values("Link"); len(links) > 0 {
		return linkParam(links, "next", "max_id")
	}
	if items >= pageSize {
		return last
	}
	return ""
}

// linkParam returns the query parameter param of the link with relation
// rel in RFC 8288 Link header values, or "".
func linkParam(values []string, rel, param string) string {
	for _, v := range values {
		for v != "" {
			start := strings.IndexByte(v, '<')
			end := strings.IndexByte(v, '>')
			if start < 0 || end < start {
				break
			}
			target, rest := v[start+1:end], v[end+1:]
			params := rest
			if next := strings.IndexByte(rest, '<'); next >= 0 {
				params, rest = rest[:next], rest[next:]
			} else {
				rest = ""
			}
			if hasRel(params, rel) {
				if u, err := url.Parse(target); err == nil {
					return u.Query().Get(param)
				}
			}
			v = rest
		}
	}
	return ""
}

func hasRel(params, rel string) bool {
	for _, p := range strings.Split(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "rel") {
			continue
		}
		for _, r := range strings.Fields(strings.Trim(strings.TrimSpace(strings.TrimRight(v, ", ")), `"`)) {
			if strings.EqualFold(r, rel) {
				return true
			}
		}
	}
	return false
}

// rawID is the server's id of a timeline item, as min_id wants it: the
// first part of a composite id, without the "n" of a notification.
func rawID(kind feeds.Kind, postID string) string {
	raw, _, _ := strings.Cut(postID, idSep)
	if kind == feeds.Mentions && strings.Contains(postID, idSep) {
		raw = strings.TrimPrefix(raw, "n")
	}
	return raw
}

// ownState is the cached own account.
type ownState struct {
	ID string `json:"id"`
}

// ownID returns the account's own id, from the cache or from
// verify_credentials.
func (n *Network) ownID(ctx context.Context, acct accounts.Account, s *session) (string, error) {
	var own ownState
	if n.loadState(acct, stateAccount, &own) && own.ID != "" {
		return own.ID, nil
	}
	me, err := s.verify(ctx)
	if err != nil {
		return "", err
	}
	n.saveState(acct, stateAccount, ownState{ID: string(me.ID)})
	return string(me.ID), nil
}

func (s *session) verify(ctx context.Context) (account, error) {
	var me account
	if _, err := s.getJSON(ctx, &me, nil, "api", "v1", "accounts", "verify_credentials"); err != nil {
		return account{}, err
	}
	if me.ID == "" || me.Username == "" {
		return account{}, fmt.Errorf("mastodon: verify_credentials without an account: %w", feeds.ErrBadResponse)
	}
	return me, nil
}
