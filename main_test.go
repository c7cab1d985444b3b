package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chancery/cli"
	"chancery/storage"
)

// english makes run() speak English whatever the machine's locale, and
// keeps the profile out of the user's own folders.
func english(t *testing.T) {
	t.Helper()
	t.Setenv("LANG", "C")
	t.Setenv("LANGUAGE", "")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("CHANCERY_PROFILE", filepath.Join(t.TempDir(), "not-this-one"))
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
}

// hangLimit is how long a run may take before it is taken for a hang:
// generous, for a busy machine running the race detector.
const hangLimit = 2 * time.Minute

// runCLI runs the binary's entry point with a deadline, so that a run that
// waits forever fails the test instead of hanging it.
func runCLI(t *testing.T, limit time.Duration, args ...string) (code int, stdout, stderr string, took time.Duration) {
	t.Helper()
	var out, errOut bytes.Buffer
	done := make(chan int, 1)
	start := time.Now()
	go func() { done <- run(args, &out, &errOut) }()
	select {
	case code = <-done:
	case <-time.After(limit):
		t.Fatalf("%v still running after %v", args, limit)
	}
	return code, out.String(), errOut.String(), time.Since(start)
}

func TestRunWhileProfileIsInUse(t *testing.T) {
	english(t)
	dir := t.TempDir()
	held, err := storage.Open(filepath.Join(dir, "chancery.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	code, out, errOut, took := runCLI(t, hangLimit, "--profile", dir, "outbox", "flush")
	if code != cli.ExitFailure || out != "" {
		t.Errorf("exit %d, stdout %q, want 1 and nothing", code, out)
	}
	if !strings.Contains(errOut, "Chancery is already running with this profile.") {
		t.Errorf("stderr %q does not say Chancery is running", errOut)
	}
	if took > 30*time.Second { // the lock is given up after a second; a busy machine may take longer
		t.Errorf("gave up after %v, want a few seconds at most", took)
	}
	// The running instance's database is untouched and still works.
	if ms, err := held.Missions(); err != nil || len(ms) != 0 {
		t.Errorf("held database: %d missions, %v", len(ms), err)
	}
}

func TestRunUsage(t *testing.T) {
	english(t)
	dir := t.TempDir()
	code, out, errOut, _ := runCLI(t, hangLimit, "--profile", dir, "frobnicate")
	if code != cli.ExitUsage || out != "" || !strings.Contains(errOut, `Unknown command "frobnicate".`) ||
		!strings.Contains(errOut, "Usage:") {
		t.Errorf("unknown command: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	// A command line that is not understood opens no profile.
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
		t.Errorf("profile folder after a usage error: %v, %v", entries, err)
	}
	code, _, errOut, _ = runCLI(t, hangLimit, "--no-such-flag", "missions")
	if code != cli.ExitUsage || !strings.Contains(errOut, "Usage:") {
		t.Errorf("unknown flag: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut, _ = runCLI(t, hangLimit, "--profile", dir, "drafts", "show")
	if code != cli.ExitUsage || !strings.Contains(errOut, "Usage:") {
		t.Errorf("drafts show without id: exit %d, stderr %q", code, errOut)
	}
}

func TestRunMissionsJSON(t *testing.T) {
	english(t)
	dir := t.TempDir()
	code, out, errOut, _ := runCLI(t, hangLimit, "--profile", dir, "missions", "--json")
	if code != cli.ExitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var missions []struct {
		ID           string   `json:"id"`
		Name         string   `json:"name"`
		TimeZone     string   `json:"time_zone"`
		HostLanguage string   `json:"host_language"`
		Accounts     []string `json:"accounts"`
	}
	if err := json.Unmarshal([]byte(out), &missions); err != nil {
		t.Fatalf("stdout is not a JSON array: %v\n%s", err, out)
	}
	want := []struct{ id, name, zone string }{
		{"vienna", "Vienna", "Europe/Vienna"},
		{"the-hague", "The Hague", "Europe/Amsterdam"},
		{"beijing", "Beijing", "Asia/Shanghai"},
		{"new-york", "New York", "America/New_York"},
		{"washington", "Washington", "America/New_York"},
	}
	if len(missions) != len(want) {
		t.Fatalf("%d missions, want %d: %+v", len(missions), len(want), missions)
	}
	for i, w := range want {
		m := missions[i]
		if m.ID != w.id || m.Name != w.name || m.TimeZone != w.zone || m.HostLanguage == "" ||
			len(m.Accounts) != 1 || m.Accounts[0] != w.id+"-demo" {
			t.Errorf("mission %d = %+v, want %s (%s) in %s with its demo account", i, m, w.id, w.name, w.zone)
		}
		if _, err := time.LoadLocation(m.TimeZone); err != nil {
			t.Errorf("%s: time zone %q: %v", m.ID, m.TimeZone, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "chancery.db")); err != nil {
		t.Errorf("the profile was not created in --profile: %v", err)
	}
}

// The binary's wiring lets demo accounts publish into the profile, and what
// they publish is in their timeline after a refresh, across separate runs.
func TestRunPostOnDemoProfile(t *testing.T) {
	english(t)
	dir := t.TempDir()
	const text = "Consular hours change on Monday."
	file := filepath.Join(t.TempDir(), "post.txt")
	if err := os.WriteFile(file, []byte(text+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut, _ := runCLI(t, hangLimit, "--profile", dir, "post", "--account", "vienna-demo,the-hague-demo", "--text-file", file); code != cli.ExitOK {
		t.Fatalf("post: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	_, out, _, _ := runCLI(t, hangLimit, "--profile", dir, "outbox", "list", "--json")
	var entries []struct {
		Account  string `json:"account"`
		State    string `json:"state"`
		RemoteID string `json:"remote_id"`
	}
	if err := json.Unmarshal([]byte(out), &entries); err != nil {
		t.Fatalf("outbox list: %v\n%s", err, out)
	}
	var remote string
	for _, e := range entries {
		if e.State != "sent" || e.RemoteID == "" {
			t.Errorf("entry %+v not sent", e)
		}
		if e.Account == "vienna-demo" {
			remote = e.RemoteID
		}
	}
	if len(entries) != 2 || remote == "" {
		t.Fatalf("outbox: %+v", entries)
	}
	if code, _, errOut, _ := runCLI(t, hangLimit, "--profile", dir, "refresh", "--account", "vienna-demo"); code != cli.ExitOK {
		t.Fatalf("refresh: exit %d, stderr %q", code, errOut)
	}
	_, out, _, _ = runCLI(t, hangLimit, "--profile", dir, "timeline", "--account", "vienna-demo", "--json")
	var posts []struct{ ID, Text string }
	if err := json.Unmarshal([]byte(out), &posts); err != nil {
		t.Fatalf("timeline: %v\n%s", err, out)
	}
	if len(posts) == 0 || posts[0].ID != remote || posts[0].Text != text {
		t.Errorf("timeline starts with %+v, want the published post %s first", posts[:min(len(posts), 1)], remote)
	}
}
