package observe

// Observer receives a run's events. Observe is called from one goroutine
// per observer, in the order the events were published, never
// concurrently with itself. An observer that is slower than the run is
// not waited for: its snapshots are coalesced to the latest and, past
// QueueSize pending events, further events are dropped and counted in
// RunFinished.Dropped. At the end of a run it gets CloseGrace to catch
// up. RunFinished is always delivered, last.
type Observer interface {
	Observe(e Event)
}

// Func adapts a function to an Observer.
type Func func(e Event)

// Observe calls f(e).
func (f Func) Observe(e Event) { f(e) }
