//go:build linux

package timer

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The systemd user timer: NAME.service runs the flush once, NAME.timer
// starts it every five minutes (Installer.Every) while the user's session manager runs (that
// is, while the user is logged in, unless lingering is enabled).

// unitDir is ~/.config/systemd/user (or under XDG_CONFIG_HOME).
func (i *Installer) unitDir() (string, error) {
	base := i.ConfigDir
	if base == "" {
		base = os.Getenv("XDG_CONFIG_HOME")
	}
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("timer: %w", err)
		}
		base = filepath.Join(home, ".config")
	}
	return filepath.Join(base, "systemd", "user"), nil
}

// stampFile is where systemd keeps when the timer last fired
// (Persistent=true): under XDG_DATA_HOME, else ~/.local/share.
func (i *Installer) stampFile() (string, error) {
	base := i.DataDir
	if base == "" {
		base = os.Getenv("XDG_DATA_HOME")
	}
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("timer: %w", err)
		}
		base = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(base, "systemd", "timers", "stamp-"+i.Name()+".timer"), nil
}

func (i *Installer) unitFiles() (service, timer string, err error) {
	dir, err := i.unitDir()
	if err != nil {
		return "", "", err
	}
	return filepath.Join(dir, i.Name()+".service"), filepath.Join(dir, i.Name()+".timer"), nil
}

// quoteArg quotes one ExecStart argument as systemd reads it: in double
// quotes, with backslash, quote and specifier percent escaped.
func quoteArg(s string) string {
	s = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "%", "%%", "$", "$$").Replace(s)
	return `"` + s + `"`
}

func (i *Installer) serviceUnit() string {
	return fmt.Sprintf(`# Written by "chancery timer install"; removed by "chancery timer remove".
[Unit]
Description=Chancery: publish what is due in the outbox of %s

[Service]
Type=oneshot
ExecStart=%s --profile %s outbox flush --if-free
`, strings.ReplaceAll(i.Profile, "%", "%%"), quoteArg(i.Exe), quoteArg(i.Profile))
}

func (i *Installer) timerUnit() (string, error) {
	every, err := i.interval()
	if err != nil {
		return "", err
	}
	calendar, err := onCalendar(every)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf(`# Written by "chancery timer install"; removed by "chancery timer remove".
[Unit]
Description=Run Chancery's outbox flush every %s

[Timer]
OnCalendar=%s
AccuracySec=%s
Persistent=true

[Install]
WantedBy=timers.target
`, span(every), calendar, span(min(30*time.Second, every/2))), nil
}

// onCalendar is the OnCalendar= expression that fires every d from the
// start of the hour: d divides an hour into whole minutes, or a minute into
// whole seconds.
func onCalendar(d time.Duration) (string, error) {
	switch {
	case d >= time.Minute && d%time.Minute == 0 && time.Hour%d == 0:
		return fmt.Sprintf("*:0/%d", d/time.Minute), nil
	case d >= time.Second && d < time.Minute && d%time.Second == 0 && time.Minute%d == 0:
		return fmt.Sprintf("*:*:0/%d", d/time.Second), nil
	}
	return "", fmt.Errorf("timer: every %v: %w", d, ErrInterval)
}

// span writes d as a systemd time span: whole minutes, else whole seconds,
// else milliseconds.
func span(d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		return fmt.Sprintf("%dmin", d/time.Minute)
	}
	if d%time.Second == 0 {
		return fmt.Sprintf("%ds", d/time.Second)
	}
	return fmt.Sprintf("%dms", d/time.Millisecond)
}

// systemctl runs systemctl --user with args.
func (i *Installer) systemctl(ctx context.Context, args ...string) ([]byte, error) {
	return i.run(ctx, "systemctl", append([]string{"--user"}, args...)...)
}

// installSystemd checks that the user's systemd answers, writes the two
// units, reloads and enables the timer. On any failure it leaves no file.
func (i *Installer) installSystemd(ctx context.Context) (Status, error) {
	timerText, err := i.timerUnit()
	if err != nil {
		return Status{}, err
	}
	if out, err := i.systemctl(ctx, "show-environment"); err != nil {
		return Status{Detail: trim(out)}, fmt.Errorf("systemctl --user: %w: %w", ErrUnavailable, err)
	}
	service, timer, err := i.unitFiles()
	if err != nil {
		return Status{}, err
	}
	if err := os.MkdirAll(filepath.Dir(service), 0o755); err != nil {
		return Status{}, fmt.Errorf("timer: %w", err)
	}
	undo := func() {
		_ = os.Remove(service)
		_ = os.Remove(timer)
		_, _ = i.systemctl(ctx, "daemon-reload")
	}
	for _, f := range []struct{ path, text string }{{service, i.serviceUnit()}, {timer, timerText}} {
		if err := os.WriteFile(f.path, []byte(f.text), 0o644); err != nil {
			undo()
			return Status{}, fmt.Errorf("timer: %w", err)
		}
	}
	if _, err := i.systemctl(ctx, "daemon-reload"); err != nil {
		undo()
		return Status{}, fmt.Errorf("timer: %w", err)
	}
	if _, err := i.systemctl(ctx, "enable", "--now", i.Name()+".timer"); err != nil {
		undo()
		return Status{}, fmt.Errorf("timer: %w", err)
	}
	return i.statusSystemd(ctx)
}

// statusSystemd reads the unit files and what systemd says of them.
func (i *Installer) statusSystemd(ctx context.Context) (Status, error) {
	service, timer, err := i.unitFiles()
	if err != nil {
		return Status{}, err
	}
	st := Status{Name: i.Name() + ".timer"}
	for _, f := range []string{service, timer} {
		if _, err := os.Stat(f); err == nil {
			st.Files = append(st.Files, f)
		}
	}
	st.Installed = len(st.Files) == 2
	if !st.Installed {
		return st, nil
	}
	props, err := i.systemctl(ctx, "show", i.Name()+".timer", i.Name()+".service",
		"--property=Id,ActiveState,LastTriggerUSec,Result,ExecMainExitTimestamp,ExecMainStatus")
	if err != nil {
		st.Detail = err.Error()
		return st, nil
	}
	var triggered time.Time // when the timer last fired; the run's end wins
	running := false
	for unit, p := range parseShow(props) {
		switch {
		case strings.HasSuffix(unit, ".timer"):
			st.Active = p["ActiveState"] == "active"
			triggered = parseSystemdTime(p["LastTriggerUSec"])
		case strings.HasSuffix(unit, ".service"):
			// While a run is under way systemd has cleared the last
			// end and says Result=success: the run has no result yet.
			running = p["ActiveState"] == "activating"
			if t := parseSystemdTime(p["ExecMainExitTimestamp"]); !t.IsZero() && !running {
				st.LastRun = t
				st.LastResult = p["Result"]
				if code := p["ExecMainStatus"]; p["Result"] != "success" && code != "" {
					st.LastResult += " (exit " + code + ")"
				}
			}
		}
	}
	if st.LastRun.IsZero() {
		st.LastRun = triggered
	}
	if running {
		st.LastResult = Running
	}
	return st, nil
}

// parseShow reads `systemctl show` output: blocks of KEY=VALUE lines, one
// per unit, separated by an empty line, each with its Id.
func parseShow(out []byte) map[string]map[string]string {
	units := map[string]map[string]string{}
	cur := map[string]string{}
	flush := func() {
		if id := cur["Id"]; id != "" {
			units[id] = cur
		}
		cur = map[string]string{}
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			flush()
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok {
			cur[k] = v
		}
	}
	flush()
	return units
}

// parseSystemdTime reads a timestamp as systemctl show prints it ("Mon
// 2026-12-07 09:00:01 CET"), or zero for "n/a" or empty.
func parseSystemdTime(s string) time.Time {
	fields := strings.Fields(s)
	if len(fields) < 3 {
		return time.Time{}
	}
	if len(fields) >= 4 {
		if t, err := time.Parse("2006-01-02 15:04:05 MST", strings.Join(fields[1:4], " ")); err == nil {
			return t
		}
	}
	t, err := time.ParseInLocation("2006-01-02 15:04:05", fields[1]+" "+fields[2], time.Local)
	if err != nil {
		return time.Time{}
	}
	return t
}

// removeSystemd disables the timer and deletes the units. It reports
// whether there was one.
func (i *Installer) removeSystemd(ctx context.Context) (bool, error) {
	service, timer, err := i.unitFiles()
	if err != nil {
		return false, err
	}
	_, errS := os.Stat(service)
	_, errT := os.Stat(timer)
	if errors.Is(errS, os.ErrNotExist) && errors.Is(errT, os.ErrNotExist) {
		return false, nil
	}
	_, disableErr := i.systemctl(ctx, "disable", "--now", i.Name()+".timer")
	if disableErr == nil {
		// Persistent=true keeps when the timer last fired in a stamp
		// file; clean deletes it. It needs systemd 243 or later and the
		// manager on the session bus: elsewhere the file is deleted below.
		_, _ = i.systemctl(ctx, "clean", "--what=state", i.Name()+".timer")
	}
	stamp, err := i.stampFile()
	if err != nil {
		return true, err
	}
	for _, f := range []string{service, timer, stamp} {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			return true, fmt.Errorf("timer: %w", err)
		}
	}
	if disableErr == nil {
		_, _ = i.systemctl(ctx, "daemon-reload")
	}
	return true, nil
}
