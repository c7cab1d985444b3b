//go:build linux

package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chancery/cli"
	"chancery/storage"
	"chancery/timer"
)

// The real systemd user timer, end to end: installed for a profile, its
// service run once publishes a post that came due in the outbox; run again
// while the profile is held (as by the open window) it still succeeds; then
// it is removed and leaves no file. It needs a logged-in user's systemd and
// is skipped without one, as in most containers.
func TestSystemdTimerRunsTheFlush(t *testing.T) {
	if out, err := exec.Command("systemctl", "--user", "show-environment").CombinedOutput(); err != nil {
		t.Skipf("no systemd user session (systemctl --user show-environment: %v: %s): run this test in a logged-in session",
			err, strings.TrimSpace(string(out)))
	}
	if testing.Short() {
		t.Skip("builds the program and runs the real timer")
	}
	for _, v := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES"} {
		t.Setenv(v, "")
	}
	t.Setenv("LANG", "C")
	dir := t.TempDir()
	exe := filepath.Join(t.TempDir(), "chancery")
	if out, err := exec.Command("go", "build", "-o", exe, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	file := filepath.Join(t.TempDir(), "post.txt")
	if err := os.WriteFile(file, []byte("Consular hours change on Monday.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	due := time.Now().Add(5 * time.Second).Truncate(time.Second).Add(time.Second)
	if code, _, errOut, _ := runCLI(t, hangLimit, "--profile", dir, "post", "--account", "vienna-demo", "--text-file", file,
		"--at", due.Format(time.RFC3339)); code != cli.ExitOK {
		t.Fatalf("post --at: exit %d, %s", code, errOut)
	}
	if got := outboxStates(t, dir); got != "queued" {
		t.Fatalf("before the timer ran, the outbox holds %q", got)
	}

	ctx := context.Background()
	in, err := timer.New(exe, dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := in.Install(ctx)
	t.Cleanup(func() {
		if _, err := in.Remove(ctx); err != nil {
			t.Errorf("remove: %v", err)
		}
	})
	if err != nil || !st.Installed || !st.Active {
		t.Fatalf("install: %+v, %v", st, err)
	}
	for time.Now().Before(due) { // the entry comes due at a known time
		time.Sleep(time.Until(due) + 100*time.Millisecond)
	}
	service := in.Name() + ".service"
	if out, err := exec.Command("systemctl", "--user", "start", service).CombinedOutput(); err != nil {
		t.Fatalf("start %s: %v: %s", service, err, out)
	}
	if got := outboxStates(t, dir); got != "sent" {
		t.Errorf("after the timer's run, the outbox holds %q", got)
	}
	if st, err := in.Status(ctx); err != nil || st.LastRun.IsZero() || st.LastResult != "success" {
		t.Errorf("status after a run: %+v, %v", st, err)
	}

	held, err := storage.Open(filepath.Join(dir, "chancery.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("systemctl", "--user", "start", service).CombinedOutput()
	held.Close()
	if err != nil {
		t.Errorf("a run while the profile is held failed: %v: %s", err, out)
	}

	removed, err := in.Remove(ctx)
	if err != nil || !removed {
		t.Fatalf("remove: %v, %v", removed, err)
	}
	if st, err := in.Status(ctx); err != nil || st.Installed {
		t.Errorf("after remove: %+v, %v", st, err)
	}
	for _, f := range st.Files {
		if _, err := os.Stat(f); !os.IsNotExist(err) {
			t.Errorf("%s left behind: %v", f, err)
		}
	}
}

// outboxStates lists the states of the profile's outbox entries.
func outboxStates(t *testing.T, dir string) string {
	t.Helper()
	code, out, errOut, _ := runCLI(t, hangLimit, "--profile", dir, "outbox", "list", "--json")
	if code != cli.ExitOK {
		t.Fatalf("outbox list: exit %d, %s", code, errOut)
	}
	var entries []struct{ State string }
	if err := json.Unmarshal([]byte(out), &entries); err != nil {
		t.Fatalf("outbox list: %v\n%s", err, out)
	}
	var states []string
	for _, e := range entries {
		states = append(states, e.State)
	}
	return strings.Join(states, ",")
}
