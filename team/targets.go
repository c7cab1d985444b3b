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

// publishableHere returns the local targets of the item's latest revision
// (see localTargets) when this laptop has every account and image it
// needs, each account in the item's mission: the mission whose approvers
// reviewed the post. Images are published only from the author's login:
// their paths are the author's, and on a colleague's laptop a path the
// content names could be any of the colleague's own files.
func (s *Service) publishableHere(it Item) (map[string]string, error) {
	c := it.Latest().Content
	if len(c.Media) > 0 {
		login, err := s.Login()
		if err != nil {
			return nil, err
		}
		if login != it.Author {
			return nil, fmt.Errorf("images of %s's post: %w", it.Author, ErrNoAccount)
		}
	}
	for _, m := range c.Media {
		if _, err := os.Stat(m.Path); err != nil {
			return nil, fmt.Errorf("image %s: %w: %w", m.Name, ErrNoAccount, err)
		}
	}
	return s.localTargets(it.Mission, c)
}

// localTargets maps each target of c (the author's account ids) to the id
// of the same account of mission on this laptop: the same id, or else the
// account of the same network, server and handle. A target that is an
// account of another mission is refused: that mission's approvers never
// saw the post (the server checks the mission of the event, not the
// accounts its content names).
func (s *Service) localTargets(mission string, c Content) (map[string]string, error) {
	if s.o.Accounts == nil {
		return nil, ErrNoAccount
	}
	local, err := s.o.Accounts.Accounts()
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	out := map[string]string{}
	for _, id := range c.Targets {
		found, elsewhere := matchAccount(local, mission, id, refOf(c, id))
		switch {
		case found != "":
			out[id] = found
		case elsewhere:
			return nil, fmt.Errorf("account %s is not of %s: %w", id, mission, ErrMixedMission)
		default:
			return nil, fmt.Errorf("account %s: %w", id, ErrNoAccount)
		}
	}
	return out, nil
}

// matchAccount finds the local account of mission that is target id (its
// own id first), and tells whether it is an account of another mission.
func matchAccount(local []accounts.Account, mission, id string, ref *AccountRef) (string, bool) {
	found, elsewhere := "", false
	for _, a := range local {
		if a.ID != id && (ref == nil || !sameAccount(a, *ref)) {
			continue
		}
		if a.Mission != mission {
			elsewhere = true
			continue
		}
		found = a.ID
		if a.ID == id {
			break
		}
	}
	return found, elsewhere
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
