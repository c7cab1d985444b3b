//go:build linux

package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"chancery/feeds/mastodon/mastodontest"
	"chancery/storage"
	"chancery/timer"
	"chancery/timer/systemdtest"
)

// Issue 17 on a server that cannot hold scheduled posts, end to end with a
// real systemd user manager and the built program: `chancery timer
// install` installs the timer, which fires by itself and publishes the post
// once it is due, exactly once, while no Chancery runs (the test runs no
// Chancery meanwhile); a run while the profile is held (as by the window)
// succeeds without publishing; `timer status` reports the runs; `timer
// remove` leaves no unit behind. The account's token goes through the OS
// keyring, so the test runs under scripts/with-keyring.sh (make unit).
func TestSystemdTimerPublishesWhileChanceryIsClosed(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program and runs a systemd user manager")
	}
	if os.Getenv("CHANCERY_REAL_KEYRING") != "1" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but the real keyring is not: run under scripts/with-keyring.sh")
		}
		t.Skip("needs the real OS keyring: run under scripts/with-keyring.sh (as make unit does)")
	}
	m := systemdtest.Start(t)
	e := &timerEnv{t: t, m: m, dir: t.TempDir(), exe: filepath.Join(t.TempDir(), "chancery")}
	e.build()
	srv := mastodontest.New(time.Now())
	t.Cleanup(srv.Close)
	srv.RefuseScheduling(true) // as servers without scheduled statuses do

	id := strings.TrimSpace(e.ok(mastodontest.Token+"\n", "accounts", "add", "--mission", "vienna",
		"--network", "mastodon", "--server", srv.URL, "--secret-stdin"))
	t.Cleanup(func() { e.run("", "accounts", "remove", id) }) // its token leaves the keyring
	const text = "The consular section is closed on Friday."
	due := time.Now().Add(20 * time.Second).Truncate(time.Second)
	e.ok(text, "post", "--account", id, "--text-file", "-", "--at", due.Format(time.RFC3339))
	if got := e.states(); got != "queued" || len(srv.Statuses()) != 0 {
		t.Fatalf("before the timer, the outbox holds %q and the server %d status(es)", got, len(srv.Statuses()))
	}

	e.ok("", "timer", "install")
	t.Cleanup(func() { e.run("", "timer", "remove") }) // also when the test fails
	in := e.installer()
	published := e.waitFor(func() bool { return len(srv.Statuses()) > 0 }, "the timer to publish the post")
	if !published.After(due) {
		t.Errorf("published at %v, before its time %v", published, due)
	}
	t.Logf("due at %s, published by the timer's run by %s", due.Format(time.TimeOnly), published.Format(time.TimeOnly))
	// Two more runs publish nothing more.
	after := e.runEnded(in, time.Now().Add(time.Second)).LastRun
	after = e.runEnded(in, after.Add(time.Second)).LastRun
	t.Logf("runs ended until %s; the server has %d status(es) from %d POST", after.Format(time.TimeOnly),
		len(srv.Statuses()), srv.Count("POST /api/v1/statuses"))
	st := srv.Statuses()
	if len(st) != 1 || st[0].Text != text || srv.Count("POST /api/v1/statuses") != 1 || len(srv.ScheduledStatuses()) != 0 {
		t.Fatalf("server after the timer's runs: %+v, %d POST", st, srv.Count("POST /api/v1/statuses"))
	}
	if got := e.states(); got != "sent" {
		t.Errorf("after the timer's run, the outbox holds %q", got)
	}

	// A run while the profile is held, as by the open window, succeeds.
	held, err := storage.Open(filepath.Join(e.dir, "chancery.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	heldRun := e.runEnded(in, time.Now().Add(time.Second))
	held.Close()
	t.Logf("a run while the profile was held ended at %s: %s", heldRun.LastRun.Format(time.TimeOnly), heldRun.LastResult)

	var status struct {
		Installed  bool     `json:"installed"`
		Active     bool     `json:"active"`
		LastRun    string   `json:"last_run"`
		LastResult string   `json:"last_result"`
		Files      []string `json:"files"`
	}
	if err := json.Unmarshal([]byte(e.ok("", "timer", "status", "--json")), &status); err != nil {
		t.Fatal(err)
	}
	if !status.Installed || !status.Active || status.LastRun == "" || status.LastResult != "success" || len(status.Files) != 2 {
		t.Errorf("timer status: %+v", status)
	}
	t.Logf("timer status --json: %+v", status)
	e.noSecretIn(append(status.Files, filepath.Join(m.ConfigHome, "systemd", "user"))...)

	e.ok("", "timer", "remove")
	e.leftNothing(in, status.Files)
}

// build builds the program with this test binary's -race setting, so that
// the packages compiled for the test are used again.
func (e *timerEnv) build() {
	e.t.Helper()
	args := []string{"build", "-o", e.exe}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "-race" && s.Value == "true" {
				args = append(args, "-race")
			}
		}
	}
	if out, err := exec.Command("go", append(args, ".")...).CombinedOutput(); err != nil {
		e.t.Fatalf("build: %v\n%s", err, out)
	}
}

// timerEnv runs the built program against the manager, as the user would
// in a session.
type timerEnv struct {
	t   *testing.T
	m   *systemdtest.Manager
	dir string // the profile
	exe string
}

func (e *timerEnv) run(stdin string, args ...string) (code int, stdout, stderr string) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hangLimit)
	defer cancel()
	cmd := e.m.Command(ctx, e.exe, append([]string{"--profile", e.dir}, args...)...)
	cmd.Env = append(cmd.Env, "LANG=C", "LANGUAGE=", "LC_ALL=", "LC_MESSAGES=", timer.EveryEnv+"=5s")
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if err != nil && cmd.ProcessState == nil {
		e.t.Fatalf("%v: %v", args, err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errOut.String()
}

func (e *timerEnv) ok(stdin string, args ...string) string {
	e.t.Helper()
	code, out, errOut := e.run(stdin, args...)
	if code != 0 {
		e.t.Fatalf("%v: exit %d, stdout %q, stderr %q\nmanager:\n%s", args, code, out, errOut, e.m.Log())
	}
	return out
}

// states lists the states of the profile's outbox entries.
func (e *timerEnv) states() string {
	e.t.Helper()
	var entries []struct{ State string }
	if err := json.Unmarshal([]byte(e.ok("", "outbox", "list", "--json")), &entries); err != nil {
		e.t.Fatal(err)
	}
	var states []string
	for _, en := range entries {
		states = append(states, en.State)
	}
	return strings.Join(states, ",")
}

// installer reads the timer's state from systemd without the program, so
// that polling never holds the profile.
func (e *timerEnv) installer() *timer.Installer {
	in, err := timer.New(e.exe, e.dir)
	if err != nil {
		e.t.Fatal(err)
	}
	in.Run, in.ConfigDir, in.DataDir = e.m.Run, e.m.ConfigHome, e.m.DataHome
	return in
}

// waitFor polls ok with a generous deadline and returns when it held.
func (e *timerEnv) waitFor(ok func() bool, what string) time.Time {
	e.t.Helper()
	deadline := time.Now().Add(3 * systemdtest.Deadline)
	for !ok() {
		if time.Now().After(deadline) {
			e.t.Fatalf("waited %v for %s\nmanager:\n%s", 3*systemdtest.Deadline, what, e.m.Log())
		}
		time.Sleep(200 * time.Millisecond)
	}
	return time.Now()
}

// runEnded waits for a run of the timer's service that ended at or after
// since (systemd's times have whole seconds), checks it succeeded and
// returns the status that says so.
func (e *timerEnv) runEnded(in *timer.Installer, since time.Time) timer.Status {
	e.t.Helper()
	since = since.Truncate(time.Second)
	var st timer.Status
	e.waitFor(func() bool {
		var err error
		if st, err = in.Status(context.Background()); err != nil {
			e.t.Fatal(err)
		}
		return !st.LastRun.Before(since) && st.LastResult != timer.Running
	}, "a run of the timer to end")
	if st.LastResult != "success" {
		e.t.Errorf("run ended %v: %q", st.LastRun, st.LastResult)
	}
	return st
}

// noSecretIn checks that the token is in none of the files or folders.
func (e *timerEnv) noSecretIn(paths ...string) {
	e.t.Helper()
	for _, p := range paths {
		_ = filepath.WalkDir(p, func(f string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if b, _ := os.ReadFile(f); strings.Contains(string(b), mastodontest.Token) {
					e.t.Errorf("the token is in %s", f)
				}
			}
			return nil
		})
	}
	if strings.Contains(e.m.Log(), mastodontest.Token) {
		e.t.Error("the token is in the manager's log")
	}
}

// leftNothing checks that after timer remove no unit file, link, stamp or
// loaded unit is left and the program says none is installed.
func (e *timerEnv) leftNothing(in *timer.Installer, files []string) {
	e.t.Helper()
	for _, f := range files {
		if _, err := os.Stat(f); !os.IsNotExist(err) {
			e.t.Errorf("%s left behind: %v", f, err)
		}
	}
	if entries, err := os.ReadDir(filepath.Join(e.m.ConfigHome, "systemd", "user")); err != nil || len(entries) != 0 {
		e.t.Errorf("left in the unit folder: %v, %v", entries, err)
	}
	if _, err := os.Stat(filepath.Join(e.m.DataHome, "systemd", "timers", "stamp-"+in.Name()+".timer")); !os.IsNotExist(err) {
		e.t.Errorf("the timer's stamp is left: %v", err)
	}
	for _, unit := range []string{in.Name() + ".timer", in.Name() + ".service"} {
		if out, err := e.m.Systemctl("show", unit, "--property=LoadState"); err != nil || strings.TrimSpace(string(out)) != "LoadState=not-found" {
			e.t.Errorf("%s after remove: %s, %v", unit, out, err)
		}
	}
	var st struct{ Installed *bool }
	out := e.ok("", "timer", "status", "--json")
	if err := json.Unmarshal([]byte(out), &st); err != nil || st.Installed == nil || *st.Installed {
		e.t.Errorf("timer status after remove: %s (%v)", out, err)
	}
}
