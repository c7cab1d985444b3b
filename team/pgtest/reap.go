package pgtest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// A test binary killed before Stop (a CI time-out, SIGKILL, a crash) leaves
// its postmaster running and its folder behind. Each cluster folder holds
// the owner file: the process id of the test binary that made it and that
// process's start time, so a reused process id is not mistaken for it.
// Start stops and removes the clusters whose owner is gone.
const ownerFile = "owner.pid"

// dirPattern names the cluster folders under the base folder.
const dirPattern = "chancery-pg-*"

// baseDir is where clusters live: /tmp as root (the postgres user must reach
// it, whatever TMPDIR is), else the user's temporary folder.
func baseDir() string {
	if os.Geteuid() == 0 {
		return "/tmp"
	}
	return os.TempDir()
}

// writeOwner records this process as the owner of the cluster in dir.
func writeOwner(dir string) error {
	pid := os.Getpid()
	body := fmt.Sprintf("%d %s\n", pid, startTime(pid))
	return os.WriteFile(filepath.Join(dir, ownerFile), []byte(body), 0o644)
}

// startTime is the process's start time in clock ticks since boot (field 22
// of /proc/PID/stat), or "" where /proc cannot tell.
func startTime(pid int) string {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ""
	}
	// The command name (field 2) is in parentheses and may hold spaces.
	s := string(raw)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return ""
	}
	fields := strings.Fields(s[i+1:])
	if len(fields) < 20 {
		return ""
	}
	return fields[19]
}

// ownerAlive tells whether the process named in dir's owner file still
// runs. A folder without an owner file (being made, or made by an older
// pgtest) counts as alive: it is never touched.
func ownerAlive(dir string) bool {
	raw, err := os.ReadFile(filepath.Join(dir, ownerFile))
	if err != nil {
		return true
	}
	fields := strings.Fields(string(raw))
	if len(fields) == 0 {
		return true
	}
	pid, err := strconv.Atoi(fields[0])
	if err != nil || pid <= 0 {
		return true
	}
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return false
	}
	if len(fields) > 1 {
		if now := startTime(pid); now != "" && now != fields[1] {
			return false // the id now belongs to another process
		}
	}
	return true
}

// Reap stops and removes the clusters left by test binaries that no longer
// run, and returns the folders it removed. Start calls it.
func Reap() ([]string, error) {
	dirs, err := filepath.Glob(filepath.Join(baseDir(), dirPattern))
	if err != nil {
		return nil, err
	}
	var reaped []string
	var errs []error
	for _, dir := range dirs {
		if ownerAlive(dir) {
			continue
		}
		c := &Cluster{dir: dir}
		if os.Geteuid() == 0 {
			if err := c.runAsPostgres(); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		// pg_ctl fails on a postmaster that died too; the folder still goes.
		err := c.Stop()
		if _, serr := os.Stat(dir); errors.Is(serr, os.ErrNotExist) {
			reaped = append(reaped, dir)
			continue
		}
		errs = append(errs, fmt.Errorf("reap %s: %w", dir, err))
	}
	return reaped, errors.Join(errs...)
}
