package testsite

import "sync"

// gate tracks running handlers so Close can wake them and wait for them.
type gate struct {
	mu     sync.Mutex
	cond   *sync.Cond
	active int
	closed bool
	done   chan struct{} // closed by close: hanging handlers return
}

func (g *gate) init() {
	g.cond = sync.NewCond(&g.mu)
	g.done = make(chan struct{})
}

// enter registers a handler; it reports false once the site is closing.
func (g *gate) enter() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return false
	}
	g.active++
	return true
}

func (g *gate) leave() {
	g.mu.Lock()
	g.active--
	if g.active == 0 {
		g.cond.Broadcast()
	}
	g.mu.Unlock()
}

func (g *gate) close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.closed {
		g.closed = true
		close(g.done)
	}
}

func (g *gate) wait() {
	g.mu.Lock()
	for g.active > 0 {
		g.cond.Wait()
	}
	g.mu.Unlock()
}
