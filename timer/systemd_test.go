//go:build linux

package timer_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chancery/timer"
)

// fakeSystemctl puts a systemctl on PATH that appends its arguments, one
// call per line, to a log, prints `systemctl show` output for the timer,
// and fails when the file named by $FAKE_SYSTEMCTL_FAIL holds its first
// argument after --user. It returns the log's path.
func fakeSystemctl(t *testing.T) (logPath, failPath string) {
	t.Helper()
	bin := t.TempDir()
	logPath = filepath.Join(bin, "calls.log")
	failPath = filepath.Join(bin, "fail")
	script := `#!/bin/sh
echo "$*" >> "` + logPath + `"
if [ -f "` + failPath + `" ] && grep -qx -- "$2" "` + failPath + `"; then
  echo "Failed to connect to bus: No medium found" >&2
  exit 1
fi
if [ "$2" = show ] && [ -f "` + filepath.Join(bin, "show") + `" ]; then
  cat "` + filepath.Join(bin, "show") + `"
elif [ "$2" = show ]; then
  printf 'Id=%s\nActiveState=active\nLastTriggerUSec=Mon 2026-12-07 09:00:01 UTC\n\nId=%s\nResult=success\nExecMainStatus=0\nExecMainExitTimestamp=Mon 2026-12-07 09:00:03 UTC\n' "$3" "$4"
fi
`
	if err := os.WriteFile(filepath.Join(bin, "systemctl"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(t.TempDir(), "config"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(t.TempDir(), "data"))
	return logPath, failPath
}

func calls(t *testing.T, logPath string) []string {
	t.Helper()
	b, err := os.ReadFile(logPath)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

func TestInstallStatusRemove(t *testing.T) {
	logPath, _ := fakeSystemctl(t)
	profile := filepath.Join(t.TempDir(), "my profile 100%")
	in, err := timer.New("/opt/chancery/bin/chancery", profile)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if st, err := in.Status(ctx); err != nil || st.Installed {
		t.Fatalf("before install: %+v, %v", st, err)
	}
	st, err := in.Install(ctx)
	if err != nil {
		t.Fatal(err)
	}
	unitDir := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "systemd", "user")
	service, err := os.ReadFile(filepath.Join(unitDir, in.Name()+".service"))
	if err != nil {
		t.Fatal(err)
	}
	timerUnit, err := os.ReadFile(filepath.Join(unitDir, in.Name()+".timer"))
	if err != nil {
		t.Fatal(err)
	}
	wantExec := `ExecStart="/opt/chancery/bin/chancery" --profile "` + strings.ReplaceAll(profile, "%", "%%") + `" outbox flush --if-free`
	if !strings.Contains(string(service), wantExec) || !strings.Contains(string(service), "Type=oneshot") {
		t.Errorf("service unit:\n%s\nwant %s", service, wantExec)
	}
	if !strings.Contains(string(timerUnit), "OnCalendar=*:0/5") || !strings.Contains(string(timerUnit), "WantedBy=timers.target") {
		t.Errorf("timer unit:\n%s", timerUnit)
	}
	want := []string{
		"--user show-environment", "--user daemon-reload", "--user enable --now " + in.Name() + ".timer",
		"--user show " + in.Name() + ".timer " + in.Name() + ".service --property=Id,ActiveState,LastTriggerUSec,Result,ExecMainExitTimestamp,ExecMainStatus",
	}
	if got := calls(t, logPath); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("systemctl calls:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !st.Installed || !st.Active || st.LastRun.IsZero() || st.LastRun.UTC().Format("15:04:05") != "09:00:03" || st.LastResult != "success" {
		t.Errorf("status after install: %+v", st)
	}
	// A second profile gets its own timer.
	other, _ := timer.New("/opt/chancery/bin/chancery", t.TempDir())
	if other.Name() == in.Name() {
		t.Error("two profiles share a timer name")
	}
	removed, err := in.Remove(ctx)
	if err != nil || !removed {
		t.Fatalf("remove: %v, %v", removed, err)
	}
	if entries, _ := os.ReadDir(unitDir); len(entries) != 0 {
		t.Errorf("files left after remove: %v", entries)
	}
	got := calls(t, logPath)
	if tail := strings.Join(got[len(got)-3:], "|"); tail != "--user disable --now "+in.Name()+".timer|--user clean --what=state "+in.Name()+".timer|--user daemon-reload" {
		t.Errorf("remove called %q", tail)
	}
	if removed, err := in.Remove(ctx); err != nil || removed {
		t.Errorf("second remove: %v, %v", removed, err)
	}
}

func TestInstallWithoutUserSessionLeavesNothing(t *testing.T) {
	for _, failing := range []string{"show-environment", "daemon-reload", "enable"} {
		t.Run(failing, func(t *testing.T) {
			_, failPath := fakeSystemctl(t)
			if err := os.WriteFile(failPath, []byte(failing+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			in, _ := timer.New("/usr/bin/chancery", t.TempDir())
			_, err := in.Install(context.Background())
			if err == nil {
				t.Fatal("installed without a working systemctl --user")
			}
			if failing == "show-environment" && !errors.Is(err, timer.ErrUnavailable) {
				t.Errorf("error %v does not say the timer service is unavailable", err)
			}
			unitDir := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "systemd", "user")
			if entries, _ := os.ReadDir(unitDir); len(entries) != 0 {
				t.Errorf("half-installed files left: %v", entries)
			}
		})
	}
}

// CHANCERY_TIMER_EVERY sets the interval of the timer then installed; one
// the calendar cannot keep is refused before anything is written or asked.
func TestIntervalFromEnvironment(t *testing.T) {
	for every, want := range map[string]string{
		"":    "OnCalendar=*:0/5\nAccuracySec=30s\n",
		"10s": "OnCalendar=*:*:0/10\nAccuracySec=5s\n",
		"1s":  "OnCalendar=*:*:0/1\nAccuracySec=500ms\n",
		"15m": "OnCalendar=*:0/15\nAccuracySec=30s\n",
		"1h":  "OnCalendar=*:0/60\nAccuracySec=30s\n",
		"7s":  "", "90s": "", "2h": "", "0s": "", "-5m": "", "1500ms": "", "soon": "",
	} {
		t.Run(every, func(t *testing.T) {
			logPath, _ := fakeSystemctl(t)
			t.Setenv(timer.EveryEnv, every)
			in, err := timer.New("/usr/bin/chancery", t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			_, err = in.Install(context.Background())
			unit, _ := os.ReadFile(filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "systemd", "user", in.Name()+".timer"))
			if want == "" {
				if !errors.Is(err, timer.ErrInterval) {
					t.Errorf("install every %q: %v, want ErrInterval", every, err)
				}
				if unit != nil || calls(t, logPath)[0] != "" {
					t.Errorf("refused interval left a unit %q or called systemctl %v", unit, calls(t, logPath))
				}
				return
			}
			if err != nil || !strings.Contains(string(unit), want) {
				t.Errorf("install every %q: %v, unit:\n%s\nwant %q", every, err, unit, want)
			}
		})
	}
}

// While a run is under way systemd has cleared the last run's end and says
// Result=success (as systemd 252 does): the status says the run started
// at the timer's trigger and is running, not that it succeeded.
func TestStatusWhileARunIsUnderWay(t *testing.T) {
	logPath, _ := fakeSystemctl(t)
	in, _ := timer.New("/usr/bin/chancery", t.TempDir())
	ctx := context.Background()
	if _, err := in.Install(ctx); err != nil {
		t.Fatal(err)
	}
	show := "Id=" + in.Name() + ".timer\nActiveState=active\nLastTriggerUSec=Wed 2026-12-02 10:56:45 UTC\n\n" +
		"Id=" + in.Name() + ".service\nActiveState=activating\nResult=success\nExecMainExitTimestamp=\nExecMainStatus=0\n"
	if err := os.WriteFile(filepath.Join(filepath.Dir(logPath), "show"), []byte(show), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := in.Status(ctx)
	if err != nil || st.LastResult != timer.Running || st.LastRun.UTC().Format("15:04:05") != "10:56:45" {
		t.Errorf("status during a run: %+v, %v", st, err)
	}
}

// Remove deletes the timer's stamp (Persistent=true) also where systemctl
// clean fails: older systemd, or no manager on the session bus.
func TestRemoveDeletesTheStamp(t *testing.T) {
	for _, cleanFails := range []bool{false, true} {
		_, failPath := fakeSystemctl(t)
		if cleanFails {
			if err := os.WriteFile(failPath, []byte("clean\n"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		in, _ := timer.New("/usr/bin/chancery", t.TempDir())
		ctx := context.Background()
		if _, err := in.Install(ctx); err != nil {
			t.Fatal(err)
		}
		stamp := filepath.Join(os.Getenv("XDG_DATA_HOME"), "systemd", "timers", "stamp-"+in.Name()+".timer")
		if err := os.MkdirAll(filepath.Dir(stamp), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(stamp, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if removed, err := in.Remove(ctx); err != nil || !removed {
			t.Fatalf("remove: %v, %v", removed, err)
		}
		if _, err := os.Stat(stamp); !os.IsNotExist(err) {
			t.Errorf("clean fails %v: the stamp is left (%v)", cleanFails, err)
		}
	}
}
