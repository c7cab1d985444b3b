package team_test

import (
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
)

// proxy stands between a laptop and the server. Down, it closes every
// connection at once (the laptop is offline). With a cut condition set, it
// holds each answer of the server and, as soon as the condition holds
// (the server acted), closes the laptop's connection instead of passing
// the answer on: the laptop never learns its request succeeded.
type proxy struct {
	ln     net.Listener
	target string

	mu   sync.Mutex
	down bool
	cut  func() bool
	cuts int
}

func newProxy(t *testing.T, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target}
	t.Cleanup(func() { _ = ln.Close() })
	go p.accept()
	return p
}

func (p *proxy) addr() string { return p.ln.Addr().String() }

func (p *proxy) setDown(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
}

func (p *proxy) cutWhen(cond func() bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = cond
}

func (p *proxy) cutCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cuts
}

func (p *proxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		down := p.down
		p.mu.Unlock()
		if down {
			_ = c.Close()
			continue
		}
		go p.serve(c)
	}
}

func (p *proxy) serve(client net.Conn) {
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		_ = client.Close()
		return
	}
	defer server.Close()
	defer client.Close()
	go func() {
		_, _ = io.Copy(server, client)
		_ = server.Close()
	}()
	buf := make([]byte, 64<<10)
	for {
		n, err := server.Read(buf)
		if n > 0 && p.shouldCut() {
			return
		}
		if n > 0 {
			if _, werr := client.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// shouldCut checks the cut condition, once the server has answered, and
// counts a cut.
func (p *proxy) shouldCut() bool {
	p.mu.Lock()
	cond := p.cut
	p.mu.Unlock()
	if cond == nil || !cond() {
		return false
	}
	p.mu.Lock()
	p.cuts++
	p.mu.Unlock()
	return true
}

// through rewrites a cluster DSN to go through the proxy, keeping the
// certificate check for 127.0.0.1.
func (p *proxy) through(dsn string) string {
	return strings.Replace(dsn, fmt.Sprintf("127.0.0.1:%d", cluster.Port), p.addr(), 1)
}
