package main

import (
	"sync"

	"fyne.io/fyne/v2"
	"github.com/BurntSushi/toml"
)

// appMetadata reads FyneApp.toml, embedded at build time, so a plain
// `go build` knows the app's name, id, version and migrations just as
// `fyne package` would.
var appMetadata = sync.OnceValue(func() fyne.AppMetadata {
	var file struct {
		Details struct {
			ID, Name, Version string
			Build             int
		}
		Migrations map[string]bool
	}
	meta := fyne.AppMetadata{ID: "ca.missions.chancery", Name: "Chancery", Version: "0.0.0"}
	if _, err := toml.Decode(string(fyneAppTOML), &file); err != nil {
		return meta
	}
	meta.ID, meta.Name, meta.Version, meta.Build = file.Details.ID, file.Details.Name, file.Details.Version, file.Details.Build
	meta.Migrations = file.Migrations
	return meta
})
