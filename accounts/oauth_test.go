package accounts

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestPKCEChallengeRFC7636Vector(t *testing.T) {
	// The example of RFC 7636, appendix B.
	got := PKCEChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
	if want := "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"; got != want {
		t.Fatalf("challenge = %q, want %q", got, want)
	}
}

func TestNewPKCE(t *testing.T) {
	a, err := NewPKCE()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewPKCE()
	if len(a.Verifier) < 43 || len(a.Verifier) > 128 {
		t.Errorf("verifier length %d outside 43..128", len(a.Verifier))
	}
	if a.Verifier == b.Verifier {
		t.Error("two verifiers are equal")
	}
	if a.Challenge != PKCEChallenge(a.Verifier) {
		t.Error("challenge does not match verifier")
	}
	for _, r := range a.Verifier {
		if !strings.ContainsRune("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~", r) {
			t.Fatalf("verifier has %q, not an unreserved character", r)
		}
	}
}

func get(t *testing.T, raw string) (int, string) {
	t.Helper()
	resp, err := http.Get(raw)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func callbackURL(r *LoopbackReceiver, q url.Values) string {
	return r.RedirectURI() + "?" + q.Encode()
}

func TestLoopbackReceiverDeliversCode(t *testing.T) {
	r, err := NewLoopbackReceiver("st4te")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(r.RedirectURI())
	if u.Scheme != "http" || u.Hostname() != "127.0.0.1" || u.Port() == "" || u.Path != CallbackPath {
		t.Fatalf("redirect URI %q is not a loopback callback", r.RedirectURI())
	}
	// A wrong state is refused and does not end the wait.
	if code, _ := get(t, callbackURL(r, url.Values{"code": {"evil"}, "state": {"other"}})); code != http.StatusBadRequest {
		t.Fatalf("wrong state: status %d, want 400", code)
	}
	if code, _ := get(t, r.RedirectURI()+"/../other"); code != http.StatusNotFound && code != http.StatusBadRequest {
		t.Fatalf("other path: status %d", code)
	}
	status, body := get(t, callbackURL(r, url.Values{"code": {"abc123"}, "state": {"st4te"}}))
	if status != http.StatusOK || !strings.Contains(body, "close this window") || !strings.Contains(body, "fermer") {
		t.Fatalf("status %d, body %q", status, body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	code, err := r.Wait(ctx)
	if err != nil || code != "abc123" {
		t.Fatalf("Wait = %q, %v", code, err)
	}
	// Shut down after one hit.
	if _, err := http.Get(r.RedirectURI()); err == nil {
		t.Fatal("receiver still serving after the code was delivered")
	}
}

func TestLoopbackReceiverDenied(t *testing.T) {
	r, err := NewLoopbackReceiver("s")
	if err != nil {
		t.Fatal(err)
	}
	get(t, callbackURL(r, url.Values{"error": {"access_denied"}, "state": {"s"}}))
	_, err = r.Wait(context.Background())
	if !errors.Is(err, ErrAuthorizationDenied) {
		t.Fatalf("err = %v, want ErrAuthorizationDenied", err)
	}
}

func TestLoopbackReceiverCancel(t *testing.T) {
	r, err := NewLoopbackReceiver("s")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { _, err := r.Wait(ctx); errc <- err }()
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Wait did not return after cancel")
	}
	if _, err := http.Get(r.RedirectURI()); err == nil {
		t.Fatal("receiver still serving after cancel")
	}
	if err := r.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func TestLoopbackReceiverRejectsEmptyStateAndPost(t *testing.T) {
	if _, err := NewLoopbackReceiver(""); err == nil {
		t.Fatal("empty state accepted")
	}
	r, err := NewLoopbackReceiver("s")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	resp, err := http.Post(r.RedirectURI()+"?state=s&code=c", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("POST: status %d", resp.StatusCode)
	}
}
