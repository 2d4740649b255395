package pipeline

import "sync/atomic"

// lane is the cancellation signal every engine send and receive selects on.
// done is the run's (or, for sources, the source) context's Done channel;
// closed mirrors it as an atomic flag so the fast path below can skip the
// two-way select (which locks the shared done channel) while the run is
// healthy.
type lane struct {
	done   <-chan struct{}
	closed *atomic.Bool
}

// send delivers v on ch unless the lane is closed first. It reports whether
// v was delivered. This and recv are the only places the engine touches
// its channels.
func send[T any](l lane, ch chan<- T, v T) bool {
	if !l.closed.Load() {
		select {
		case ch <- v:
			return true
		default:
		}
	}
	select {
	case ch <- v:
		return true
	case <-l.done:
		return false
	}
}

// recv takes the next value from ch. ok is false when ch is closed and
// drained, or when the lane is closed.
func recv[T any](l lane, ch <-chan T) (v T, ok bool) {
	if !l.closed.Load() {
		select {
		case v, ok = <-ch:
			return v, ok
		default:
		}
	}
	select {
	case v, ok = <-ch:
		if ok && l.closed.Load() {
			var zero T
			return zero, false
		}
		return v, ok
	case <-l.done:
		var zero T
		return zero, false
	}
}

// wait blocks until ch is closed or the lane is closed, and reports whether
// ch was.
func wait(l lane, ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	case <-l.done:
		return false
	}
}
