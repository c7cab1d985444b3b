//go:build linux

package timer_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chancery/timer"
	"chancery/timer/systemdtest"
)

// The units as a real systemd user manager reads them: installed, the
// timer fires by itself and runs the program with the profile; status
// reads what systemd says of the runs; remove leaves no unit, no link and
// no unit loaded.
func TestRealSystemdFiresTheTimer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a systemd user manager")
	}
	m := systemdtest.Start(t)
	dir := t.TempDir()
	calls := filepath.Join(dir, "calls")
	exe := filepath.Join(dir, "fake chancery")
	script := "#!/bin/sh\necho \"$*\" >> '" + calls + "'\n"
	if err := os.WriteFile(exe, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	profile := filepath.Join(dir, "profile 100%")
	in, err := timer.New(exe, profile)
	if err != nil {
		t.Fatal(err)
	}
	in.Run, in.ConfigDir, in.DataDir, in.Every = m.Run, m.ConfigHome, m.DataHome, 2*time.Second
	ctx := context.Background()
	t.Cleanup(func() { _, _ = in.Remove(ctx) })
	st, err := in.Install(ctx)
	if err != nil || !st.Installed || !st.Active {
		t.Fatalf("install: %+v, %v\n%s", st, err, m.Log())
	}
	runs := waitFor(t, func() []string {
		b, _ := os.ReadFile(calls)
		if lines := strings.Split(strings.TrimSpace(string(b)), "\n"); len(lines) >= 2 {
			return lines
		}
		return nil
	})
	if want := "--profile " + profile + " outbox flush --if-free"; runs[0] != want {
		t.Errorf("the timer ran %q, want %q", runs[0], want)
	}
	// Installing again (as after moving the program) replaces the units.
	if st, err := in.Install(ctx); err != nil || !st.Installed || !st.Active {
		t.Fatalf("install again: %+v, %v", st, err)
	}
	if out, err := m.Systemctl("list-timers", "--all", "--no-legend", "chancery-outbox-*"); err != nil || strings.Count(string(out), in.Name()+".timer") != 1 {
		t.Errorf("timers after a second install: %s, %v", out, err)
	}
	st = waitForStatus(t, in, func(st timer.Status) bool { return !st.LastRun.IsZero() && st.LastResult != timer.Running })
	if !st.Installed || !st.Active || st.LastResult != "success" || time.Since(st.LastRun) > time.Hour || len(st.Files) != 2 {
		t.Errorf("status after runs: %+v", st)
	}

	removed, err := in.Remove(ctx)
	if err != nil || !removed {
		t.Fatalf("remove: %v, %v", removed, err)
	}
	if entries, err := os.ReadDir(filepath.Join(m.ConfigHome, "systemd", "user")); err != nil || len(entries) != 0 {
		t.Errorf("left in the unit folder: %v, %v", entries, err)
	}
	stamp := filepath.Join(m.DataHome, "systemd", "timers", "stamp-"+in.Name()+".timer")
	if _, err := os.Stat(stamp); !os.IsNotExist(err) {
		t.Errorf("the timer's stamp is left: %v", err)
	}
	for _, unit := range []string{in.Name() + ".timer", in.Name() + ".service"} {
		out, err := m.Systemctl("show", unit, "--property=LoadState")
		if err != nil || strings.TrimSpace(string(out)) != "LoadState=not-found" {
			t.Errorf("%s after remove: %s, %v", unit, out, err)
		}
	}
	if st, err := in.Status(ctx); err != nil || st.Installed {
		t.Errorf("status after remove: %+v, %v", st, err)
	}
}

// waitFor polls get until it returns something, with a generous deadline.
func waitFor[T any](t *testing.T, get func() []T) []T {
	t.Helper()
	deadline := time.Now().Add(systemdtest.Deadline)
	for {
		if v := get(); v != nil {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("nothing after %v", systemdtest.Deadline)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// waitForStatus polls the timer's status until ok.
func waitForStatus(t *testing.T, in *timer.Installer, ok func(timer.Status) bool) timer.Status {
	t.Helper()
	got := waitFor(t, func() []timer.Status {
		st, err := in.Status(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if ok(st) {
			return []timer.Status{st}
		}
		return nil
	})
	return got[0]
}

// Persistent=true: a timer whose manager was not running when its time
// came (the user logged out, the machine was off) runs the flush as soon as
// the manager starts again, not at its next time.
func TestRealSystemdCatchesUpAfterDowntime(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a systemd user manager")
	}
	m := systemdtest.Start(t)
	dir := t.TempDir()
	exe := filepath.Join(dir, "chancery")
	if err := os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	const every = 20 * time.Second
	in, err := timer.New(exe, filepath.Join(dir, "profile"))
	if err != nil {
		t.Fatal(err)
	}
	in.Run, in.ConfigDir, in.DataDir, in.Every = m.Run, m.ConfigHome, m.DataHome, every
	ctx := context.Background()
	t.Cleanup(func() { _, _ = in.Remove(ctx) })
	if _, err := in.Install(ctx); err != nil {
		t.Fatal(err)
	}
	first := waitForStatus(t, in, func(st timer.Status) bool { return !st.LastRun.IsZero() && st.LastResult != timer.Running })
	var missed, started time.Time
	m.Restart(t, func() { // while the manager is down, one of the timer's times passes
		missed = time.Now().Truncate(every).Add(every)
		waitFor(t, func() []bool {
			if time.Now().After(missed.Add(time.Second)) {
				return []bool{true}
			}
			return nil
		})
		started = time.Now()
	})
	next := started.Truncate(every).Add(every) // its next time, were there no catching up
	st := waitForStatus(t, in, func(st timer.Status) bool {
		return st.LastRun.After(first.LastRun) && st.LastResult != timer.Running
	})
	if trigger := lastTrigger(t, m, in); trigger.Before(started.Truncate(time.Second)) || !trigger.Before(next) {
		t.Errorf("first run %s, missed %s, manager started %s: the next run fired at %s, want at the start, before the timer's next time %s",
			first.LastRun.Format(time.TimeOnly), missed.Format(time.TimeOnly), started.Format("15:04:05.000"),
			trigger.Format(time.TimeOnly), next.Format(time.TimeOnly))
	}
	if st.LastResult != "success" {
		t.Errorf("catching-up run: %+v", st)
	}
}

// lastTrigger is when systemd says the timer last fired.
func lastTrigger(t *testing.T, m *systemdtest.Manager, in *timer.Installer) time.Time {
	t.Helper()
	out, err := m.Systemctl("show", in.Name()+".timer", "--property=LastTriggerUSec")
	if err != nil {
		t.Fatal(err)
	}
	v, _ := strings.CutPrefix(strings.TrimSpace(string(out)), "LastTriggerUSec=")
	at, err := time.Parse("Mon 2006-01-02 15:04:05 MST", v)
	if err != nil {
		t.Fatalf("LastTriggerUSec: %q: %v", out, err)
	}
	return at
}
