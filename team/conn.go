package team

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"chancery/accounts"
)

// connectTimeout bounds reaching the server; statements are bounded by the
// caller's context.
const connectTimeout = 15 * time.Second

// SecretID is the keyring entry that holds the login's password or client
// key for this server.
func (c Config) SecretID() string {
	pc, err := pgconn.ParseConfig(c.DSN)
	if err != nil {
		return "team:" + c.Login
	}
	return fmt.Sprintf("team:%s@%s:%d/%s", c.Login, pc.Host, pc.Port, pc.Database)
}

// Connect checks that dsn and secret (a password, or the PEM private key
// of the client certificate in certFile) open a TLS session on the team
// server, then keeps the secret in the OS keyring and the DSN, without its
// password, in the profile. A password written in dsn is used when secret
// is empty, and is never stored in the profile.
func (s *Service) Connect(ctx context.Context, dsn, secret, certFile string) (Config, error) {
	pc, err := pgx.ParseConfig(dsn)
	if err != nil {
		return Config{}, badDSN(dsn, err)
	}
	if strings.Contains(dsn, "sslkey") {
		return Config{}, fmt.Errorf("%w: the client key goes to the keyring (--secret-stdin), not in the address", ErrBadDSN)
	}
	if secret == "" {
		secret = pc.Password
	}
	cfg := Config{DSN: withoutPassword(dsn), Login: pc.User, CertFile: certFile}
	old, err := s.o.Store.TeamConfig()
	hadOld := err == nil
	if hadOld {
		cfg.Device = old.Device
	}
	if cfg.Device == "" {
		cfg.Device = newID()
	}
	conn, err := dial(ctx, cfg, secret)
	if err != nil {
		return Config{}, err
	}
	var who string
	qctx, cancel := context.WithTimeout(ctx, s.o.Timeout)
	err = conn.QueryRow(qctx, "SELECT session_user").Scan(&who)
	cancel()
	var rights []string
	if err != nil {
		err = fmt.Errorf("check the team login: %w: %w", ErrServer, err)
	} else {
		rights, err = s.queryRights(ctx, conn)
	}
	_ = conn.Close(context.WithoutCancel(ctx))
	if err != nil {
		return Config{}, err
	}
	cfg.Login = who
	if err := s.keepSecret(cfg, secret); err != nil {
		return Config{}, err
	}
	if err := s.o.Store.PutTeamConfig(cfg); err != nil {
		return Config{}, err
	}
	if err := s.keepRights(rights); err != nil {
		return Config{}, err
	}
	if hadOld && old.SecretID() != cfg.SecretID() {
		// The previous server's or login's secret is no longer used.
		if err := s.o.Secrets.DeleteSecret(old.SecretID()); err != nil {
			return Config{}, fmt.Errorf("forget the previous team secret: %w", err)
		}
	}
	s.changed()
	return cfg, nil
}

// keepSecret keeps the secret that opened the session, or forgets an
// older one when the session needed none.
func (s *Service) keepSecret(cfg Config, secret string) error {
	if secret == "" {
		if err := s.o.Secrets.DeleteSecret(cfg.SecretID()); err != nil {
			return fmt.Errorf("forget the team secret: %w", err)
		}
		return nil
	}
	if err := s.o.Secrets.SetSecret(cfg.SecretID(), secret); err != nil {
		return fmt.Errorf("keep the team secret: %w", err)
	}
	return nil
}

// connect opens a session with the saved configuration and the secret in
// the keyring.
func (s *Service) connect(ctx context.Context, cfg Config) (*pgx.Conn, error) {
	secret, err := s.o.Secrets.Secret(cfg.SecretID())
	if errors.Is(err, accounts.ErrNoSecret) {
		secret, err = "", nil // a login that needs none (a local socket)
	}
	if err != nil {
		return nil, fmt.Errorf("team secret: %w", err)
	}
	return dial(ctx, cfg, secret)
}

// dial connects over TLS only: a plain-text fallback is dropped, and a
// server reached without TLS (other than over a local socket) refused.
func dial(ctx context.Context, cfg Config, secret string) (*pgx.Conn, error) {
	pc, err := pgx.ParseConfig(cfg.DSN)
	if err != nil {
		return nil, badDSN(cfg.DSN, err)
	}
	if pc.ConnectTimeout == 0 || pc.ConnectTimeout > connectTimeout {
		pc.ConnectTimeout = connectTimeout
	}
	if err := useSecret(pc, cfg.CertFile, secret); err != nil {
		return nil, err
	}
	conn, err := pgx.ConnectConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("connect to the team server: %w: %w", ErrServer, err)
	}
	return conn, nil
}

// useSecret sets the password, or the client certificate whose key is
// secret, and keeps only TLS ways to reach the server, with its
// certificate verified (sslmode=verify-ca or verify-full) unless it is on
// this machine: an unverified server could be anyone's, and the laptop
// publishes what the server's log says was approved.
func useSecret(pc *pgx.ConnConfig, certFile, secret string) error {
	var certs []tls.Certificate
	if strings.HasPrefix(strings.TrimSpace(secret), "-----BEGIN") {
		pem, err := os.ReadFile(certFile)
		if err != nil {
			return fmt.Errorf("%w: client certificate: %w", ErrBadDSN, err)
		}
		cert, err := tls.X509KeyPair(pem, []byte(secret))
		if err != nil {
			return fmt.Errorf("%w: client certificate and key: %w", ErrBadDSN, err)
		}
		certs = []tls.Certificate{cert}
	} else {
		pc.Password = secret
	}
	secure := pc.Fallbacks[:0]
	for _, fb := range pc.Fallbacks {
		if trusted(fb.Host, fb.TLSConfig) {
			fb.TLSConfig.Certificates = certs
			secure = append(secure, fb)
		}
	}
	pc.Fallbacks = secure
	switch {
	case trusted(pc.Host, pc.TLSConfig):
		pc.TLSConfig.Certificates = certs
		return nil
	case pc.TLSConfig == nil && strings.HasPrefix(pc.Host, "/"):
		return nil // a local socket never leaves the machine
	case len(secure) == 0:
		return fmt.Errorf("%w: the team server must be reached over TLS with its certificate verified (sslmode=verify-full)", ErrBadDSN)
	}
	first := secure[0]
	pc.Host, pc.Port, pc.TLSConfig, pc.Fallbacks = first.Host, first.Port, first.TLSConfig, secure[1:]
	return nil
}

// trusted tells whether a TLS configuration authenticates the server:
// pgx sets InsecureSkipVerify for sslmode prefer, require and verify-ca,
// and only verify-ca adds its own check of the chain. Unverified TLS is
// accepted for a server on this machine only.
func trusted(host string, tc *tls.Config) bool {
	if tc == nil {
		return false
	}
	if !tc.InsecureSkipVerify || tc.VerifyPeerCertificate != nil {
		return true
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

var keywordPassword = regexp.MustCompile(`(^|\s+)(ssl)?password\s*=\s*('(?:[^'\\]|\\.)*'|\S+)`)

// withoutPassword returns dsn with any password (and sslpassword, the
// client key's passphrase) removed.
func withoutPassword(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		if u.User != nil {
			u.User = url.User(u.User.Username())
		}
		q := u.Query()
		if q.Has("password") || q.Has("sslpassword") {
			q.Del("password")
			q.Del("sslpassword")
			u.RawQuery = q.Encode()
		}
		return u.String()
	}
	return strings.TrimSpace(keywordPassword.ReplaceAllString(dsn, ""))
}

// dsnSecret finds what may be a password in an address, parsable or not:
// a (ssl)password keyword or query value, or the password of a URL's user.
var dsnSecret = regexp.MustCompile(`(?:^|[\s?&])(?:ssl)?password\s*=\s*('(?:[^'\\]|\\.)*'?|[^\s&]+)|^(?:[a-z]+://[^:/@=\s]*|[^:/@=\s]+):([^@/]+)@`)

// HasPassword tells whether dsn spells out a password (or the client
// key's passphrase), which a command line must not carry.
func HasPassword(dsn string) bool {
	for _, m := range dsnSecret.FindAllStringSubmatch(dsn, -1) {
		if strings.Trim(m[1], "'")+m[2] != "" {
			return true
		}
	}
	return false
}

// badDSN reports an address pgx could not parse without anything that may
// be its password: pgx hides it only on a best-effort basis (it missed
// "password = x"), and this message reaches the screen and the terminal.
func badDSN(dsn string, err error) error {
	msg := err.Error()
	for _, m := range dsnSecret.FindAllStringSubmatch(dsn, -1) {
		for _, v := range m[1:] {
			for _, secret := range []string{v, strings.Trim(v, "'"), unescaped(v)} {
				if secret != "" {
					msg = strings.ReplaceAll(msg, secret, "xxxxx")
				}
			}
		}
	}
	return fmt.Errorf("%w: %s", ErrBadDSN, msg)
}

func unescaped(v string) string {
	u, err := url.PathUnescape(v)
	if err != nil {
		return ""
	}
	return u
}

// IsRefusal reports whether err is the server's final refusal.
func IsRefusal(err error) bool {
	var r *Refusal
	return errors.As(err, &r)
}
