package version

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"chancery/translations"
)

const fyneApp = "[Details]\nName = \"Chancery\"\nVersion = \"1.2.3\"\nBuild = 7\n"

func TestResolve(t *testing.T) {
	withVCS := &debug.BuildInfo{Settings: []debug.BuildSetting{
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
		{Key: "vcs.time", Value: "2026-11-30T09:00:00Z"},
		{Key: "vcs.modified", Value: "true"},
	}}
	built := time.Date(2026, 12, 2, 10, 55, 0, 0, time.UTC)
	tests := []struct {
		name   string
		linked linked
		toml   string
		bi     *debug.BuildInfo
		want   Info
	}{
		{
			name:   "make dist",
			linked: linked{version: "1.2.3", commit: "fedcba9876543210", date: "2026-12-02T11:55:00+01:00"},
			toml:   fyneApp, bi: withVCS,
			want: Info{Version: "1.2.3", Commit: "fedcba9876543210", Built: built},
		},
		{
			name: "go build in a git tree", toml: fyneApp, bi: withVCS,
			want: Info{Version: "1.2.3-dev", Dev: true, Commit: "0123456789abcdef0123456789abcdef01234567", Modified: true},
		},
		{
			name: "go build without vcs information", toml: fyneApp, bi: &debug.BuildInfo{},
			want: Info{Version: "1.2.3-dev", Dev: true},
		},
		{
			name: "no build information, unreadable FyneApp.toml", toml: "[Details\n",
			want: Info{Version: "0.0.0-dev", Dev: true},
		},
		{
			name:   "a malformed date is left out",
			linked: linked{version: "1.2.3", commit: "fedcba98", date: "yesterday"},
			toml:   fyneApp,
			want:   Info{Version: "1.2.3", Commit: "fedcba98"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := resolve(tt.linked, FileVersion([]byte(tt.toml)), tt.bi)
			if got != tt.want {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestDetailsInEveryLanguage(t *testing.T) {
	release := Info{Version: "1.2.3", Commit: "0123456789abcdef0123", Built: time.Date(2026, 12, 2, 10, 55, 0, 0, time.UTC)}
	dev := Info{Version: "1.2.3-dev", Dev: true, Commit: "0123456789abcdef0123", Modified: true}
	unknown := Info{Version: "1.2.3-dev", Dev: true}
	en := translations.New("en")
	if got := release.Heading(en); got != "Chancery 1.2.3" {
		t.Errorf("heading %q", got)
	}
	want := map[Info][]string{
		release: {"Commit 0123456789ab", "Built 2026-12-02 10:55 UTC"},
		dev:     {"Commit 0123456789ab, with uncommitted changes", "Build date unknown (development build)"},
		unknown: {"Commit unknown", "Build date unknown (development build)"},
	}
	for info, lines := range want {
		if got := info.Details(en); strings.Join(got, "|") != strings.Join(lines, "|") {
			t.Errorf("%+v: %q, want %q", info, got, lines)
		}
	}
	for _, lang := range translations.Supported() {
		loc := translations.New(lang)
		for _, info := range []Info{release, dev, unknown} {
			lines := append([]string{info.Heading(loc)}, info.Details(loc)...)
			for _, line := range lines {
				if strings.Contains(line, "about.") || strings.Contains(line, "{{") {
					t.Errorf("%s: untranslated line %q", lang, line)
				}
			}
			if info.Commit != "" && !strings.Contains(lines[1], "0123456789ab") {
				t.Errorf("%s: commit line %q lacks the commit", lang, lines[1])
			}
			if !info.Built.IsZero() && !strings.Contains(lines[2], "2026-12-02 10:55 UTC") {
				t.Errorf("%s: build line %q lacks the date", lang, lines[2])
			}
		}
	}
}

// TestLinkerFlags builds a program with the -X flags make dist passes, so a
// renamed variable cannot silently turn every release into a "dev" build.
func TestLinkerFlags(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	exe := filepath.Join(t.TempDir(), "show")
	ldflags := "-X chancery/version.version=9.8.7 -X chancery/version.commit=abcdef123456 " +
		"-X chancery/version.date=2026-12-02T10:55:00Z"
	build := exec.Command("go", "build", "-ldflags", ldflags, "-o", exe, "./testdata/show")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(exe).Output()
	if err != nil {
		t.Fatal(err)
	}
	want := "9.8.7\nfalse\nabcdef123456\n2026-12-02T10:55:00Z\n"
	if string(out) != want {
		t.Errorf("linked build reports %q, want %q", out, want)
	}
}
