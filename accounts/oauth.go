package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"chancery/translations"
)

// ErrAuthorizationDenied reports that the user (or the server) refused an
// OAuth authorization request in the browser.
var ErrAuthorizationDenied = translations.NewProblem("error.unauthorized", "authorization was denied")

// CallbackPath is the path of the loopback redirect URI.
const CallbackPath = "/callback"

// closePage is what the browser shows once the code has been received. The
// browser shows it, not Chancery, so it carries both always-complete UI
// languages and nothing else.
const closePage = "Chancery: you can close this window.\nChancery : vous pouvez fermer cette fenêtre.\n"

// PKCE is a Proof Key for Code Exchange pair (RFC 7636, method S256).
type PKCE struct {
	Verifier  string // kept by the app, sent with the token request
	Challenge string // sent with the authorization request
}

// NewPKCE returns a fresh verifier (43 characters from 32 random bytes) and
// its S256 challenge.
func NewPKCE() (PKCE, error) {
	v, err := randomToken(32)
	if err != nil {
		return PKCE{}, err
	}
	return PKCE{Verifier: v, Challenge: PKCEChallenge(v)}, nil
}

// PKCEChallenge returns the S256 challenge of verifier:
// BASE64URL(SHA256(verifier)) without padding.
func PKCEChallenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// NewState returns an unguessable OAuth state value.
func NewState() (string, error) { return randomToken(24) }

func randomToken(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// LoopbackReceiver receives one OAuth authorization response on a loopback
// redirect URI (RFC 8252 section 7.3): it listens on 127.0.0.1 on a port the
// system picks and accepts GET /callback carrying the expected state.
type LoopbackReceiver struct {
	state    string
	redirect string
	srv      *http.Server
	done     chan result
	once     sync.Once
	stop     sync.Once
}

type result struct {
	code string
	err  error
}

// NewLoopbackReceiver starts listening for the response to an authorization
// request made with state, which must not be empty. Call Wait, or Close if
// the flow is abandoned.
func NewLoopbackReceiver(state string) (*LoopbackReceiver, error) {
	if state == "" {
		return nil, errors.New("loopback receiver: empty state")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("loopback receiver: listen: %w", err)
	}
	r := &LoopbackReceiver{
		state:    state,
		redirect: "http://" + ln.Addr().String() + CallbackPath,
		done:     make(chan result, 1),
	}
	mux := http.NewServeMux()
	mux.HandleFunc(CallbackPath, r.callback)
	r.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = r.srv.Serve(ln) }()
	return r, nil
}

// RedirectURI is the URI to register and send as redirect_uri.
func (r *LoopbackReceiver) RedirectURI() string { return r.redirect }

// Wait returns the authorization code once the browser delivers it with the
// right state, an error wrapping ErrAuthorizationDenied if the server
// reports a refusal, or the context's error. The receiver shuts down in
// every case.
func (r *LoopbackReceiver) Wait(ctx context.Context) (string, error) {
	defer r.Close()
	select {
	case res := <-r.done:
		return res.code, res.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Close stops the receiver; it is safe to call more than once.
func (r *LoopbackReceiver) Close() error {
	var err error
	r.stop.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		err = r.srv.Shutdown(ctx) // lets the last page finish sending
	})
	return err
}

func (r *LoopbackReceiver) callback(w http.ResponseWriter, req *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	if req.Method != http.MethodGet {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	q := req.URL.Query()
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(r.state)) != 1 {
		// Not the response to our request (a stale tab, or a forgery):
		// refuse it and keep waiting for the real one.
		http.Error(w, "unexpected state", http.StatusBadRequest)
		return
	}
	res := result{code: q.Get("code")}
	switch {
	case q.Get("error") != "":
		res = result{err: fmt.Errorf("authorization response: %.64q: %w", q.Get("error"), ErrAuthorizationDenied)}
	case res.code == "":
		http.Error(w, "missing code", http.StatusBadRequest)
		return
	}
	delivered := false
	r.once.Do(func() { r.done <- res; delivered = true })
	if !delivered {
		http.Error(w, "already received", http.StatusConflict)
		return
	}
	_, _ = w.Write([]byte(closePage))
}
