// Package pgtest starts a real, throw-away PostgreSQL cluster from Debian's
// binaries for tests: initdb and pg_ctl in a temporary folder, listening on
// 127.0.0.1 on a free port with TLS (a self-signed certificate made here),
// run as the unprivileged postgres user when the tests run as root. One
// cluster serves a whole test binary (see Main); each test gets its own
// database.
package pgtest

import (
	"context"
	"crypto/ecdsa"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// BinDir holds Debian's postgresql-15 binaries.
const BinDir = "/usr/lib/postgresql/15/bin"

// ErrMissing means the PostgreSQL binaries are not installed.
var ErrMissing = errors.New("PostgreSQL 15 binaries not found in " + BinDir + " (install postgresql-15)")

const admin = "chancery_admin"

// Cluster is a running test cluster.
type Cluster struct {
	dir      string
	Port     int
	RootCert string // the server's self-signed certificate, to verify it
	password string
	owner    *user.User // set when commands run as postgres
	dbs      atomic.Int64
	caCert   *x509.Certificate
	caKey    *ecdsa.PrivateKey
}

// CertRole is the group role whose members sign in with a client
// certificate (pg_hba "cert") instead of a password.
const CertRole = "chancery_cert_login"

// Main starts a cluster in *c, runs the tests and stops it. Without the
// binaries the tests that need the cluster skip, unless CI=true, where
// that is a failure. Call it from TestMain: os.Exit(pgtest.Main(m, &c)).
func Main(m *testing.M, c **Cluster) int {
	cl, err := Start()
	switch {
	case errors.Is(err, ErrMissing) && os.Getenv("CI") != "true":
		fmt.Fprintln(os.Stderr, "pgtest: skipping PostgreSQL tests:", err)
		return m.Run()
	case err != nil:
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		return 1
	}
	*c = cl
	code := m.Run()
	if err := cl.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		code = max(code, 1)
	}
	return code
}

// Need skips t when no cluster could be started (binaries missing, not CI).
func Need(t testing.TB, c *Cluster) {
	t.Helper()
	if c == nil {
		t.Skip("PostgreSQL 15 is not installed (Debian package postgresql-15); CI=true makes this a failure")
	}
}

// Start makes and starts a cluster.
func Start() (*Cluster, error) {
	if _, err := os.Stat(filepath.Join(BinDir, "initdb")); err != nil {
		return nil, ErrMissing
	}
	if reaped, err := Reap(); err != nil || len(reaped) > 0 {
		fmt.Fprintln(os.Stderr, "pgtest: removed the clusters of killed test runs:", reaped, err)
	}
	dir, err := os.MkdirTemp(baseDir(), strings.TrimSuffix(dirPattern, "*"))
	if err != nil {
		return nil, err
	}
	if err := writeOwner(dir); err != nil {
		return nil, errors.Join(err, os.RemoveAll(dir))
	}
	c := &Cluster{dir: dir, password: strconv.FormatInt(time.Now().UnixNano(), 36) + "-pw"}
	if err := c.start(); err != nil {
		_ = c.Stop()
		return nil, err
	}
	return c, nil
}

func (c *Cluster) start() error {
	if os.Geteuid() == 0 {
		if err := c.runAsPostgres(); err != nil {
			return err
		}
	}
	if err := c.writeFiles(); err != nil {
		return err
	}
	data := filepath.Join(c.dir, "data")
	if err := c.run("initdb", "-D", data, "-U", admin, "--pwfile="+filepath.Join(c.dir, "pw"),
		"--auth-local=trust", "--auth-host=scram-sha-256", "--no-locale", "-E", "UTF8", "--no-sync"); err != nil {
		return err
	}
	if err := c.listen(data); err != nil {
		return err
	}
	ctx := context.Background()
	root, err := c.Admin(ctx, "postgres")
	if err != nil {
		return fmt.Errorf("connect to the new cluster: %w", err)
	}
	defer root.Close(ctx)
	_, err = root.Exec(ctx, "CREATE ROLE "+CertRole+" NOLOGIN")
	return err
}

// listen starts the server on a free port. The port is free when chosen,
// but another process may take it before the server binds it: then the
// start is tried again on another port.
func (c *Cluster) listen(data string) error {
	var err error
	for range 3 {
		if err = c.configure(data); err != nil {
			return err
		}
		err = c.run("pg_ctl", "-D", data, "-l", filepath.Join(c.dir, "log"), "-w", "-t", "120", "start")
		if err == nil {
			return nil
		}
	}
	return err
}

// runAsPostgres makes the binaries run as the Debian package's postgres
// user (initdb refuses root).
func (c *Cluster) runAsPostgres() error {
	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("running as root needs the postgres user of the Debian package: %w", err)
	}
	c.owner = u
	return nil
}

func (c *Cluster) writeFiles() error {
	cert, key, caCert, caKey, err := selfSigned()
	if err != nil {
		return err
	}
	c.caCert, c.caKey = caCert, caKey
	c.RootCert = filepath.Join(c.dir, "server.crt")
	files := map[string][]byte{"pw": []byte(c.password + "\n"), "server.crt": cert, "server.key": key}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(c.dir, name), body, 0o600); err != nil {
			return err
		}
	}
	return c.chown()
}

func (c *Cluster) configure(data string) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	c.Port = port
	conf := fmt.Sprintf(`
listen_addresses = '127.0.0.1'
# No Unix socket: tests connect over TCP, and a socket path under a long
# TMPDIR would pass the 107 bytes a socket address holds.
port = %d
unix_socket_directories = ''
ssl = on
ssl_cert_file = '%s'
ssl_key_file = '%s'
ssl_ca_file = '%s'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
`, port, filepath.Join(c.dir, "server.crt"), filepath.Join(c.dir, "server.key"), filepath.Join(c.dir, "server.crt"))
	f, err := os.OpenFile(filepath.Join(data, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString(conf)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	hba := "hostssl all +" + CertRole + " 127.0.0.1/32 cert\n" +
		"hostssl all all 127.0.0.1/32 scram-sha-256\n"
	return os.WriteFile(filepath.Join(data, "pg_hba.conf"), []byte(hba), 0o600)
}

// Stop stops the server at once and removes its files.
func (c *Cluster) Stop() error {
	var err error
	if _, serr := os.Stat(filepath.Join(c.dir, "data", "postmaster.pid")); serr == nil {
		err = c.run("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-m", "immediate", "-w", "stop")
	}
	return errors.Join(err, os.RemoveAll(c.dir))
}

// run runs one of the binaries, as postgres when this process is root.
func (c *Cluster) run(name string, args ...string) error {
	bin := filepath.Join(BinDir, name)
	cmd := exec.Command(bin, args...)
	if c.owner != nil {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", bin}, args...)...)
	}
	cmd.Dir = c.dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "log"))
		return fmt.Errorf("%s: %w\n%s\n%s", name, err, out, log)
	}
	return nil
}

func (c *Cluster) chown() error {
	if c.owner == nil {
		return nil
	}
	uid, _ := strconv.Atoi(c.owner.Uid)
	gid, _ := strconv.Atoi(c.owner.Gid)
	return filepath.Walk(c.dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Chown(p, uid, gid)
	})
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// DSN is the address of database db for login user, over TLS with the
// server's certificate verified; password may be empty.
func (c *Cluster) DSN(login, password, db string) string {
	userinfo := login
	if password != "" {
		userinfo += ":" + password
	}
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=verify-full&sslrootcert=%s&connect_timeout=30",
		userinfo, c.Port, db, c.RootCert)
}

// Admin connects to db as the cluster's superuser.
func (c *Cluster) Admin(ctx context.Context, db string) (*pgx.Conn, error) {
	return pgx.Connect(ctx, c.DSN(admin, c.password, db))
}

// NewDatabase creates an empty database for t, dropped when t ends, and
// returns its name and a superuser connection to it.
func (c *Cluster) NewDatabase(t testing.TB) (string, *pgx.Conn) {
	t.Helper()
	ctx := context.Background()
	name := fmt.Sprintf("t%d_%s", c.dbs.Add(1), strings.ToLower(strings.Map(safe, t.Name())))
	name = name[:min(len(name), 60)]
	root, err := c.Admin(ctx, "postgres")
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close(ctx)
	if _, err := root.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	conn, err := c.Admin(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = conn.Close(ctx)
		if root, err := c.Admin(ctx, "postgres"); err == nil {
			_, _ = root.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
			_ = root.Close(ctx)
		}
	})
	return name, conn
}

func safe(r rune) rune {
	if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
		return r
	}
	return '_'
}

// Login creates (once per cluster) a login role with password "pw-"+name,
// member of roles until t ends, and returns the password.
func (c *Cluster) Login(t testing.TB, name string, roles ...string) string {
	t.Helper()
	ctx := context.Background()
	root, err := c.Admin(ctx, "postgres")
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close(ctx)
	pw := "pw-" + name
	id := pgx.Identifier{name}.Sanitize()
	var exists bool
	if err := root.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", name).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if !exists {
		if _, err := root.Exec(ctx, fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD '%s'", id, pw)); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range roles {
		grant := pgx.Identifier{r}.Sanitize()
		if _, err := root.Exec(ctx, fmt.Sprintf("GRANT %s TO %s", grant, id)); err != nil {
			t.Fatal(err)
		}
		// Roles belong to the cluster, not to the test's database: a
		// role granted here would follow the login into the next tests.
		t.Cleanup(func() { c.revoke(grant, id) })
	}
	return pw
}

// revoke takes role back from login (a role never granted is a warning).
func (c *Cluster) revoke(role, login string) {
	ctx := context.Background()
	root, err := c.Admin(ctx, "postgres")
	if err != nil {
		return
	}
	defer root.Close(ctx)
	_, _ = root.Exec(ctx, fmt.Sprintf("REVOKE %s FROM %s", role, login))
}

// Shared starts one cluster for a test binary on first use, for packages
// whose tests mostly do not need it. Stop it from TestMain after m.Run.
type Shared struct {
	once sync.Once
	c    *Cluster
	err  error
}

// Get returns the cluster, starting it on the first call. Without the
// binaries it skips t, unless CI=true, where that fails t.
func (s *Shared) Get(t testing.TB) *Cluster {
	t.Helper()
	s.once.Do(func() { s.c, s.err = Start() })
	switch {
	case errors.Is(s.err, ErrMissing) && os.Getenv("CI") != "true":
		t.Skip("PostgreSQL 15 is not installed (Debian package postgresql-15); CI=true makes this a failure")
	case s.err != nil:
		t.Fatal(s.err)
	}
	return s.c
}

// Stop stops the cluster if it was started.
func (s *Shared) Stop() error {
	s.once.Do(func() {}) // a later Get starts nothing
	if s.c == nil {
		return nil
	}
	return s.c.Stop()
}

// AdminDSN is the superuser's address of db, as IT would use it with psql.
func (c *Cluster) AdminDSN(db string) string { return c.DSN(admin, c.password, db) }
