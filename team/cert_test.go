package team_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"chancery/accounts"
	"chancery/team/pgtest"
)

// A login that signs in with a client certificate: the certificate is a
// file, its private key goes to the keyring only, and sync works with it.
func TestClientCertificateSignIn(t *testing.T) {
	srv, net := newServer(t), newNetwork(t)
	srv.member("erin", "chancery_staff", "vienna")
	cluster.Login(t, "erin", pgtest.CertRole)
	certPEM, keyPEM, err := cluster.ClientCert("erin")
	if err != nil {
		t.Fatal(err)
	}
	certFile := filepath.Join(t.TempDir(), "erin.crt")
	if err := os.WriteFile(certFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	erin := newLaptop(t, net)
	dsn := cluster.DSN("erin", "", srv.name)

	if _, err := erin.svc.Connect(context.Background(), dsn, "not-the-key", certFile); err == nil {
		t.Fatal("connected without the certificate's key")
	}
	cfg, err := erin.svc.Connect(context.Background(), dsn, string(keyPEM), certFile)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Login != "erin" || cfg.CertFile != certFile {
		t.Fatalf("config %+v", cfg)
	}
	_, err = erin.svc.Submit(erin.write("Signed in with a certificate.", "Connectée avec un certificat."))
	erin.must(err)
	if res := erin.sync(); res.Pushed != 1 {
		t.Fatalf("sync: %+v", res)
	}
	if srv.count("actor = 'erin'") != 1 {
		t.Fatal("the event is not erin's")
	}
	raw, err := os.ReadFile(filepath.Join(erin.dir, "chancery.db"))
	if err != nil || bytes.Contains(raw, []byte("PRIVATE KEY")) || bytes.Contains(raw, keyPEM[40:80]) {
		t.Fatalf("the key is in the profile (%v)", err)
	}
	if got, err := accounts.NewKeyring().Secret(cfg.SecretID()); err != nil || got != string(keyPEM) {
		t.Fatalf("the key is not in the keyring: %v", err)
	}
}
