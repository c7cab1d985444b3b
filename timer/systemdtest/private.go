//go:build linux

package systemdtest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// launch is run by sh with the manager's cgroup folder, its program and
// arguments. It moves itself into that cgroup, then, in new mount and
// cgroup namespaces, lays a tmpfs over /run/systemd (over /run where there
// is no /run/systemd) holding /run/systemd/system, mounts the cgroup v2
// hierarchy as seen from its cgroup over /sys/fs/cgroup, checks that it is
// at that hierarchy's root, and becomes the manager. A step that fails ends
// it before the manager starts: a manager never runs outside its cgroup.
const launch = `set -eu
echo $$ > "$1/cgroup.procs"
shift
exec unshare --mount --cgroup --propagation private -- sh -euc '
if [ -d /run/systemd ]; then mount -t tmpfs -o mode=0755 tmpfs /run/systemd
else mount -t tmpfs -o mode=0755 tmpfs /run; mkdir /run/systemd; fi
mkdir /run/systemd/system
mount -t cgroup2 cgroup2 /sys/fs/cgroup
test "$(grep "^0::" /proc/self/cgroup)" = "0::/"
exec "$@"' sh "$@"
`

// private is the state of this package's own manager.
type private struct {
	base, runtime string // its folder, and XDG_RUNTIME_DIR in it
	parent        string // the cgroup its cgroups are made in
	launches      int
	cmd           *exec.Cmd // the running manager's
	cg            string    // and its cgroup
}

// startPrivate starts this package's own manager.
func startPrivate(t testing.TB) *Manager {
	t.Helper()
	mount, path, err := ownCgroup()
	if err != nil {
		t.Fatal(err)
	}
	parent := filepath.Join(mount, path)
	sweep(t, parent)
	// A short folder: the manager's socket path must fit in 108 bytes.
	base, err := os.MkdirTemp("", "sdt-")
	if err != nil {
		t.Fatal(err)
	}
	runtime, home := filepath.Join(base, "run"), filepath.Join(base, "home")
	config := filepath.Join(home, ".config")
	if err := errors.Join(os.Mkdir(runtime, 0o700), os.MkdirAll(config, 0o755)); err != nil {
		t.Fatal(err)
	}
	m := &Manager{
		Private: true, ConfigHome: config, DataHome: filepath.Join(home, ".local", "share"),
		log: filepath.Join(base, "manager.log"),
		own: &private{base: base, runtime: runtime, parent: parent},
	}
	m.Env = withEnv(os.Environ(), "XDG_RUNTIME_DIR="+runtime, "HOME="+home, "XDG_CONFIG_HOME="+config,
		"XDG_DATA_HOME="+m.DataHome)
	t.Cleanup(func() {
		m.halt(t)
		if err := os.RemoveAll(base); err != nil {
			t.Errorf("systemdtest: %v", err)
		}
	})
	m.launch(t)
	return m
}

// Restart stops the manager, calls down (if not nil) and starts it again
// on the same folders, as a user's manager ends when they log out or the
// machine stops and starts when they log in again. Only this package's own
// manager can; with the user's, the test is skipped.
func (m *Manager) Restart(t testing.TB, down func()) {
	t.Helper()
	if !m.Private {
		t.Skip("systemdtest: the user's own manager is not restarted by tests")
	}
	m.halt(t)
	if down != nil {
		down()
	}
	m.launch(t)
}

// launch starts the manager in a new cgroup and waits until it runs.
func (m *Manager) launch(t testing.TB) {
	t.Helper()
	p := m.own
	p.launches++
	p.cg = filepath.Join(p.parent, cgroupPrefix+strconv.Itoa(os.Getpid())+"-"+filepath.Base(p.base)+"."+strconv.Itoa(p.launches))
	if err := os.Mkdir(p.cg, 0o755); err != nil {
		t.Fatalf("systemdtest: cgroup for the manager: %v", err)
	}
	logFile, err := os.OpenFile(m.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-c", launch, "sh", p.cg, systemdPath(), "--user")
	// The manager talks to no bus of the test's; the services get the
	// test's session bus below (where its keyring is).
	cmd.Env = withEnv(m.Env, "DBUS_SESSION_BUS_ADDRESS=")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// A test binary killed outright still stops its manager.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		t.Fatalf("systemdtest: start the manager: %v", err)
	}
	p.cmd, m.pid, m.exited = cmd, cmd.Process.Pid, make(chan struct{})
	go func(exited chan struct{}) {
		_ = cmd.Wait()
		logFile.Close()
		close(exited)
	}(m.exited)
	m.waitRunning(t, filepath.Join(p.runtime, "systemd", "private"))
	if bus := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); bus != "" {
		if out, err := m.Systemctl("set-environment", "DBUS_SESSION_BUS_ADDRESS="+bus); err != nil {
			t.Fatalf("systemdtest: set-environment: %v: %s", err, out)
		}
	}
}

// cgroupPrefix starts the name of each manager's cgroup, followed by the
// test process's id, the name of its temporary folder and the launch.
const cgroupPrefix = "chancery-systemdtest-"

// sweep removes what the managers of test processes killed outright (whose
// managers ended on their death) left in the cgroup parent and the
// temporary folder.
func sweep(t testing.TB, parent string) {
	t.Helper()
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), cgroupPrefix)
		pid, folder, ok2 := strings.Cut(rest, "-")
		folder, _, _ = strings.Cut(folder, ".")
		n, err := strconv.Atoi(pid)
		if !ok || !ok2 || err != nil || !e.IsDir() || syscall.Kill(n, 0) == nil || !strings.HasPrefix(folder, "sdt-") {
			continue
		}
		if err := removeCgroup(filepath.Join(parent, e.Name())); err != nil {
			t.Logf("systemdtest: stale cgroup: %v", err)
		}
		_ = os.RemoveAll(filepath.Join(os.TempDir(), folder))
	}
}

// withEnv is env with the given KEY=VALUE settings replacing any earlier;
// an empty value removes the variable.
func withEnv(env []string, set ...string) []string {
	out := slices.Clone(env)
	for _, kv := range set {
		key, value, _ := strings.Cut(kv, "=")
		out = slices.DeleteFunc(out, func(e string) bool { return strings.HasPrefix(e, key+"=") })
		if value != "" {
			out = append(out, kv)
		}
	}
	return out
}

// waitRunning polls until the manager says it is running (or degraded).
// It asks only once the manager's private socket exists: before, systemctl
// would turn to the session bus and have it try to start a manager.
func (m *Manager) waitRunning(t testing.TB, socket string) {
	t.Helper()
	deadline := time.Now().Add(Deadline)
	for {
		state := "not listening"
		if _, err := os.Stat(socket); err == nil {
			out, _ := m.Systemctl("is-system-running")
			state = strings.TrimSpace(string(out))
		}
		if state == "running" || state == "degraded" {
			return
		}
		select {
		case <-m.exited:
			t.Fatalf("systemdtest: the manager ended at start:\n%s", m.Log())
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("systemdtest: the manager is %q after %v:\n%s", state, Deadline, m.Log())
		}
	}
}

// halt asks the manager to exit, kills it if it does not, ends what is
// left in its cgroup and removes the cgroup.
func (m *Manager) halt(t testing.TB) {
	p := m.own
	if p.cmd == nil {
		return
	}
	select {
	case <-m.exited:
	default:
		_, _ = m.Systemctl("exit")
		select {
		case <-m.exited:
		case <-time.After(Deadline):
			t.Errorf("systemdtest: the manager did not exit; killed")
			_ = p.cmd.Process.Kill()
			<-m.exited
		}
	}
	p.cmd = nil
	if err := removeCgroup(p.cg); err != nil {
		t.Errorf("systemdtest: %v", err)
	}
}

// removeCgroup kills what still runs in the cgroup tree at cg and removes
// its folders, deepest first, retrying while the kernel still counts them
// busy.
func removeCgroup(cg string) error {
	deadline := time.Now().Add(Deadline)
	for {
		dirs, left, err := cgroupTree(cg)
		if err == nil && len(left) == 0 {
			for _, d := range slices.Backward(dirs) {
				if err = os.Remove(d); err != nil {
					break
				}
			}
			if err == nil {
				return nil
			}
		}
		for _, pid := range left {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("cgroup %s not removed (processes %v): %w", cg, left, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// cgroupTree lists the cgroup folders under cg, parents first, and the
// processes in them.
func cgroupTree(cg string) (dirs []string, pids []int, err error) {
	err = filepath.WalkDir(cg, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		dirs = append(dirs, p)
		b, err := os.ReadFile(filepath.Join(p, "cgroup.procs"))
		if err != nil {
			return err
		}
		for f := range strings.FieldsSeq(string(b)) {
			if pid, err := strconv.Atoi(f); err == nil {
				pids = append(pids, pid)
			}
		}
		return nil
	})
	return dirs, pids, err
}
