package mastodon

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// Credentials are what this package keeps as an account's secret, as JSON:
// the OAuth app it signed in with (empty for a pasted token) and the
// access token.
type Credentials struct {
	ClientID     string `json:"client_id,omitempty"`
	ClientSecret string `json:"client_secret,omitempty"`
	AccessToken  string `json:"access_token"`
}

// Encode returns the secret to keep.
func (c Credentials) Encode() string {
	b, _ := json.Marshal(c) // strings only: cannot fail
	return string(b)
}

// parseSecret reads a stored secret: the JSON of Credentials, or a bare
// access token as pasted from a server's settings.
func parseSecret(secret string) (Credentials, error) {
	secret = strings.TrimSpace(secret)
	var c Credentials
	if strings.HasPrefix(secret, "{") {
		if err := json.Unmarshal([]byte(secret), &c); err != nil {
			return Credentials{}, fmt.Errorf("stored credentials unreadable: %w", feeds.ErrUnauthorized)
		}
	} else {
		c.AccessToken = secret
	}
	c.AccessToken = strings.TrimSpace(c.AccessToken)
	if c.AccessToken == "" || strings.ContainsAny(c.AccessToken, " \t\r\n") {
		return Credentials{}, fmt.Errorf("no usable access token: %w", feeds.ErrUnauthorized)
	}
	return c, nil
}

// SignIn checks secret (a bare access token or the JSON of Credentials)
// against acct's server with verify_credentials. It returns acct completed
// with the normalised server, the handle (@user@domain), display name and
// avatar, and the secret to keep (the JSON of Credentials). The server's
// limits are fetched and cached on the way; failing to get them is not an
// error. A refused token is an error wrapping feeds.ErrUnauthorized.
func (n *Network) SignIn(ctx context.Context, acct accounts.Account, secret string) (accounts.Account, string, error) {
	cr, err := parseSecret(secret)
	if err != nil {
		return acct, "", fmt.Errorf("mastodon sign-in: %w", err)
	}
	s, err := n.anonymous(acct.Server, cr.AccessToken, cr.ClientSecret)
	if err != nil {
		return acct, "", err
	}
	s.token = cr.AccessToken
	me, err := s.verify(ctx)
	if err != nil {
		return acct, "", fmt.Errorf("mastodon sign-in: %w", err)
	}
	lim := n.fetchLimits(ctx, s)
	acct.Server = s.server.String()
	acct.Handle = "@" + me.Username + "@" + lim.Domain
	acct.DisplayName = displayName(me)
	acct.AvatarURL = webURL(me.Avatar)
	n.saveState(acct, stateAccount, ownState{ID: string(me.ID)})
	if !lim.FetchedAt.IsZero() {
		n.saveState(acct, stateInstance, lim)
	}
	return acct, cr.Encode(), nil
}

// limits are a server's posting rules, cached per account.
type limits struct {
	Domain        string      `json:"domain"`
	MaxCharacters int         `json:"max_characters"`
	URLLength     int         `json:"url_length"`
	Media         mediaConfig `json:"media,omitzero"`
	FetchedAt     time.Time   `json:"fetched_at"` // zero: defaults, not fetched
}

// limitsTTL is how long cached limits are trusted.
const limitsTTL = 24 * time.Hour

func defaultLimits(s *session) limits {
	return limits{Domain: s.server.Host, MaxCharacters: DefaultMaxLength, URLLength: DefaultURLLength}
}

// fetchLimits reads the server's limits from /api/v2/instance, or from
// /api/v1/instance where v2 is missing; it falls back to the defaults
// (FetchedAt zero) when neither answers.
func (n *Network) fetchLimits(ctx context.Context, s *session) limits {
	lim := defaultLimits(s)
	var in instance
	_, err := s.getJSON(ctx, &in, nil, "api", "v2", "instance")
	var se *feeds.StatusError
	if errors.As(err, &se) && se.Status == http.StatusNotFound {
		in = instance{}
		_, err = s.getJSON(ctx, &in, nil, "api", "v1", "instance")
	}
	if err != nil {
		return lim
	}
	if d := strings.TrimSpace(cmp.Or(in.Domain, in.URI)); d != "" && !strings.ContainsAny(d, "/@ ") {
		lim.Domain = d
	}
	st := in.Configuration.Statuses
	if m := cmp.Or(st.MaxCharacters, in.MaxTootChars); m > 0 {
		lim.MaxCharacters = m
	}
	if st.CharactersReservedPerURL > 0 {
		lim.URLLength = st.CharactersReservedPerURL
	}
	lim.Media = in.Configuration.MediaAttachments
	lim.Media.MaxAttachments = st.MaxMediaAttachments
	lim.FetchedAt = n.now()
	return lim
}

// limitsOf returns acct's cached limits, or the defaults for its server.
func (n *Network) limitsOf(acct accounts.Account) limits {
	var lim limits
	if n.loadState(acct, stateInstance, &lim) && lim.MaxCharacters > 0 {
		if lim.URLLength <= 0 {
			lim.URLLength = DefaultURLLength
		}
		return lim
	}
	lim = limits{MaxCharacters: DefaultMaxLength, URLLength: DefaultURLLength}
	if u, err := feeds.ServerURL(acct.Server); err == nil {
		lim.Domain = u.Host
	}
	return lim
}

// refreshLimits re-reads the server's limits when the cached ones are
// missing or older than limitsTTL.
func (n *Network) refreshLimits(ctx context.Context, acct accounts.Account, s *session) {
	if n.state == nil || acct.ID == "" || ctx.Err() != nil {
		return
	}
	var lim limits
	if n.loadState(acct, stateInstance, &lim) && n.now().Sub(lim.FetchedAt) < limitsTTL {
		return
	}
	if lim = n.fetchLimits(ctx, s); !lim.FetchedAt.IsZero() {
		n.saveState(acct, stateInstance, lim)
	}
}

// converter returns the post converter for acct's server.
func (n *Network) converter(acct accounts.Account, s *session) converter {
	if lim := n.limitsOf(acct); lim.Domain != "" {
		return converter{domain: lim.Domain}
	}
	return converter{domain: s.server.Host}
}
