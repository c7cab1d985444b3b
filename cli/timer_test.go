//go:build linux

package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chancery/cli"
	"chancery/timer"
	"chancery/translations"
)

// A real systemd user session is not available in CI: systemctl is a
// script on PATH that records its arguments.
func TestTimerCommand(t *testing.T) {
	bin := t.TempDir()
	logPath := filepath.Join(bin, "calls.log")
	script := "#!/bin/sh\necho \"$*\" >> '" + logPath + "'\n" +
		"if [ \"$2\" = show ]; then printf 'Id=%s\\nActiveState=active\\nLastTriggerUSec=n/a\\n' \"$3\"; fi\n"
	if err := os.WriteFile(filepath.Join(bin, "systemctl"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	profile := t.TempDir()
	in, err := timer.New("/usr/local/bin/chancery", profile)
	if err != nil {
		t.Fatal(err)
	}
	run := func(lang string, args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := cli.Run(context.Background(), cli.Services{Loc: translations.New(lang), Timer: in, Out: &out, Err: &errOut}, args)
		return code, out.String(), errOut.String()
	}
	if code, out, _ := run("en", "timer", "status"); code != cli.ExitOK || !strings.Contains(out, "No timer is installed") {
		t.Errorf("status before: %d %q", code, out)
	}
	code, out, errOut := run("en", "timer", "install")
	if code != cli.ExitOK || !strings.Contains(errOut, "installed: it runs \"outbox flush\" every 5 minutes") || !strings.Contains(out, in.Name()) {
		t.Fatalf("install: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	unit, err := os.ReadFile(filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "systemd", "user", in.Name()+".service"))
	if err != nil || !strings.Contains(string(unit), `--profile "`+profile+`" outbox flush`) {
		t.Errorf("service unit %q, %v", unit, err)
	}
	code, out, _ = run("fr", "timer", "status", "--json")
	var st map[string]any
	if err := json.Unmarshal([]byte(out), &st); code != cli.ExitOK || err != nil || st["installed"] != true || st["active"] != true {
		t.Errorf("status --json: exit %d, %q, %v", code, out, err)
	}
	if code, _, errOut := run("fr", "timer", "remove"); code != cli.ExitOK || !strings.Contains(errOut, "Minuteur supprimé.") {
		t.Errorf("remove: %d %q", code, errOut)
	}
	if code, _, errOut := run("en", "timer", "remove"); code != cli.ExitOK || !strings.Contains(errOut, "nothing to remove") {
		t.Errorf("remove again: %d %q", code, errOut)
	}
	calls, _ := os.ReadFile(logPath)
	for _, want := range []string{"--user enable --now " + in.Name() + ".timer", "--user disable --now " + in.Name() + ".timer"} {
		if !strings.Contains(string(calls), want) {
			t.Errorf("systemctl was not called with %q:\n%s", want, calls)
		}
	}
	if code, _, errOut := run("en", "timer", "start"); code != cli.ExitUsage || !strings.Contains(errOut, "Usage") {
		t.Errorf("timer start: %d %q", code, errOut)
	}
}
