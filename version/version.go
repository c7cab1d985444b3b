// Package version says which build of Chancery is running: its version, the
// commit it was built from and when it was built.
//
// make dist sets all three at link time:
//
//	-X chancery/version.version=0.1.0
//	-X chancery/version.commit=<git rev-parse HEAD>
//	-X chancery/version.date=<build time, RFC 3339, UTC>
//
// A plain "go build" sets none of them: the version is then FyneApp.toml's
// with "-dev" appended, and the commit comes from the VCS information the Go
// toolchain records (debug.ReadBuildInfo), with no build date.
package version

import (
	"runtime/debug"
	"time"

	"github.com/BurntSushi/toml"
)

// Set with -ldflags -X by make dist (scripts/dist.sh); empty otherwise.
var (
	version string
	commit  string
	date    string
)

// Info describes one build.
type Info struct {
	Version  string    // "0.1.0", or "0.1.0-dev" for a development build
	Dev      bool      // not built by make dist: the version was not set at link time
	Commit   string    // full commit hash; empty when unknown
	Modified bool      // built from a tree with uncommitted changes (development builds)
	Built    time.Time // when make dist built it; zero for a development build
}

// Get returns this build's Info; appVersion is FyneApp.toml's [Details]
// Version, which names development builds.
func Get(appVersion string) Info {
	bi, _ := debug.ReadBuildInfo()
	return resolve(linked{version: version, commit: commit, date: date}, appVersion, bi)
}

// linked holds the values set at link time.
type linked struct{ version, commit, date string }

func resolve(l linked, appVersion string, bi *debug.BuildInfo) Info {
	var info Info
	if l.version != "" {
		info.Version = l.version
	} else {
		info.Dev = true
		if appVersion == "" {
			appVersion = "0.0.0"
		}
		info.Version = appVersion + "-dev"
	}
	info.Commit = l.commit
	if info.Commit == "" && bi != nil {
		info.Commit, info.Modified = vcs(bi)
	}
	if t, err := time.Parse(time.RFC3339, l.date); err == nil {
		info.Built = t.UTC()
	}
	return info
}

// FileVersion reads [Details] Version from FyneApp.toml; "" if absent.
func FileVersion(fyneAppTOML []byte) string {
	var file struct{ Details struct{ Version string } }
	if _, err := toml.Decode(string(fyneAppTOML), &file); err != nil {
		return ""
	}
	return file.Details.Version
}

// vcs returns the commit and dirty flag the go command recorded.
func vcs(bi *debug.BuildInfo) (revision string, modified bool) {
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	return revision, modified
}

// ShortCommit is the commit's first 12 characters, or "" when unknown.
func (i Info) ShortCommit() string {
	if len(i.Commit) > 12 {
		return i.Commit[:12]
	}
	return i.Commit
}
