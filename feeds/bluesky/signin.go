package bluesky

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/bluesky-social/indigo/atproto/syntax"

	"chancery/accounts"
	"chancery/feeds"
)

// ErrIdentity reports a handle or DID that cannot be resolved to a PDS.
var ErrIdentity = fmt.Errorf("cannot resolve account identity: %w", feeds.ErrRejected)

// SignIn signs acct in with an app password. acct.Handle is a handle or a
// DID; acct.Server, if given, is the server to sign in at (an entryway such
// as bsky.social, or the PDS itself). Without a server, the handle is first
// resolved to its DID and PDS. The returned account carries the handle,
// display name and avatar the network reports, and Server set to the
// account's PDS; the returned secret is the JSON session to keep in the
// SecretStore. A refused password is feeds.ErrUnauthorized, and the
// password never appears in an error.
func (n *Network) SignIn(ctx context.Context, acct accounts.Account, secret string) (accounts.Account, string, error) {
	password := strings.TrimSpace(secret)
	ident := strings.TrimPrefix(strings.TrimSpace(acct.Handle), "@")
	if password == "" || ident == "" {
		return acct, "", fmt.Errorf("bluesky sign-in: handle and app password required: %w", feeds.ErrUnauthorized)
	}
	if id, err := syntax.ParseAtIdentifier(ident); err == nil {
		ident = id.Normalize().String()
	}
	server, err := n.loginServer(ctx, acct.Server, ident)
	if err != nil {
		return acct, "", err
	}
	out, err := n.createSession(ctx, server, ident, password)
	if err != nil {
		return acct, "", fmt.Errorf("bluesky sign-in %s: %w", ident, err)
	}
	s := out.session()
	s.AppPassword, s.Entryway = password, server
	if s.PDS, err = n.resolvePDS(ctx, out.DID, out.DIDDoc, server); err != nil {
		return acct, "", err
	}
	prof, err := n.profileOf(ctx, s)
	if err != nil {
		return acct, "", err
	}
	acct.Handle, acct.Server = s.Handle, s.PDS
	if prof.DisplayName != "" {
		acct.DisplayName = prof.DisplayName
	}
	acct.AvatarURL = prof.Avatar
	blob, err := json.Marshal(s)
	if err != nil {
		return acct, "", fmt.Errorf("bluesky sign-in: %w", err)
	}
	if acct.ID != "" {
		sl := n.slotFor(acct.ID)
		if sl.acquire(ctx) == nil {
			sl.sess = &s
			sl.release()
		}
	}
	return acct, string(blob), nil
}

// profileOf reads the profile of the session's own account. A profile the
// network refuses (a brand-new account) leaves the fields empty.
func (n *Network) profileOf(ctx context.Context, s session) (profile, error) {
	r := query("app.bsky.actor.getProfile", url.Values{"actor": {s.DID}})
	r.base, r.token = s.PDS, s.AccessJwt
	var p profile
	if err := n.do(ctx, r, &p); err != nil {
		if isRefusal(err) {
			return profile{}, nil
		}
		return profile{}, fmt.Errorf("bluesky profile: %w", err)
	}
	return p, nil
}

// loginServer returns where to create a session: the given server, else
// the PDS found from the identifier (a DID, or a handle resolved at the
// entryway), else the entryway itself (for e-mail identifiers).
func (n *Network) loginServer(ctx context.Context, server, ident string) (string, error) {
	if strings.TrimSpace(server) != "" {
		u, err := feeds.ServerURL(server)
		if err != nil {
			return "", err
		}
		return u.String(), nil
	}
	id, err := syntax.ParseAtIdentifier(ident)
	if err != nil {
		return n.entryway, nil
	}
	did := id.String()
	if id.IsHandle() {
		if did, err = n.resolveHandle(ctx, n.entryway, "", id.String()); err != nil {
			return "", err
		}
	}
	return n.resolvePDS(ctx, did, nil, "")
}

// resolveHandle asks base (with token, if any) for the DID of handle.
func (n *Network) resolveHandle(ctx context.Context, base, token, handle string) (string, error) {
	r := query("com.atproto.identity.resolveHandle", url.Values{"handle": {handle}})
	r.base, r.token = base, token
	var out struct {
		DID string `json:"did"`
	}
	if err := n.do(ctx, r, &out); err != nil {
		return "", fmt.Errorf("resolve @%s: %w", handle, err)
	}
	if _, err := syntax.ParseDID(out.DID); err != nil {
		return "", fmt.Errorf("resolve @%s: %w: %w", handle, feeds.ErrBadResponse, err)
	}
	return out.DID, nil
}

// resolvePDS finds the PDS of did from its DID document. When the document
// cannot be fetched, the one returned with the session (sessionDoc) is
// used, then fallback; with neither, the error is returned.
func (n *Network) resolvePDS(ctx context.Context, did string, sessionDoc json.RawMessage, fallback string) (string, error) {
	doc, err := n.resolveDID(ctx, did)
	if err == nil {
		return doc.pds(did)
	}
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	var d didDoc
	if len(sessionDoc) > 0 && json.Unmarshal(sessionDoc, &d) == nil {
		if pds, perr := d.pds(did); perr == nil {
			return pds, nil
		}
	}
	if fallback != "" {
		return fallback, nil
	}
	return "", err
}

// resolveDID fetches the DID document of a did:plc (from the PLC
// directory) or did:web (from the host's /.well-known/did.json).
func (n *Network) resolveDID(ctx context.Context, did string) (didDoc, error) {
	parsed, err := syntax.ParseDID(did)
	if err != nil {
		return didDoc{}, fmt.Errorf("%q: %w: %w", did, ErrIdentity, err)
	}
	r := request{method: http.MethodGet}
	switch parsed.Method() {
	case "plc":
		r.base, r.path = n.plc, "/"+did
	case "web":
		host, err := url.PathUnescape(parsed.Identifier())
		if err != nil || strings.Contains(host, ":") && !isLoopbackHostPort(host) {
			return didDoc{}, fmt.Errorf("%q: %w", did, ErrIdentity)
		}
		r.base, r.path = webBase(host), "/.well-known/did.json"
	default:
		return didDoc{}, fmt.Errorf("%q: unsupported DID method: %w", did, ErrIdentity)
	}
	var doc didDoc
	if err := n.do(ctx, r, &doc); err != nil {
		return didDoc{}, fmt.Errorf("DID document of %s: %w", did, err)
	}
	if doc.ID != did {
		return didDoc{}, fmt.Errorf("DID document of %s names %q: %w", did, doc.ID, feeds.ErrBadResponse)
	}
	return doc, nil
}

// webBase is the base URL of a did:web host: https, except plain http for
// loopback hosts (local test servers).
func webBase(host string) string {
	h := host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		h = hh
	}
	if feeds.IsLoopback(h) {
		return "http://" + host
	}
	return "https://" + host
}

// isLoopbackHostPort reports whether host:port names a loopback host; only
// those may carry a port in a did:web.
func isLoopbackHostPort(hostport string) bool {
	h, _, err := net.SplitHostPort(hostport)
	return err == nil && feeds.IsLoopback(h)
}

// pds returns the endpoint of the document's #atproto_pds service.
func (d didDoc) pds(did string) (string, error) {
	for _, s := range d.Service {
		if s.Type != pdsServiceType || (s.ID != pdsServiceIDShort && s.ID != did+pdsServiceIDShort) {
			continue
		}
		ep, ok := s.ServiceEndpoint.(string)
		if !ok {
			break
		}
		u, err := feeds.ServerURL(ep)
		if err != nil {
			return "", fmt.Errorf("PDS of %s: %w", did, err)
		}
		return u.String(), nil
	}
	return "", fmt.Errorf("%s has no PDS: %w", did, ErrIdentity)
}
