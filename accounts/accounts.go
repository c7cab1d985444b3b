// Package accounts holds the workspace model: missions and the accounts that
// belong to them. It knows nothing about how they are stored; storage
// implements Store.
package accounts

import (
	"fmt"
	"strings"
	"time"

	"chancery/translations"
)

// Network names a social network or feed kind an account lives on.
type Network string

// The networks Chancery knows.
const (
	Mastodon Network = "mastodon"
	Bluesky  Network = "bluesky"
	RSS      Network = "rss"
	X        Network = "x"
	Facebook Network = "facebook"
	Demo     Network = "demo"
)

// Networks lists every known network, in display order.
func Networks() []Network {
	return []Network{Mastodon, Bluesky, RSS, X, Facebook, Demo}
}

// ParseNetwork returns the network named s, or ErrUnknownNetwork.
func ParseNetwork(s string) (Network, error) {
	for _, n := range Networks() {
		if string(n) == strings.ToLower(strings.TrimSpace(s)) {
			return n, nil
		}
	}
	return "", fmt.Errorf("%q: %w", s, ErrUnknownNetwork)
}

// State is an account's health as last observed.
type State string

// Account states.
const (
	StateOK          State = "ok"
	StateOffline     State = "offline"
	StateNeedsSignIn State = "needs-sign-in"
	StateError       State = "error"
	// StateWrongAddress: the server refused the connection or its name does
	// not exist while the machine is online: a wrong address, or the
	// server is down.
	StateWrongAddress State = "wrong-address"
)

// Sentinel errors of this package.
var (
	ErrUnknownNetwork  = translations.NewProblem("error.unknown_network", "unknown network")
	ErrNoMission       = translations.NewProblem("error.no_mission", "no such mission")
	ErrNoAccount       = translations.NewProblem("error.no_account", "no such account")
	ErrUnknownLanguage = translations.NewProblem("error.unknown_language", "not a language a mission can have")
)

// Mission is one diplomatic mission: a column in the workspace.
type Mission struct {
	ID           string            `json:"id"`
	Names        map[string]string `json:"names"` // display name by language tag ("en", "fr", …)
	TimeZone     string            `json:"time_zone"`
	HostLanguage string            `json:"host_language"`
	Position     int               `json:"position"`
}

// Name returns the mission's name in lang, falling back to English, then to the id.
func (m Mission) Name(lang string) string {
	if n := m.Names[lang]; n != "" {
		return n
	}
	if base, _, ok := strings.Cut(lang, "-"); ok {
		if n := m.Names[base]; n != "" {
			return n
		}
	}
	if n := m.Names["en"]; n != "" {
		return n
	}
	return m.ID
}

// Languages returns the languages the mission publishes in: English and
// French always, then its host language unless it is one of those (New
// York's host language is English) or none.
func (m Mission) Languages() []string {
	langs := []string{"en", "fr"}
	if h := m.HostLanguage; h != "" && h != "en" && h != "fr" {
		langs = append(langs, h)
	}
	return langs
}

// HostLanguages are the host languages a mission may have besides English
// and French, in the order they are offered.
func HostLanguages() []string {
	return []string{"de", "nl", "zh-Hans", "es", "it", "ja"}
}

// ParseHostLanguage returns the host language named s: one of
// HostLanguages, or "" for "none" (and for English or French, which every
// mission publishes in anyway).
func ParseHostLanguage(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "none", "", "en", "fr":
		return "", nil
	}
	for _, l := range HostLanguages() {
		if strings.EqualFold(l, s) {
			return l, nil
		}
	}
	return "", fmt.Errorf("%q: %w", s, ErrUnknownLanguage)
}

// Location returns the mission's time zone, or UTC if the zone is unknown to
// this system's time zone database.
func (m Mission) Location() *time.Location {
	loc, err := time.LoadLocation(m.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Account is one account on one network, belonging to one mission. It never
// holds a secret.
type Account struct {
	ID          string  `json:"id"`
	Mission     string  `json:"mission"`
	Network     Network `json:"network"`
	Server      string  `json:"server"`
	Handle      string  `json:"handle"`
	DisplayName string  `json:"display_name"`
	State       State   `json:"state"`
	// LastOK is when the account last refreshed without an error (to the
	// minute), zero if never.
	LastOK    time.Time `json:"last_ok,omitzero"`
	Position  int       `json:"position"`
	CreatedAt time.Time `json:"created_at"`
	// Feeds are the feed addresses of an RSS/Atom account (Server is the first).
	Feeds []string `json:"feeds,omitempty"`
	// AvatarURL is the account's picture on its network, if any.
	AvatarURL string `json:"avatar_url,omitempty"`
}

// IsDemo reports whether the account shows embedded sample data.
func (a Account) IsDemo() bool { return a.Network == Demo }
