package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"chancery/cli"
)

func TestRefreshAndTimelineOfAChosenKind(t *testing.T) {
	p := newPubEnv(t)
	if code, _, errOut := p.run("", "refresh", "--account", "vienna-demo", "--kind", "own", "--json"); code != cli.ExitOK {
		t.Fatalf("refresh --kind own: %d %s", code, errOut)
	}
	code, out, _ := p.run("", "timeline", "--account", "vienna-demo", "--kind", "own", "--json")
	var own []map[string]any
	if code != cli.ExitOK || json.Unmarshal([]byte(out), &own) != nil || len(own) == 0 {
		t.Fatalf("timeline --kind own: %d %s", code, out)
	}
	code, out, _ = p.run("", "timeline", "--account", "vienna-demo", "--json")
	var home []map[string]any
	_ = json.Unmarshal([]byte(out), &home)
	if code != cli.ExitOK || len(home) != 0 {
		t.Errorf("home was not refreshed, yet has %d posts", len(home))
	}
	code, _, errOut := p.run("", "refresh", "--account", "vienna-demo", "--kind", "tag:OSCE")
	if code != cli.ExitFailure || !strings.Contains(errOut, "This network does not support that.") {
		t.Errorf("a kind the network lacks: %d %s", code, errOut)
	}
	if code, _, _ := p.run("", "refresh", "--kind", "bogus"); code != cli.ExitFailure {
		t.Errorf("a malformed kind: exit %d", code)
	}
}
