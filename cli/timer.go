package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"chancery/timer"
)

// IfFreeFlag makes `outbox flush` succeed, doing nothing, when the profile
// is held by the open window (whose own outbox loop publishes): the timer
// runs the flush with it, so that the system does not log a failure every
// five minutes while Chancery is open.
const IfFreeFlag = "if-free"

// FlushIfFree reports whether args (after the global flags) are an
// `outbox flush` with --if-free.
func FlushIfFree(args []string) bool {
	if len(args) < 2 || args[0] != "outbox" || args[1] != "flush" {
		return false
	}
	for _, a := range args[2:] {
		if a == "--"+IfFreeFlag || a == "-"+IfFreeFlag || a == "--"+IfFreeFlag+"=true" {
			return true
		}
	}
	return false
}

// Timer is the operating system's timer that runs `outbox flush`
// (timer.Installer).
type Timer interface {
	Install(ctx context.Context) (timer.Status, error)
	Status(ctx context.Context) (timer.Status, error)
	Remove(ctx context.Context) (bool, error)
}

// runTimer runs timer install|status|remove.
func runTimer(ctx context.Context, s Services, args []string) error {
	if len(args) == 0 || (args[0] != "install" && args[0] != "status" && args[0] != "remove") {
		return fmt.Errorf("%w: timer install|status|remove", errUsage)
	}
	fs := newFlags("timer " + args[0])
	asJSON := fs.Bool("json", false, "")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if s.Timer == nil {
		return fmt.Errorf("timer: %w", timer.ErrUnsupported)
	}
	var (
		st  timer.Status
		err error
	)
	switch args[0] {
	case "install":
		st, err = s.Timer.Install(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(s.Err, installedMessage(s, st))
	case "remove":
		removed, err := s.Timer.Remove(ctx)
		if err != nil {
			return err
		}
		if removed {
			fmt.Fprintln(s.Err, s.Loc.T("cli.timer_removed"))
		} else {
			fmt.Fprintln(s.Err, s.Loc.T("cli.timer_none"))
		}
		return nil
	default:
		if st, err = s.Timer.Status(ctx); err != nil {
			return err
		}
	}
	return printTimer(s, st, *asJSON)
}

type timerJSON struct {
	Installed  bool     `json:"installed"`
	Name       string   `json:"name"`
	Active     bool     `json:"active"`
	LastRun    string   `json:"last_run,omitempty"`
	LastResult string   `json:"last_result,omitempty"`
	Files      []string `json:"files,omitempty"`
	Detail     string   `json:"detail,omitempty"`
}

func printTimer(s Services, st timer.Status, asJSON bool) error {
	if asJSON {
		out := timerJSON{
			Installed: st.Installed, Name: st.Name, Active: st.Active, LastResult: st.LastResult,
			Files: st.Files, Detail: st.Detail,
		}
		if !st.LastRun.IsZero() {
			out.LastRun = st.LastRun.Format(time.RFC3339)
		}
		return writeJSON(s.Out, out)
	}
	if !st.Installed {
		fmt.Fprintln(s.Out, s.Loc.T("cli.timer_not_installed"))
		return nil
	}
	lines := []string{s.Loc.T("cli.timer_status", "Name", st.Name)}
	if !st.LastRun.IsZero() {
		lines = append(lines, s.Loc.T("cli.timer_last_run", "Time", st.LastRun.Local().Format("2006-01-02 15:04:05 MST"), "Result", st.LastResult))
	}
	lines = append(lines, st.Files...)
	if st.Detail != "" {
		lines = append(lines, st.Detail)
	}
	fmt.Fprintln(s.Out, strings.Join(lines, "\n"))
	return nil
}

// installedMessage says which timer was installed and how often it runs.
func installedMessage(s Services, st timer.Status) string {
	every := timer.Every
	if iv, ok := s.Timer.(interface{ Interval() time.Duration }); ok {
		every = iv.Interval()
	}
	if every < time.Minute {
		return s.Loc.T("cli.timer_installed_seconds", "Name", st.Name, "Seconds", int(every/time.Second))
	}
	return s.Loc.T("cli.timer_installed", "Name", st.Name, "Minutes", int(every/time.Minute))
}
