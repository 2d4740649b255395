package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
)

// relay makes the test site reachable on a chosen address:
// internal/testserver only listens on a free port, so `sluice testsite`
// listens on --addr and pipes every connection, byte for byte, to the site.
// A connection the site resets (the reset fault) is reset towards the
// client too, so clients see the same faults as when talking to the site
// directly.
type relay struct {
	ln     net.Listener
	target string

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup
}

// listenRelay listens on addr for connections to relay to target.
func listenRelay(addr, target string) (*relay, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("testsite: %w", err)
	}
	return &relay{ln: ln, target: target, conns: make(map[net.Conn]struct{})}, nil
}

// serve accepts connections until close, then returns nil; run it in its
// own goroutine. It returns an error if accepting fails otherwise.
func (r *relay) serve() error {
	for {
		c, err := r.ln.Accept()
		if err != nil {
			r.mu.Lock()
			closed := r.closed
			r.mu.Unlock()
			if closed || errors.Is(err, net.ErrClosed) {
				return nil
			}
			return fmt.Errorf("testsite: accept: %w", err)
		}
		if !r.track(c) {
			_ = c.Close()
			return nil
		}
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			r.pipe(c)
		}()
	}
}

// track records c so close can end it; false once closed.
func (r *relay) track(cs ...net.Conn) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	for _, c := range cs {
		r.conns[c] = struct{}{}
	}
	return true
}

func (r *relay) untrack(cs ...net.Conn) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range cs {
		delete(r.conns, c)
		_ = c.Close()
	}
}

// pipe copies both ways between client c and a new connection to the site.
func (r *relay) pipe(c net.Conn) {
	up, err := net.Dial("tcp", r.target)
	if err != nil {
		r.untrack(c)
		return
	}
	if !r.track(up) {
		r.untrack(c, up)
		return
	}
	defer r.untrack(c, up)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = io.Copy(up, c)
		closeWrite(up)
	}()
	if _, err := io.Copy(c, up); err != nil {
		reset(c) // the site reset the connection (or the relay is closing)
	} else {
		closeWrite(c)
	}
	<-done
}

// close stops accepting, ends every relayed connection and returns once
// every goroutine of the relay has returned.
func (r *relay) close() {
	r.mu.Lock()
	r.closed = true
	_ = r.ln.Close()
	for c := range r.conns {
		_ = c.Close()
	}
	r.mu.Unlock()
	r.wg.Wait()
}

// closeWrite half-closes c: the peer reads EOF, and can still send.
func closeWrite(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
		return
	}
	_ = c.Close()
}

// reset closes c with SO_LINGER 0, which sends the peer a TCP reset.
func reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.Close()
}
