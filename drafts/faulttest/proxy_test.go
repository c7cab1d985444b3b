package faulttest

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

// fault is how the proxy loses an answer.
type fault int

const (
	// dropAnswer closes the client's connection once the server answered.
	dropAnswer fault = iota + 1
	// holdAnswer keeps the answer until the client gives up (its time-out).
	holdAnswer
	// resetMidBody sends the headers and half the body, then resets.
	resetMidBody
)

func (f fault) String() string {
	return map[fault]string{dropAnswer: "dropped", holdAnswer: "held", resetMidBody: "reset"}[f]
}

// proxy is a reverse proxy on 127.0.0.1 in front of a test server. Every
// request reaches the server; the answers to a post's create request and
// to the checks that follow it are lost, times in a row per post.
type proxy struct {
	upstream string
	mode     fault
	times    int
	isCreate func(*http.Request) bool
	isCheck  func(*http.Request) bool
	client   *http.Client
	srv      *httptest.Server
	done     chan struct{}

	mu      sync.Mutex
	budget  int // answers still to lose for the current post
	lost    int
	maxLost int // no answer is lost after this many
}

func newProxy(t *testing.T, upstream string, mode fault, times, maxLost int, isCreate, isCheck func(*http.Request) bool) *proxy {
	p := &proxy{
		upstream: upstream, mode: mode, times: times, maxLost: maxLost, isCreate: isCreate, isCheck: isCheck,
		client: &http.Client{Timeout: time.Minute}, done: make(chan struct{}),
	}
	p.srv = httptest.NewServer(p)
	t.Cleanup(func() {
		close(p.done) // releases held answers
		p.srv.Close()
	})
	return p
}

// losing decides whether the answer to r is lost: every create starts a
// new run of p.times lost answers, spent on it and the checks after it,
// until maxLost answers were lost.
func (p *proxy) losing(r *http.Request) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.lost >= p.maxLost:
		return false
	case p.isCreate(r) && p.budget == 0:
		p.budget = p.times
	case p.isCreate(r), p.isCheck(r):
	default:
		return false
	}
	if p.budget == 0 {
		return false
	}
	p.budget--
	p.lost++
	return true
}

func (p *proxy) lostAnswers() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lost
}

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return // the client went away while sending
	}
	lose := p.losing(r)
	resp, answer, err := p.forward(r, body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	if !lose {
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = w.Write(answer)
		return
	}
	switch p.mode {
	case dropAnswer:
		if conn := hijack(w); conn != nil {
			conn.Close()
		}
	case holdAnswer:
		select {
		case <-r.Context().Done(): // the client timed out and closed
		case <-p.done:
		}
	case resetMidBody:
		p.resetAfterHalf(w, resp, answer)
	}
}

// forward sends the request to the server and reads its whole answer: the
// server has acted before anything is lost.
func (p *proxy) forward(r *http.Request, body []byte) (*http.Response, []byte, error) {
	req, err := http.NewRequest(r.Method, p.upstream+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	req.Header = r.Header.Clone()
	req.Header.Del("Connection")
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	return resp, answer, err
}

func (p *proxy) resetAfterHalf(w http.ResponseWriter, resp *http.Response, answer []byte) {
	conn := hijack(w)
	if conn == nil {
		return
	}
	var head bytes.Buffer
	fmt.Fprintf(&head, "HTTP/1.1 %d %s\r\n", resp.StatusCode, http.StatusText(resp.StatusCode))
	fmt.Fprintf(&head, "Content-Type: %s\r\nContent-Length: %s\r\n\r\n",
		resp.Header.Get("Content-Type"), strconv.Itoa(len(answer)))
	head.Write(answer[:len(answer)/2])
	_, _ = conn.Write(head.Bytes())
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0) // close with RST
	}
	conn.Close()
}

func hijack(w http.ResponseWriter) net.Conn {
	hj, ok := w.(http.Hijacker)
	if !ok {
		return nil
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return nil
	}
	return conn
}
