package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chancery/cli"
)

func TestExportWritesTheProfileAsJSON(t *testing.T) {
	p := newPubEnv(t)
	if code, _, errOut := p.run("", "refresh"); code != cli.ExitOK {
		t.Fatalf("refresh: %s", errOut)
	}
	if code, _, _ := p.run("Hello", "drafts", "new", "--account", "vienna-demo", "--text-file", "-"); code != cli.ExitOK {
		t.Fatal("drafts new")
	}
	out := filepath.Join(t.TempDir(), "export")
	code, _, errOut := p.run("", "export", "--out", out)
	if code != cli.ExitOK || !strings.Contains(errOut, "Exported") {
		t.Fatalf("export: %d %s", code, errOut)
	}
	read := func(name string) []map[string]any {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		var v []map[string]any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return v
	}
	if ms := read("missions.json"); len(ms) != 5 || ms[0]["time_zone"] != "Europe/Vienna" {
		t.Errorf("missions %v", ms)
	}
	if as := read("accounts.json"); len(as) != 5 || as[0]["demo"] != true {
		t.Errorf("accounts %v", as)
	}
	if ds := read("drafts.json"); len(ds) != 1 {
		t.Errorf("drafts %v", ds)
	}
	read("outbox.json")
	if posts := read(filepath.Join("timelines", "vienna-demo__home.json")); len(posts) < 18 || posts[0]["created_at"] == "" {
		t.Errorf("vienna timeline: %d posts", len(posts))
	}
	if code, _, _ := p.run("", "export"); code != cli.ExitUsage {
		t.Errorf("export without --out: exit %d", code)
	}
}
