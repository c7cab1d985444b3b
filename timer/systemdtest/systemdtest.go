//go:build linux

// Package systemdtest gives tests a real systemd user manager to install
// timers in, also where no user is logged in and PID 1 is not systemd (a
// CI container, as root): it starts `systemd --user` of its own, isolated
// from the machine, and stops it and removes all it made when the test ends.
//
// Isolation, and why each part is needed:
//   - systemd --user refuses to run unless /run/systemd/system exists
//     ("Trying to run as user instance, but the system has not been booted
//     with systemd"), and systemctl installs units on its own side, not the
//     manager's, unless it exists: the manager and every command the test
//     runs against it (Command) run in a private mount namespace where a
//     tmpfs over /run/systemd holds that directory, so the machine's /run is
//     not touched;
//   - a manager started in the root cgroup moves every process of that
//     cgroup into its init.scope: it runs in a cgroup of its own, made for
//     it in the cgroup v2 hierarchy, seen through a private cgroup namespace
//     on a cgroup2 mount of its own, so it sees and moves only itself and
//     the services it starts;
//   - its XDG_RUNTIME_DIR (the private socket systemctl --user talks to),
//     HOME and XDG_CONFIG_HOME are fresh folders.
//
// Without root, systemd, unshare or nsenter, a writable cgroup or the right
// to make namespaces (an unprivileged container refuses it), Start uses the
// logged-in user's own manager if systemctl --user answers, else skips the
// test; with CI set in the environment it fails instead, saying why.
package systemdtest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Deadline bounds each wait: generous, for a busy machine.
const Deadline = 90 * time.Second

// Manager is a running systemd user manager.
type Manager struct {
	// Env is the environment to run commands against the manager with
	// (XDG_RUNTIME_DIR, HOME, XDG_CONFIG_HOME set to the manager's).
	Env []string
	// ConfigHome is the XDG_CONFIG_HOME the manager reads user units from;
	// DataHome the XDG_DATA_HOME it keeps timers' stamps in.
	ConfigHome, DataHome string
	// Private is set when the manager is this package's own.
	Private bool

	pid    int           // the manager's process, when Private
	exited chan struct{} // closed when it has exited
	log    string        // its output
	own    *private      // when Private
}

// Start returns a manager: its own (see the package comment), else the
// user's; it skips the test, or fails it when CI is set, when there is none.
func Start(t testing.TB) *Manager {
	t.Helper()
	reason := missing()
	if reason == "" {
		return startPrivate(t)
	}
	out, err := exec.Command("systemctl", "--user", "show-environment").CombinedOutput()
	if err == nil {
		return userManager(t)
	}
	reason += fmt.Sprintf("; and no systemd user session (systemctl --user show-environment: %v: %s)",
		err, strings.TrimSpace(string(out)))
	if os.Getenv("CI") != "" {
		t.Fatalf("systemdtest: cannot start a systemd user manager: %s", reason)
	}
	t.Skipf("systemdtest: cannot start a systemd user manager: %s (CI is not set, so this is a skip)", reason)
	return nil
}

// systemdPath is the manager's program.
func systemdPath() string {
	for _, p := range []string{"/lib/systemd/systemd", "/usr/lib/systemd/systemd"} {
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// missing says what this package's own manager lacks here, or "".
func missing() string {
	var lacks []string
	if os.Geteuid() != 0 {
		lacks = append(lacks, "not root (mount and cgroup namespaces need it)")
	}
	if systemdPath() == "" {
		lacks = append(lacks, "no /lib/systemd/systemd (Debian package systemd)")
	}
	for _, prog := range []string{"systemctl", "unshare", "nsenter", "sh"} {
		if _, err := exec.LookPath(prog); err != nil {
			lacks = append(lacks, "no "+prog)
		}
	}
	if mount, path, err := ownCgroup(); err != nil {
		lacks = append(lacks, err.Error())
	} else if err := syscall.Access(filepath.Join(mount, path), 2); err != nil { // W_OK
		lacks = append(lacks, fmt.Sprintf("cgroup %s not writable: %v", filepath.Join(mount, path), err))
	}
	if len(lacks) == 0 {
		out, err := exec.Command("unshare", "--mount", "--cgroup", "--propagation", "private", "true").CombinedOutput()
		if err != nil {
			lacks = append(lacks, fmt.Sprintf("no mount and cgroup namespaces (%v: %s)", err, strings.TrimSpace(string(out))))
		}
	}
	return strings.Join(lacks, ", ")
}

// ownCgroup finds the cgroup v2 hierarchy's mount point and this process's
// cgroup in it.
func ownCgroup() (mount, path string, err error) {
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return "", "", fmt.Errorf("no /proc/self/cgroup: %w", err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if p, ok := strings.CutPrefix(line, "0::"); ok {
			path = p
		}
	}
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return "", "", fmt.Errorf("no /proc/self/mountinfo: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER
		fields := strings.Fields(sc.Text())
		for i, fld := range fields {
			if fld == "-" && i+1 < len(fields) && fields[i+1] == "cgroup2" && fields[3] == "/" {
				mount = fields[4]
			}
		}
	}
	if mount == "" || path == "" {
		return "", "", errors.New("no cgroup v2 hierarchy mounted")
	}
	return mount, path, nil
}

// userManager is the logged-in user's own manager.
func userManager(t testing.TB) *Manager {
	t.Helper()
	home, err := os.UserHomeDir()
	if err != nil {
		t.Fatal(err)
	}
	config, data := os.Getenv("XDG_CONFIG_HOME"), os.Getenv("XDG_DATA_HOME")
	if config == "" {
		config = filepath.Join(home, ".config")
	}
	if data == "" {
		data = filepath.Join(home, ".local", "share")
	}
	return &Manager{Env: os.Environ(), ConfigHome: config, DataHome: data}
}

// Command is the command name args run against the manager: in its mount
// namespace when it is this package's own.
func (m *Manager) Command(ctx context.Context, name string, args ...string) *exec.Cmd {
	var cmd *exec.Cmd
	if m.Private {
		cmd = exec.CommandContext(ctx, "nsenter", append([]string{"--target", strconv.Itoa(m.pid), "--mount", "--", name}, args...)...)
	} else {
		cmd = exec.CommandContext(ctx, name, args...)
	}
	cmd.Env = m.Env
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

// Run runs name args against the manager and returns its combined output;
// it has the shape of timer.Runner.
func (m *Manager) Run(ctx context.Context, name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, Deadline)
	defer cancel()
	out, err := m.Command(ctx, name, args...).CombinedOutput()
	if err != nil {
		return out, fmt.Errorf("%s %v: %w: %s", name, args, err, strings.TrimSpace(string(out)))
	}
	return out, nil
}

// Systemctl runs systemctl --user args against the manager.
func (m *Manager) Systemctl(args ...string) ([]byte, error) {
	return m.Run(context.Background(), "systemctl", append([]string{"--user"}, args...)...)
}

// Log is what the manager wrote, for a failing test to show.
func (m *Manager) Log() string {
	if m.log == "" {
		return ""
	}
	b, _ := os.ReadFile(m.log)
	return string(b)
}
