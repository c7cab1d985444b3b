package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func start(t *testing.T) *Cluster {
	t.Helper()
	c, err := Start()
	if errors.Is(err, ErrMissing) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := os.Stat(c.dir); err == nil {
			_ = c.Stop()
		}
	})
	return c
}

// The cluster of a test binary that was killed before Stop (its owner
// gone, or its process id now another process's) is stopped and removed by
// the next Start; a cluster whose owner runs is left alone.
func TestReapStopsTheClustersOfKilledRuns(t *testing.T) {
	live, dead, reused := start(t), start(t), start(t)
	owners := map[*Cluster]string{
		dead:   "2147483646 1\n",                   // no such process
		reused: fmt.Sprintf("%d 1\n", os.Getpid()), // this id, another start time
	}
	for c, body := range owners {
		if err := os.WriteFile(filepath.Join(c.dir, ownerFile), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	reaped, err := Reap()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*Cluster{dead, reused} {
		if !slices.Contains(reaped, c.dir) {
			t.Errorf("%s not reaped (reaped %v)", c.dir, reaped)
		}
		if _, err := os.Stat(c.dir); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s still there: %v", c.dir, err)
		}
		if conn, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", c.Port), 5*time.Second); err == nil {
			_ = conn.Close()
			t.Errorf("the reaped server on port %d still listens", c.Port)
		}
	}
	if slices.Contains(reaped, live.dir) {
		t.Fatal("a cluster whose owner runs was reaped")
	}
	conn, err := live.Admin(context.Background(), "postgres")
	if err != nil {
		t.Fatalf("the live cluster: %v", err)
	}
	_ = conn.Close(context.Background())
}
