// Package timer installs, inspects and removes the operating system's timer
// that runs `chancery --profile DIR outbox flush --if-free` every few
// minutes while the user is logged in, so that scheduled posts on networks
// whose servers cannot hold them go out while Chancery's window is closed:
// a systemd user timer on Linux, a Task Scheduler task on Windows. (On
// macOS a launchd agent does the same; README.md describes it.) With
// --if-free a run that finds the profile held by the open window, whose own
// outbox loop publishes, ends without error.
//
// The interval is Every (five minutes). The environment variable
// CHANCERY_TIMER_EVERY (EveryEnv), read by New, sets another for the
// timer then installed: a Go duration that divides an hour into whole
// minutes or a minute into whole seconds ("10s", "15m"). The tests of the
// real systemd timer use it so as not to wait five minutes.
package timer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"chancery/translations"
)

// Every is how often the timer runs the flush.
const Every = 5 * time.Minute

// Running is Status.LastResult while the timer's run is under way (systemd).
const Running = "running"

// EveryEnv names the environment variable that New reads for another
// interval than Every.
const EveryEnv = "CHANCERY_TIMER_EVERY"

// Errors of this package.
var (
	// ErrUnavailable: the system's scheduler cannot be reached (no
	// systemd user session, no schtasks); nothing was installed.
	ErrUnavailable = translations.NewProblem("error.timer_unavailable", "the system's timer service is not available")
	// ErrUnsupported: this operating system has no timer Chancery installs.
	ErrUnsupported = translations.NewProblem("error.timer_unsupported", "Chancery cannot install a timer on this system")
	// ErrInterval: the interval asked for (EveryEnv) is not one the timer
	// can keep; nothing was installed.
	ErrInterval = translations.NewProblem("timer.interval_invalid", "timer interval not usable")
)

// Status is what the system says about the timer.
type Status struct {
	Installed bool
	// Name is the timer's name (the systemd unit, the scheduled task).
	Name string
	// Active is set when the system runs it (systemd: the timer is active).
	Active bool
	// LastRun is when it last ran, if the system says; LastResult how that
	// run ended ("success", an exit code), if it says.
	LastRun    time.Time
	LastResult string // Running while a run started at LastRun is under way
	// Files are the files that make it up, where there are any.
	Files []string
	// Detail is what the system answered when it could not be asked.
	Detail string
}

// Runner runs a program and returns its combined output.
type Runner func(ctx context.Context, name string, args ...string) ([]byte, error)

// Installer manages the timer of one profile.
type Installer struct {
	// Exe is the absolute path of the chancery program the timer runs.
	Exe string
	// Profile is the absolute profile folder it flushes.
	Profile string
	// ConfigDir is where systemd user units go (XDG_CONFIG_HOME, else
	// ~/.config); empty means that.
	ConfigDir string
	// DataDir is where systemd keeps the timer's stamp (XDG_DATA_HOME,
	// else ~/.local/share); empty means that.
	DataDir string
	// Run runs systemctl or schtasks (nil: found on PATH and run).
	Run Runner
	// Every is how often the timer runs (zero: the package's Every).
	Every time.Duration
	// everyErr is why EveryEnv could not be read; Install returns it.
	everyErr error
}

// New returns the installer of the profile in dir for the program exe.
func New(exe, dir string) (*Installer, error) {
	exe, err := filepath.Abs(exe)
	if err != nil {
		return nil, fmt.Errorf("timer: %w", err)
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("timer: %w", err)
	}
	in := &Installer{Exe: exe, Profile: dir}
	if v := os.Getenv(EveryEnv); v != "" {
		in.Every, err = time.ParseDuration(v)
		if err == nil && in.Every <= 0 {
			err = errors.New("not positive")
		}
		if err != nil {
			in.everyErr = fmt.Errorf("timer: %s=%q: %w: %w", EveryEnv, v, ErrInterval, err)
		}
	}
	return in, nil
}

// Interval is how often the timer installed by Install runs (Every, or what
// EveryEnv asks for when it is usable).
func (i *Installer) Interval() time.Duration {
	d, err := i.interval()
	if err != nil {
		return Every
	}
	return d
}

// interval is how often the timer runs, or why it cannot.
func (i *Installer) interval() (time.Duration, error) {
	if i.everyErr != nil {
		return 0, i.everyErr
	}
	if i.Every == 0 {
		return Every, nil
	}
	return i.Every, nil
}

// Name is the timer's name for this profile: one timer per profile.
func (i *Installer) Name() string {
	sum := sha256.Sum256([]byte(i.Profile))
	return "chancery-outbox-" + hex.EncodeToString(sum[:])[:10]
}

func (i *Installer) run(ctx context.Context, name string, args ...string) ([]byte, error) {
	if i.Run != nil {
		return i.Run(ctx, name, args...)
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %w", name, ErrUnavailable, err)
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, args...).CombinedOutput()
	if err != nil {
		return out, fmt.Errorf("%s %v: %w: %s", name, args, err, trim(out))
	}
	return out, nil
}

func trim(b []byte) string {
	const max = 400
	if len(b) > max {
		b = b[:max]
	}
	return string(b)
}
