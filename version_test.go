package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chancery/cli"
)

// TestVersionNeedsNothing: --version answers without a display, and without
// creating or opening the profile.
func TestVersionNeedsNothing(t *testing.T) {
	english(t)
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	profile := filepath.Join(t.TempDir(), "profile")
	code, out, errOut, _ := runCLI(t, hangLimit, "--profile", profile, "--version")
	if code != cli.ExitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	// A test binary is a development build: FyneApp.toml's version, "-dev".
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "Chancery ") || !strings.HasSuffix(lines[0], "-dev") ||
		!strings.HasPrefix(lines[1], "Commit ") || lines[2] != "Build date unknown (development build)" {
		t.Errorf("--version printed %q", out)
	}
	if !strings.Contains(string(fyneAppTOML), strings.TrimSuffix(strings.TrimPrefix(lines[0], "Chancery "), "-dev")) {
		t.Errorf("version %q is not FyneApp.toml's", lines[0])
	}
	if _, err := os.Stat(profile); !os.IsNotExist(err) {
		t.Errorf("--version touched the profile folder: %v", err)
	}
}
