package main

import "chancery/team"

// reviewService is the team review as the window sees it: the service,
// and the login this profile signs in to the team server as.
type reviewService struct {
	*team.Service
	store team.Store
}

// Login returns the profile's team login, or team.ErrNotConnected.
func (r reviewService) Login() (string, error) {
	cfg, err := r.store.TeamConfig()
	return cfg.Login, err
}
