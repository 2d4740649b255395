package observe

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/sourcegraph/conc"
)

// QueueSize is how many events an observer may fall behind before events
// are dropped for it.
const QueueSize = 8192

// CloseGrace is how long Close lets an observer that fell behind catch up
// on its queued events; what it has not seen by then is dropped (counted
// in its RunFinished.Dropped), so a slow observer delays the end of a run
// by at most this much plus one Observe call.
const CloseGrace = 2 * time.Second

// Hub delivers published events to observers, each on its own goroutine,
// without ever blocking the publisher. The zero value is not usable; use
// NewHub. Start it, Publish from any goroutine, and Close it once.
type Hub struct {
	subs  []*sub
	wants Kind // the union of the observers' kinds
	wg    conc.WaitGroup
}

// Lossless marks an observer that must see every event, such as one that
// acknowledges committed inputs upstream: its mailbox has no bound and
// the end of a run waits for it as long as it takes. It still never
// blocks the publisher; only memory grows while it lags. Use it for
// observers that keep up on average.
func Lossless(o Observer) Observer { return lossless{o} }

type lossless struct{ Observer }

// sub is one observer's mailbox.
type sub struct {
	lossless bool
	kinds    Kind
	o        Observer
	mu       sync.Mutex
	queue    []Event
	snap     *StageSnapshot
	final    *RunFinished
	dropped  int64
	wake     chan struct{}
	// deadline is when Close stops waiting for the queue (unix nanos;
	// 0 while the run goes on).
	deadline atomic.Int64
}

// NewHub returns a hub for the observers; nil observers are skipped. It
// starts nothing.
func NewHub(observers ...Observer) *Hub {
	h := &Hub{}
	for _, o := range observers {
		if o == nil {
			continue
		}
		s := &sub{o: o, kinds: KindAll, wake: make(chan struct{}, 1)}
		for unwrapped := false; !unwrapped; {
			switch w := s.o.(type) {
			case lossless:
				s.o, s.lossless = w.Observer, true
			case only:
				s.o, s.kinds = w.Observer, s.kinds&w.kinds
			case Selective:
				s.kinds &= w.Kinds() | KindRunFinished
				unwrapped = true
			default:
				unwrapped = true
			}
		}
		h.subs = append(h.subs, s)
		h.wants |= s.kinds
	}
	return h
}

// Empty reports whether the hub has no observers, so a publisher can skip
// building events.
func (h *Hub) Empty() bool { return h == nil || len(h.subs) == 0 }

// Wants reports whether some observer wants events of a kind in k, so a
// publisher can skip building events nobody sees.
func (h *Hub) Wants(k Kind) bool { return h != nil && h.wants&k != 0 }

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
	deadline := time.Now().Add(CloseGrace).UnixNano()
	for _, s := range h.subs {
		s.deadline.Store(deadline)
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
	if s.kinds != KindAll && s.kinds&KindOf(e) == 0 {
		return
	}
	s.mu.Lock()
	switch e := e.(type) {
	case *StageSnapshot:
		s.snap = e
	case *RunFinished:
		f := *e
		s.final = &f
	default:
		if len(s.queue) >= QueueSize && !s.lossless {
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
		s.mu.Unlock()
		for i, e := range batch {
			if s.late() {
				s.mu.Lock()
				s.dropped += int64(len(batch)-i) + int64(len(s.queue))
				clear(s.queue)
				s.queue = s.queue[:0]
				s.mu.Unlock()
				break
			}
			s.o.Observe(e)
		}
		clear(batch)
		if snap != nil {
			s.o.Observe(snap)
		}
		if final != nil {
			s.mu.Lock()
			rest := len(s.queue)
			final.Dropped = s.dropped
			s.mu.Unlock()
			if rest == 0 {
				s.o.Observe(final)
				return
			}
			s.signal()
		}
	}
}

// late reports whether Close's grace for this observer has run out.
func (s *sub) late() bool {
	if s.lossless {
		return false
	}
	d := s.deadline.Load()
	return d != 0 && time.Now().UnixNano() > d
}
