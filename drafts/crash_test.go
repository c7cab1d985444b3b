package drafts_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"chancery/drafts"
	"chancery/storage"
)

// The crash test runs this test binary again as a child that edits drafts
// and flushes the outbox, and kills it with SIGKILL at random moments.
const (
	childEnv  = "CHANCERY_CRASH_CHILD"
	profEnv   = "CHANCERY_CRASH_PROFILE"
	serverEnv = "CHANCERY_CRASH_SERVER"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		if err := crashChild(os.Getenv(profEnv), os.Getenv(serverEnv)); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(3)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// crashChild opens the profile and says "ready", then forever: saves the
// next version of the fixed draft "notes", reporting each save only after
// it returned, and every few saves queues a new post and flushes the outbox.
func crashChild(profile, server string) error {
	db, err := storage.Open(filepath.Join(profile, "chancery.db"), storage.Options{LockTimeout: 5 * time.Second})
	if err != nil {
		return err
	}
	svc := drafts.NewService(db, nil)
	box := drafts.NewOutbox(db, httpPublisher{server}, nil)
	notes, err := svc.Get("notes")
	if err != nil {
		notes = drafts.Draft{ID: "notes", Targets: []string{"a"}}
	}
	version, _ := strconv.Atoi(strings.TrimPrefix(notes.Text("en"), "version "))
	out := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(out, "ready")
	out.Flush()
	for i := 0; ; i++ {
		version++
		notes.SetText("en", fmt.Sprintf("version %d", version))
		if notes, err = svc.Save(notes); err != nil {
			return err
		}
		fmt.Fprintf(out, "saved %d\n", version)
		out.Flush()
		if i%3 == 0 {
			post, _ := svc.New([]string{"a"})
			post.SetText("en", fmt.Sprintf("post %d-%d from pid %d", version, i, os.Getpid()))
			if _, err := svc.Submit(post, lengthChecker{max: 500}); err != nil {
				return err
			}
			if _, err := box.Flush(context.Background()); err != nil {
				return err
			}
		}
	}
}

func TestCrashLosesNoSavedTextAndNeverPostsTwice(t *testing.T) {
	runs := 200
	if testing.Short() {
		runs = 30
	}
	profile, srv := t.TempDir(), newPostServer(t)
	lastSaved, lastSeen := 0, 0
	for run := range runs {
		if n := crashOnce(t, run, profile, srv.srv.URL); n > lastSaved {
			lastSaved = n
		}
		checkNotes(t, profile, lastSaved, run, &lastSeen)
	}
	// A last, uninterrupted flush finishes whatever was in flight.
	db, err := storage.Open(filepath.Join(profile, "chancery.db"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := drafts.NewOutbox(db, httpPublisher{srv.srv.URL}, nil).Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	entries, _ := db.Entries()
	created := map[string]int{}
	for _, text := range srv.texts() {
		created[text]++
	}
	for _, e := range entries {
		if e.State != drafts.Sent {
			t.Errorf("entry %q still %s", e.Text, e.State)
		}
		if created[e.Text] != 1 {
			t.Errorf("entry %q was created %d times on the server", e.Text, created[e.Text])
		}
	}
	if len(srv.texts()) != len(entries) || len(entries) < runs/4 {
		t.Errorf("server created %d posts for %d queued entries over %d runs", len(srv.texts()), len(entries), runs)
	}
	t.Logf("%d runs, %d saves, %d posts each created once", runs, lastSaved, len(entries))
}

// crashOnce starts a child, waits until it is ready and has reported a
// random number of saves (so that the kill falls at a random point of its
// work however slow the machine is), kills it at a random moment soon
// after, and returns the last version it reported saved.
func crashOnce(t *testing.T, run int, profile, server string) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1", profEnv+"="+profile, serverEnv+"="+server)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	target := 1 + rand.IntN(6) // saves to see before the kill
	reached, eof := make(chan struct{}), make(chan struct{})
	last := 0 // the last version reported; read once eof is closed
	go func() {
		defer close(eof)
		ready, saves := false, 0
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			n, err := strconv.Atoi(strings.TrimPrefix(sc.Text(), "saved "))
			switch {
			case sc.Text() == "ready":
				ready = true
			case ready && err == nil:
				last, saves = n, saves+1
				if saves == target {
					close(reached)
				}
			}
		}
	}()
	select {
	case <-reached:
	case <-eof:
		_ = cmd.Wait()
		t.Fatalf("run %d: child ended before %d saves: %s", run, target, stderr.String())
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		<-eof
		_ = cmd.Wait()
		t.Fatalf("run %d: child made fewer than %d saves in 2 minutes: %s", run, target, stderr.String())
	}
	time.Sleep(time.Duration(rand.IntN(5000)) * time.Microsecond) // a random point of its work
	_ = cmd.Process.Signal(syscall.SIGKILL)
	<-eof // every report read before Wait closes the pipe
	err = cmd.Wait()
	if !strings.Contains(fmt.Sprint(err), "killed") {
		t.Fatalf("run %d: child ended by itself (%v): %s", run, err, stderr.String())
	}
	return last
}

// checkNotes verifies that the draft holds at least the last version a
// child reported saved, and never goes back. (It may hold more: a child
// killed between a save and its report leaves a version nobody reported,
// and the next child goes on from it.)
func checkNotes(t *testing.T, profile string, reported, run int, last *int) {
	t.Helper()
	db, err := storage.Open(filepath.Join(profile, "chancery.db"), storage.Options{})
	if err != nil {
		t.Fatalf("run %d: reopen after the kill: %v", run, err)
	}
	defer db.Close()
	d, err := db.Draft("notes")
	if err != nil {
		if reported == 0 {
			return
		}
		t.Fatalf("run %d: draft lost: %v", run, err)
	}
	got, _ := strconv.Atoi(strings.TrimPrefix(d.Text("en"), "version "))
	if got < reported || got < *last {
		t.Fatalf("run %d: draft holds version %d, last reported save was %d, last seen %d", run, got, reported, *last)
	}
	*last = got
}
