package app

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"chancery/team"
)

const connectTestPassword = "hunter2-Sesame"

// openConnectForm opens the Review window of a profile with no team
// server, presses its Connect button and returns the form.
func openConnectForm(t *testing.T, fr *fakeReview) (*reviewPanel, *teamConnectForm) {
	t.Helper()
	fr.loginErr = team.ErrNotConnected
	_, p := openReview(t, fr)
	eventually(t, "the Connect button", func() bool { return p.connect.Visible() })
	if !strings.Contains(p.status.Text, "No team server is set up") {
		t.Errorf("status %q", p.status.Text)
	}
	b := p.connect.Objects[0].(*enterButton)
	if b.Text != "Connect to the team server…" {
		t.Errorf("button %q", b.Text)
	}
	b.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // keyboard: Enter presses it
	if p.dialog == nil {
		t.Fatal("Enter on the Connect button opened no form")
	}
	p.dialog.Dismiss()
	f := p.showTeamConnect()
	if p.win.Canvas().Focused() != f.dsn {
		t.Errorf("the address field has not the focus")
	}
	return p, f
}

// formTexts is every label and button text of the window and its dialogs.
func formTexts(p *reviewPanel) string {
	all := texts(p.win.Content())
	for _, o := range p.win.Canvas().Overlays().List() {
		all = append(all, texts(o)...)
	}
	return strings.Join(all, "\n")
}

func pressEnter(e fyne.Focusable) { e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) }

func TestTeamConnectFormConnectsAndReloads(t *testing.T) {
	var logs bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(old) })
	fr := newFakeReview("alice")
	p, f := openConnectForm(t, fr)

	pressEnter(f.dsn) // nothing typed
	if !f.message.Visible() || f.message.Text != "Type the team server's address." {
		t.Errorf("empty address: %q", f.message.Text)
	}
	test.Type(f.dsn, "postgres://alice:"+connectTestPassword+"@team.example.org/chancery?sslmode=verify-full")
	pressEnter(f.dsn)
	if !strings.HasPrefix(f.message.Text, "The address must not contain the password") {
		t.Errorf("password in the address: %q", f.message.Text)
	}

	f.dsn.SetText("postgres://alice@team.example.org/chancery?sslmode=verify-full")
	test.Type(f.secret, connectTestPassword)
	fr.mu.Lock()
	fr.connectErr = fmt.Errorf("connect to the team server: %w: FATAL: password authentication failed for user \"alice\"", team.ErrServer)
	fr.connectGate = make(chan struct{})
	gate := fr.connectGate
	fr.mu.Unlock()
	pressEnter(f.secret)
	eventually(t, "the connection in progress", func() bool {
		return f.submit.Disabled() && f.progress.Visible() && !f.message.Visible()
	})
	pressEnter(f.secret) // a second Enter while it runs starts nothing
	close(gate)
	eventually(t, "the refusal shown", func() bool { return !f.submit.Disabled() && f.message.Visible() })
	if want := "Could not connect: The team server could not be reached"; !strings.HasPrefix(f.message.Text, want) {
		t.Errorf("refusal %q, want %q…", f.message.Text, want)
	}
	if f.progress.Visible() || p.dialog != f.dlg {
		t.Error("the form is not back for another try")
	}

	fr.mu.Lock()
	fr.connectErr, fr.connectGate = nil, nil
	fr.mu.Unlock()
	f.submit.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	eventually(t, "connected and reloaded", func() bool {
		return p.dialog == nil && !p.connect.Visible() && p.data.err == nil && p.data.login == "alice"
	})
	fr.mu.Lock()
	calls := fr.connects
	fr.mu.Unlock()
	if len(calls) != 2 {
		t.Fatalf("%d calls of Connect, want 2: %+v", len(calls), calls)
	}
	if c := calls[1]; c.dsn != "postgres://alice@team.example.org/chancery?sslmode=verify-full" || c.secret != connectTestPassword || c.cert != "" {
		t.Errorf("Connect(%q, secret %v, %q)", c.dsn, c.secret == connectTestPassword, c.cert)
	}
	if strings.Contains(formTexts(p), connectTestPassword) || strings.Contains(logs.String(), connectTestPassword) {
		t.Error("the password shows in a label or a log")
	}
	if f.secret.Text != "" {
		t.Error("the password stays in the closed form")
	}
}

func TestTeamConnectFormEscapeCloses(t *testing.T) {
	p, f := openConnectForm(t, newFakeReview("alice"))
	test.Type(f.secret, connectTestPassword)
	f.secret.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if p.dialog != nil || p.win.Canvas().Overlays().Top() != nil {
		t.Fatal("Escape left the form open")
	}
	if !p.win.Content().Visible() || !p.connect.Visible() {
		t.Error("Escape closed more than the form")
	}
}

func TestTeamConnectFormSendsTheClientKeyFile(t *testing.T) {
	fr := newFakeReview("alice")
	p, f := openConnectForm(t, fr)
	dir := t.TempDir()
	cert, key := filepath.Join(dir, "client.crt"), filepath.Join(dir, "client.key")
	const pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n"
	if err := os.WriteFile(key, []byte(pem), 0o600); err != nil {
		t.Fatal(err)
	}
	f.cert.set(cert)
	f.key.set(key)
	if f.cert.name.Text != "client.crt" || !f.key.clear.Visible() {
		t.Errorf("chosen files shown as %q, %q", f.cert.name.Text, f.key.name.Text)
	}
	f.dsn.SetText("postgres://alice@team.example.org/chancery?sslmode=verify-full")
	pressEnter(f.dsn)
	eventually(t, "connected", func() bool { return p.dialog == nil })
	fr.mu.Lock()
	defer fr.mu.Unlock()
	if len(fr.connects) != 1 || fr.connects[0].secret != pem || fr.connects[0].cert != cert {
		t.Errorf("Connect calls %d, cert %q", len(fr.connects), fr.connects[0].cert)
	}
	if strings.Contains(formTexts(p), "PRIVATE KEY") {
		t.Error("the key shows in a label")
	}
}

func TestTeamConnectKeyFileErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := readKey(filepath.Join(dir, "missing.key")); err == nil || !strings.HasPrefix(err.Error(), "read the client key") {
		t.Errorf("missing file: %v", err)
	}
	big := filepath.Join(dir, "big.key")
	if err := os.WriteFile(big, bytes.Repeat([]byte("k"), maxKeySize+1), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := readKey(big); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("huge file: %v", err)
	}
}
