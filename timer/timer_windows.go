package timer

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// The Task Scheduler task runs the flush every five minutes (Installer.Every,
// whole minutes) while the user is logged on (schtasks /SC MINUTE, the default interactive logon).

func (i *Installer) taskName() string { return `Chancery\` + i.Name() }

// Install creates (or replaces) the scheduled task.
func (i *Installer) Install(ctx context.Context) (Status, error) {
	every, err := i.interval()
	if err != nil {
		return Status{}, err
	}
	if every < time.Minute || every%time.Minute != 0 {
		return Status{}, fmt.Errorf("timer: every %v: %w", every, ErrInterval)
	}
	command := fmt.Sprintf(`"%s" --profile "%s" outbox flush --if-free`, i.Exe, i.Profile)
	out, err := i.run(ctx, "schtasks", "/Create", "/TN", i.taskName(), "/TR", command,
		"/SC", "MINUTE", "/MO", fmt.Sprint(int(every/time.Minute)), "/F")
	if err != nil {
		return Status{Detail: trim(out)}, fmt.Errorf("schtasks: %w: %w", ErrUnavailable, err)
	}
	return i.Status(ctx)
}

// Status queries the task: installed or not, and its last run.
func (i *Installer) Status(ctx context.Context) (Status, error) {
	st := Status{Name: i.taskName()}
	out, err := i.run(ctx, "schtasks", "/Query", "/TN", i.taskName(), "/FO", "LIST", "/V")
	if err != nil {
		return st, nil // no such task
	}
	st.Installed, st.Active = true, true
	for _, line := range strings.Split(string(out), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "Last Run Time":
			for _, layout := range []string{"1/2/2006 3:04:05 PM", "02/01/2006 15:04:05", "2006-01-02 15:04:05"} {
				if t, err := time.ParseInLocation(layout, v, time.Local); err == nil {
					st.LastRun = t
					break
				}
			}
		case "Last Result":
			st.LastResult = v
		case "Scheduled Task State":
			st.Active = strings.EqualFold(v, "Enabled")
		}
	}
	return st, nil
}

// Remove deletes the task; it reports whether there was one.
func (i *Installer) Remove(ctx context.Context) (bool, error) {
	if st, _ := i.Status(ctx); !st.Installed {
		return false, nil
	}
	if out, err := i.run(ctx, "schtasks", "/Delete", "/TN", i.taskName(), "/F"); err != nil {
		return true, fmt.Errorf("schtasks: %w: %s", err, trim(out))
	}
	return true, nil
}
