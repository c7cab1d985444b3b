package feeds

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// maxLink is the longest address accepted, in bytes.
const maxLink = 4096

// SafeLink parses an address taken from outside (a post, a feed, a server's
// answer) that a user may open in a browser. It accepts only an absolute
// http or https URL with a host and no user info ("https://bank@evil"), free
// of white space, control and invisible formatting characters (which can
// disguise an address) and of backslashes (which browsers read as slashes).
// An internationalised host is returned in its ASCII (punycode) form, so
// that look-alike letters show as what they are; anything else is kept as
// written, so that ids made of links stay the same. Surrounding white space is
// ignored.
func SafeLink(raw string) (*url.URL, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > maxLink || strings.IndexFunc(raw, disguising) >= 0 {
		return nil, false
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Opaque != "" || u.User != nil {
		return nil, false
	}
	host, ok := asciiHost(u.Hostname())
	if !ok {
		return nil, false
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]" // an IPv6 literal
	}
	if port := u.Port(); port != "" {
		host += ":" + port
	}
	u.Host = host
	return u, true
}

// FetchableURL parses an address the app itself fetches (an image, an
// avatar): what SafeLink accepts, over https, or plain http for a loopback
// host only (as ServerURL). The error wraps ErrInsecureURL or ErrBadURL.
func FetchableURL(raw string) (*url.URL, error) {
	u, ok := SafeLink(raw)
	switch {
	case !ok:
		return nil, fmt.Errorf("%q: %w", redactedRaw(raw), ErrBadURL)
	case u.Scheme == "http" && !IsLoopback(u.Hostname()):
		return nil, fmt.Errorf("%q: %w", u.Redacted(), ErrInsecureURL)
	}
	return u, nil
}

// disguising reports characters that have no place in an address as shown
// to a user: white space, controls, invisible formatting (bidirectional
// overrides, zero-width joiners) and the backslash.
func disguising(r rune) bool {
	return r == '\\' || r == utf8.RuneError || unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
}

// asciiHost returns an internationalised host name in the punycode form
// DNS uses; an ASCII host is kept as url.Parse checked it.
func asciiHost(host string) (string, bool) {
	if host == "" {
		return "", false
	}
	if strings.IndexFunc(host, func(r rune) bool { return r >= utf8.RuneSelf }) < 0 {
		return host, true
	}
	ascii, err := idna.Lookup.ToASCII(host)
	if err != nil || ascii == "" {
		return "", false
	}
	return ascii, true
}

// redactedRaw shortens an address refused before it could be parsed, for an
// error message: no user info, no query, at most 100 bytes.
func redactedRaw(raw string) string {
	if i := strings.LastIndex(raw, "@"); i >= 0 {
		if j := strings.Index(raw, "://"); j >= 0 && j < i {
			raw = raw[:j+3] + "…" + raw[i:]
		}
	}
	raw, _, _ = strings.Cut(raw, "?")
	if len(raw) > 100 {
		raw = strings.ToValidUTF8(raw[:100], "") + "…"
	}
	return raw
}
