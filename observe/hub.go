package observe

import (
	"sync"

	"github.com/sourcegraph/conc"
)

// QueueSize is how many events an observer may fall behind before events
// are dropped for it.
const QueueSize = 8192

// Hub delivers published events to observers, each on its own goroutine,
// without ever blocking the publisher. The zero value is not usable; use
// NewHub. Start it, Publish from any goroutine, and Close it once.
type Hub struct {
	subs []*sub
	wg   conc.WaitGroup
}

// sub is one observer's mailbox.
type sub struct {
	o       Observer
	mu      sync.Mutex
	queue   []Event
	snap    *StageSnapshot
	final   *RunFinished
	dropped int64
	wake    chan struct{}
}

// NewHub returns a hub for the observers; nil observers are skipped. It
// starts nothing.
func NewHub(observers ...Observer) *Hub {
	h := &Hub{}
	for _, o := range observers {
		if o != nil {
			h.subs = append(h.subs, &sub{o: o, wake: make(chan struct{}, 1)})
		}
	}
	return h
}

// Empty reports whether the hub has no observers, so a publisher can skip
// building events.
func (h *Hub) Empty() bool { return h == nil || len(h.subs) == 0 }

// Start starts one delivery goroutine per observer.
func (h *Hub) Start() {
	for _, s := range h.subs {
		h.wg.Go(s.deliver)
	}
}

// Publish hands e to every observer without blocking. A *RunFinished ends
// the stream: Publish it once, last, then Close.
func (h *Hub) Publish(e Event) {
	if h == nil {
		return
	}
	for _, s := range h.subs {
		s.put(e)
	}
}

// Close waits until every observer has seen its last event. Publish a
// *RunFinished first; Close delivers what is queued and returns after
// each observer's goroutine has ended.
func (h *Hub) Close() {
	if h == nil {
		return
	}
	for _, s := range h.subs {
		s.mu.Lock()
		if s.final == nil {
			s.final = &RunFinished{}
		}
		s.mu.Unlock()
		s.signal()
	}
	h.wg.Wait()
}

func (s *sub) put(e Event) {
	s.mu.Lock()
	switch e := e.(type) {
	case *StageSnapshot:
		s.snap = e
	case *RunFinished:
		f := *e
		s.final = &f
	default:
		if len(s.queue) >= QueueSize {
			s.dropped++
			s.mu.Unlock()
			return
		}
		s.queue = append(s.queue, e)
	}
	s.mu.Unlock()
	s.signal()
}

func (s *sub) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// deliver runs until the final event has been delivered.
func (s *sub) deliver() {
	var batch []Event
	for range s.wake {
		s.mu.Lock()
		batch = append(batch[:0], s.queue...)
		clear(s.queue)
		s.queue = s.queue[:0]
		snap, final := s.snap, s.final
		s.snap = nil
		if final != nil {
			final.Dropped = s.dropped
		}
		s.mu.Unlock()
		for _, e := range batch {
			s.o.Observe(e)
		}
		clear(batch)
		if snap != nil {
			s.o.Observe(snap)
		}
		if final != nil {
			s.mu.Lock()
			rest := len(s.queue)
			s.mu.Unlock()
			if rest == 0 {
				s.o.Observe(final)
				return
			}
			s.signal()
		}
	}
}
