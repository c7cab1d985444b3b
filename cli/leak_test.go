package cli_test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"chancery/accounts"
	"chancery/cli"
)

// encodings returns the forms a secret could take if some code wrote it
// out: as is, base64 (four alphabets), hex (both cases) and JSON-quoted.
func encodings(secret string) map[string][]byte {
	b := []byte(secret)
	return map[string][]byte{
		"raw":            b,
		"base64":         []byte(base64.StdEncoding.EncodeToString(b)),
		"base64 raw":     []byte(base64.RawStdEncoding.EncodeToString(b)),
		"base64 url":     []byte(base64.URLEncoding.EncodeToString(b)),
		"base64 raw url": []byte(base64.RawURLEncoding.EncodeToString(b)),
		"hex":            []byte(hex.EncodeToString(b)),
		"HEX":            []byte(strings.ToUpper(hex.EncodeToString(b))),
	}
}

// findSecrets returns a description of every secret, in any of its
// encodings, found in data.
func findSecrets(data []byte, secrets []string) []string {
	var found []string
	for _, s := range secrets {
		for name, enc := range encodings(s) {
			if bytes.Contains(data, enc) {
				found = append(found, s+" ("+name+")")
			}
		}
	}
	return found
}

// TestFindSecretsCanFail checks the scanner itself: it must see a secret in
// every encoding it claims to look for.
func TestFindSecretsCanFail(t *testing.T) {
	secret := "leak-" + rand.Text()
	for name, enc := range encodings(secret) {
		data := append([]byte("\x00prefix bytes\x01"), enc...)
		if len(findSecrets(data, []string{secret})) == 0 {
			t.Errorf("%s form not detected", name)
		}
	}
	if got := findSecrets([]byte("nothing to see"), []string{secret}); len(got) != 0 {
		t.Errorf("false positive: %v", got)
	}
}

// TestNoSecretLeaks adds accounts with known secrets through the CLI, runs
// refresh, timeline, accounts list and missions, fails to add one with a
// wrong secret (whose server echoes it), then reads every byte the profile
// holds (the bbolt file, with its settings and network state), the captured
// stdout and stderr, and the slog output, and finds no secret in any of
// them, nor in what export writes.
func TestNoSecretLeaks(t *testing.T) {
	var logs bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(old) })

	marker := "LEAKCHECK-" + rand.Text()
	e := newEnv(t, marker)
	var secrets, ids []string
	var outputs bytes.Buffer
	record := func(code int, out, errOut string) (int, string) {
		outputs.WriteString(out)
		outputs.WriteString(errOut)
		return code, out
	}
	for _, mission := range []string{"vienna", "the-hague", "beijing"} {
		secret := "s3cret-" + rand.Text()
		secrets = append(secrets, secret)
		e.server.allow(secret, "press-"+mission)
		code, out := record(e.add(mission, secret+"\n"))
		if code != cli.ExitOK {
			t.Fatalf("add %s: exit %d", mission, code)
		}
		ids = append(ids, strings.TrimSpace(out))
	}
	wrong := "wrong-" + rand.Text()
	secrets = append(secrets, wrong)
	if code, _ := record(e.add("vienna", wrong)); code != cli.ExitFailure {
		t.Fatalf("wrong secret: exit %d", code)
	}
	commands := [][]string{
		{"refresh", "--json"},
		{"refresh"},
		{"accounts", "list", "--json"},
		{"accounts", "list"},
		{"missions", "--json"},
	}
	for _, id := range ids {
		commands = append(commands, []string{"timeline", "--account", id, "--json"}, []string{"timeline", "--account", id})
	}
	exported := t.TempDir()
	commands = append(commands, []string{"export", "--out", exported})
	for _, args := range commands {
		if code, _ := record(e.run("", args...)); code != cli.ExitOK {
			t.Errorf("%v: exit %d", args, code)
		}
	}
	exportedFiles := 0
	_ = filepath.WalkDir(exported, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		exportedFiles++
		if found := findSecrets(data, secrets); len(found) > 0 {
			t.Errorf("export %s holds secrets: %v", path, found)
		}
		return nil
	})
	if exportedFiles < 5 {
		t.Errorf("export wrote %d files", exportedFiles)
	}
	// The secrets did their work: the server answered refreshes with them.
	if !strings.Contains(outputs.String(), marker) {
		t.Fatalf("timeline output lacks the posts fetched with the secrets")
	}
	for i, id := range ids {
		if got, err := keyring.Get(accounts.KeyringService, id); err != nil || got != secrets[i] {
			t.Fatalf("keyring holds %q, %v for %s", got, err, id)
		}
	}
	if err := e.db.Close(); err != nil {
		t.Fatal(err)
	}

	var files []string
	err := filepath.WalkDir(e.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files = append(files, filepath.Base(path))
		if filepath.Base(path) == "chancery.db" {
			// The scan works on this file: what was written is found.
			for _, known := range append([]string{marker}, ids...) {
				if !bytes.Contains(data, []byte(known)) {
					t.Errorf("%s lacks %q: is the scan reading the right bytes?", path, known)
				}
			}
		}
		if found := findSecrets(data, secrets); len(found) > 0 {
			t.Errorf("%s holds secrets: %v", path, found)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The profile holds the database and its (empty) lock file, nothing else.
	if strings.Join(files, " ") != "chancery.db chancery.db.lock" {
		t.Errorf("the profile holds %q, want only chancery.db and its lock", files)
	}
	if found := findSecrets(outputs.Bytes(), secrets); len(found) > 0 {
		t.Errorf("stdout/stderr hold secrets: %v", found)
	}
	if found := findSecrets(logs.Bytes(), secrets); len(found) > 0 {
		t.Errorf("logs hold secrets: %v", found)
	}
}
