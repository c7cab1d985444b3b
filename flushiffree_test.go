package main

import (
	"path/filepath"
	"strings"
	"testing"

	"chancery/cli"
	"chancery/storage"
)

// The timer's `outbox flush --if-free` ends without error, saying why,
// while the window holds the profile: its own loop publishes. Without the
// flag the refusal stays a failure, and with it a free profile is flushed.
func TestFlushIfFreeWhileTheWindowHoldsTheProfile(t *testing.T) {
	english(t)
	dir := t.TempDir()
	held, err := storage.Open(filepath.Join(dir, "chancery.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut, _ := runCLI(t, hangLimit, "--profile", dir, "outbox", "flush", "--if-free")
	if code != cli.ExitOK || out != "" || strings.Count(errOut, "\n") != 1 ||
		!strings.Contains(errOut, "Chancery's window is open with this profile and publishes the outbox itself") {
		t.Errorf("--if-free while held: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, _, errOut, _ = runCLI(t, hangLimit, "--profile", dir, "outbox", "flush")
	if code != cli.ExitFailure || !strings.Contains(errOut, "already running") {
		t.Errorf("without --if-free while held: exit %d, stderr %q", code, errOut)
	}
	held.Close()
	code, _, errOut, _ = runCLI(t, hangLimit, "--profile", dir, "outbox", "flush", "--if-free")
	if code != cli.ExitOK || !strings.Contains(errOut, "Outbox: 0 sent, 0 failed, 0 waiting.") {
		t.Errorf("--if-free on a free profile: exit %d, stderr %q", code, errOut)
	}
}

func TestFlushIfFreeIsOnlyThatCommand(t *testing.T) {
	for args, want := range map[string]bool{
		"outbox flush --if-free":      true,
		"outbox flush -if-free":       true,
		"outbox flush --if-free=true": true,
		"outbox flush":                false,
		"outbox list --if-free":       false,
		"refresh --if-free":           false,
	} {
		if got := cli.FlushIfFree(strings.Fields(args)); got != want {
			t.Errorf("%s: %v, want %v", args, got, want)
		}
	}
}
