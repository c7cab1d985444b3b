package app

import (
	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"github.com/BurntSushi/toml"
)

// NewFyneApp starts the Fyne application described by FyneApp.toml (its
// bytes, embedded at build time), so that a plain `go build` knows the app's
// name, id, version and migrations just as `fyne package` would.
func NewFyneApp(fyneAppTOML []byte) fyne.App {
	meta := metadata(fyneAppTOML)
	a := fyneapp.NewWithID(meta.ID)
	meta.Icon = a.Metadata().Icon // the icon fyne package builds in; none for go build
	fyneapp.SetMetadata(meta)
	useTheme(a) // before the fonts are loaded ahead, so that they are its fonts
	warmFonts()
	return a
}

func metadata(raw []byte) fyne.AppMetadata {
	var file struct {
		Details struct {
			ID, Name, Version string
			Build             int
		}
		Migrations map[string]bool
	}
	meta := fyne.AppMetadata{ID: "ca.missions.chancery", Name: "Chancery", Version: "0.0.0"}
	if _, err := toml.Decode(string(raw), &file); err != nil || file.Details.ID == "" {
		return meta
	}
	meta.ID, meta.Name, meta.Version, meta.Build = file.Details.ID, file.Details.Name, file.Details.Version, file.Details.Build
	meta.Migrations = file.Migrations
	return meta
}
