package team

import (
	"fmt"
	"os"
	"strings"

	"chancery/accounts"
	"chancery/translations"
)

// ErrNoAccount means a reviewed post's target account, or one of its
// images, is not on this laptop, which therefore cannot publish it.
var ErrNoAccount = translations.NewProblem("team.error.no_account", "a target account or an image of this post is not on this computer")

// publishableHere returns the local targets of c (see localTargets) when
// this laptop has every account and image c needs.
func (s *Service) publishableHere(c Content) (map[string]string, error) {
	for _, m := range c.Media {
		if _, err := os.Stat(m.Path); err != nil {
			return nil, fmt.Errorf("image %s: %w: %w", m.Name, ErrNoAccount, err)
		}
	}
	return s.localTargets(c)
}

// localTargets maps each target of c (the author's account ids) to the id
// of the same account on this laptop: the same id, or else the account of
// the same network, server and handle.
func (s *Service) localTargets(c Content) (map[string]string, error) {
	if s.o.Accounts == nil {
		return nil, ErrNoAccount
	}
	local, err := s.o.Accounts.Accounts()
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	out := map[string]string{}
	for _, id := range c.Targets {
		ref := refOf(c, id)
		found := ""
		for _, a := range local {
			if a.ID == id || ref != nil && sameAccount(a, *ref) {
				found = a.ID
				if a.ID == id {
					break
				}
			}
		}
		if found == "" {
			return nil, fmt.Errorf("account %s: %w", id, ErrNoAccount)
		}
		out[id] = found
	}
	return out, nil
}

func refOf(c Content, id string) *AccountRef {
	for i := range c.Refs {
		if c.Refs[i].ID == id {
			return &c.Refs[i]
		}
	}
	return nil
}

func sameAccount(a accounts.Account, ref AccountRef) bool {
	return string(a.Network) == ref.Network && ref.Handle != "" &&
		strings.EqualFold(strings.TrimRight(a.Server, "/"), strings.TrimRight(ref.Server, "/")) &&
		strings.EqualFold(a.Handle, ref.Handle)
}
